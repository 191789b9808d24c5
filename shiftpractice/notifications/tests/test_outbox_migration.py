"""The data migrations that moved the outbox to ``core``: notification emails keep their ids, times and links;
emails waiting in the old task queue (whose arguments held whole invitation and reset links) move into the
outbox sealed, and the task rows are gone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shiftpractice.core.sealing import unseal
from tests.migrations import latest, migrate

BEFORE = [
    ("notifications", "0002_coaching_privacy_kind"),
    ("core", "0002_email_outbox"),
    ("django_tasks_database", "0021_conditional_partial_index_ordering"),
]
LINK = "http://testserver/invitations/old-live-token-123/"


def legacy_task(apps, status, subject):
    TaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    return TaskResult.objects.create(
        status=status,
        task_path="shiftpractice.core.tasks.send_email",
        args_kwargs={
            "args": [],
            "kwargs": {"to": ["new@example.org"], "subject": subject, "text": f"Join: {LINK}", "html": ""},
        },
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db(transaction=True)
def test_the_outbox_moves_to_core_with_everything_it_held():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    OldEmail = old.get_model("notifications", "EmailDelivery")
    Notification = old.get_model("notifications", "Notification")
    person = User.objects.create(email="p@example.org", full_name="P", password="!")
    long_ago = timezone.now() - timedelta(days=3)
    common = {"recipient": person, "to_address": person.email, "next_attempt_at": long_ago, "text": "T"}
    sent = OldEmail.objects.create(
        purpose="immediate", subject="Sent", status="sent", sent_at=long_ago, attempts=1, **common
    )
    OldEmail.objects.filter(pk=sent.pk).update(created_at=long_ago)
    waiting = OldEmail.objects.create(purpose="digest", subject="Waiting", **common)
    claimed = OldEmail.objects.create(
        purpose="immediate", subject="Claimed", status="sending", claimed_at=long_ago, attempts=1, **common
    )
    note = Notification.objects.create(
        recipient=person, kind="comment", title="Hello", email=sent, public_id="0" * 32
    )
    ready = legacy_task(old, "READY", "Invitation waiting")
    legacy_task(old, "SUCCESSFUL", "Invitation sent")
    legacy_task(old, "FAILED", "Invitation lost in an outage")

    new = migrate(latest())

    Email = new.get_model("core", "EmailDelivery")
    moved = {email.subject: email for email in Email.objects.all()}
    assert moved["Sent"].pk == sent.pk and moved["Sent"].created_at == long_ago
    assert (moved["Sent"].status, moved["Sent"].text, moved["Sent"].sent_at) == ("sent", "T", long_ago)
    assert moved["Waiting"].pk == waiting.pk and moved["Waiting"].status == "pending"
    # The old code could not say whether a claimed send reached the server: never resend it by itself.
    assert moved["Claimed"].pk == claimed.pk and moved["Claimed"].handed_over_at == long_ago
    assert new.get_model("notifications", "Notification").objects.get(pk=note.pk).email_id == sent.pk

    # The old task queue's emails: the waiting one is queued in the outbox, the failed one kept for an
    # operator, the sent one gone; the link is only in sealed form, and the task rows are deleted.
    assert moved["Invitation waiting"].status == "pending"
    assert moved["Invitation lost in an outage"].status == "failed"
    assert "Invitation sent" not in moved
    assert unseal(moved["Invitation waiting"].sealed)["text"] == f"Join: {LINK}"
    for email in moved.values():
        assert LINK not in email.subject + email.text + email.html + email.sealed
    TaskResult = new.get_model("django_tasks_database", "DBTaskResult")
    assert not TaskResult.objects.filter(pk=ready.pk).exists()
    assert not TaskResult.objects.filter(task_path="shiftpractice.core.tasks.send_email").exists()

    # New rows get new ids (the id sequence was moved past the copied rows).
    from shiftpractice.core.models import EmailDelivery

    fresh = EmailDelivery.objects.create(
        to_address="x@example.org", purpose="other", subject="New", next_attempt_at=timezone.now()
    )
    assert fresh.pk > max(email.pk for email in moved.values())
