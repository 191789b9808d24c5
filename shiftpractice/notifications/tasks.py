"""Kept so that sends queued before the outbox moved to ``core`` still run: the outbox rows kept their ids."""

from django_tasks import task

from shiftpractice.core import emails


@task()
def deliver_email(*, delivery_id: int) -> str:
    """Send one outbox email (the worker's task is now ``core.tasks.deliver_email``)."""
    return emails.email_deliver(delivery_id)


@task()
def deliver_broadcast(*, broadcast_id: int) -> int:
    """Notify a broadcast's whole audience in batches (``broadcasts.py``); safe to run twice."""
    from .broadcasts import broadcast_deliver

    return broadcast_deliver(broadcast_id)
