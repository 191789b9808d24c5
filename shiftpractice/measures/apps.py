from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "shiftpractice.measures"
    label = "measures"
    verbose_name = "Measures and charts"

    def ready(self) -> None:
        from shiftpractice.projects.services.progress import register_evidence_provider

        from .selectors import progress_evidence

        register_evidence_provider(progress_evidence)
