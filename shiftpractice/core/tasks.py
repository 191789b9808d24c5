"""Background tasks shared by every app.

Tasks carry references, never secrets: the task queue's rows (and the admin pages that list them) hold only
an outbox row's id.
"""

from django_tasks import default_task_backend, task

from . import emails


@task()
def deliver_email(*, delivery_id: int) -> str:
    """Send one outbox email. On failure the row is rescheduled; when the queue can hold a task until a time
    (the database backend can), the retry is queued for then, and ``deliver_emails`` picks up anything due in
    any case (including a send whose worker died)."""
    result = emails.email_deliver(delivery_id)
    if result == "retry" and default_task_backend.supports_defer:
        from .models import EmailDelivery

        when = EmailDelivery.objects.values_list("next_attempt_at", flat=True).get(pk=delivery_id)
        deliver_email.using(run_after=when).enqueue(delivery_id=delivery_id)
    return result
