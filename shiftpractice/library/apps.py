from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "shiftpractice.library"
    label = "library"
    verbose_name = "The public library"

    def ready(self) -> None:
        from shiftpractice.stories.signals import publication_changed

        from .receivers import case_study_changed

        publication_changed.connect(case_study_changed, dispatch_uid="library.case_study_changed")
