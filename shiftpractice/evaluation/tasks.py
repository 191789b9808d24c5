"""Background work of the evaluation app: telling a cohort that a survey window is open."""

from django_tasks import task


@task()
def send_window_reminders(*, window_id: int) -> int:
    """Remind the participants of one window (once each, however often it runs); returns how many were told."""
    from .models import SurveyWindow
    from .services import window_reminders_send

    window = SurveyWindow.objects.filter(pk=window_id).select_related("cohort", "survey").first()
    return 0 if window is None else window_reminders_send(windows=[window])
