from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "shiftpractice.measures"
    label = "measures"
    verbose_name = "Measures and charts"

    def ready(self) -> None:
        from shiftpractice.projects.services.progress import register_evidence_provider
        from shiftpractice.projects.story_pdf import register_version_source

        from .printing import story_version
        from .selectors import progress_evidence

        register_evidence_provider(progress_evidence)
        register_version_source(story_version)  # a stored story PDF is drawn again when a chart changes
