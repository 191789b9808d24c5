"""Kept so that sends queued before the outbox moved to ``core`` still run: the outbox rows kept their ids."""

from django_tasks import task

from shiftpractice.core import emails


@task()
def deliver_email(*, delivery_id: int) -> str:
    """Send one outbox email (the worker's task is now ``core.tasks.deliver_email``)."""
    return emails.email_deliver(delivery_id)
