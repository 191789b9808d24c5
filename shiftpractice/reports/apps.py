from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shiftpractice.reports"
    label = "reports"
    verbose_name = "Evaluation reports"

    def ready(self) -> None:
        from shiftpractice.notifications.broadcasts import register_audience

        from .permissions import programme_people

        register_audience("programme_people", programme_people)

        from shiftpractice.msc.signals import story_withdrawn

        from .services import story_withdrawn_from_versions

        story_withdrawn.connect(story_withdrawn_from_versions, dispatch_uid="reports.story_withdrawn")
