from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "shiftpractice.home"
    label = "home"
    verbose_name = "Home"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from shiftpractice.coaching.models import CoachAssignment
        from shiftpractice.cohorts.models import Cohort
        from shiftpractice.projects.models import ChangeProject, LensAnswer, ProgressScore

        from .portfolio import forget_programme_figures

        # What the portfolio keeps of a programme (``portfolio.programme_figures``) rests on these rows (a coach's
        # scope on their assignments).
        for model in (ProgressScore, ChangeProject, LensAnswer, Cohort, CoachAssignment):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_programme_figures, sender=model, dispatch_uid=f"portfolio-{model.__name__}"
                )
