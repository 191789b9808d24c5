from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shiftpractice.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from shiftpractice.core.choices import EmailPurpose
        from shiftpractice.core.emails import register_renderer

        from .emails import render_password_reset

        register_renderer(EmailPurpose.PASSWORD_RESET, render_password_reset)
