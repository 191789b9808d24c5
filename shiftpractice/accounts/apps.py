from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shiftpractice.accounts"
    label = "accounts"
    verbose_name = "Accounts"
