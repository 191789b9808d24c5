"""The worker's side of the outbox: send one email, and come back later if it failed."""

from django_tasks import default_task_backend, task

from . import services


@task()
def deliver_email(*, delivery_id: int) -> str:
    """Send one outbox email. On failure the row is rescheduled; when the queue can hold a task until a
    time (the database backend can), the retry is queued for then, and ``send_reminders`` /
    ``deliver_emails`` pick up anything due in any case."""
    result = services.email_deliver(delivery_id)
    if result == "retry" and default_task_backend.supports_defer:
        from .models import EmailDelivery

        when = EmailDelivery.objects.values_list("next_attempt_at", flat=True).get(pk=delivery_id)
        deliver_email.using(run_after=when).enqueue(delivery_id=delivery_id)
    return result
