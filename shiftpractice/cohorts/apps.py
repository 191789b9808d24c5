from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "shiftpractice.cohorts"
    label = "cohorts"
    verbose_name = "Cohorts and workshops"

    def ready(self) -> None:
        from shiftpractice.core.choices import EmailPurpose
        from shiftpractice.core.emails import register_renderer

        from . import roles  # noqa: F401  (its receivers drop the request's memo of roles on a change)
        from .emails import render_invitation

        register_renderer(EmailPurpose.INVITATION, render_invitation)
