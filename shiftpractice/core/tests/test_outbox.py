"""The outbox every email goes through: leases on claimed sends, recovery after a dead worker, at most one
hand-over to the mail server, and secrets sealed until sent and then wiped."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from shiftpractice.core import emails
from shiftpractice.core.choices import EmailPurpose, EmailStatus
from shiftpractice.core.models import EmailDelivery
from shiftpractice.core.sealing import SealBroken, seal, unseal

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class WorkerKilled(BaseException):
    """Stands for the worker process dying: like a SIGKILL, nothing after it in the worker runs, and an
    ``except Exception`` does not catch it. Every write the worker made before it was committed."""


class KilledAfterHandOverBackend(LocmemBackend):
    """The mail server accepts the message, then the worker dies before it can record that."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


def queue(**extra) -> EmailDelivery:
    fields = {"to": "someone@example.org", "purpose": EmailPurpose.OTHER, "subject": "Hello", "text": "Body"}
    return emails.email_queue(**{**fields, **extra})


def after_the_lease():
    return time_machine.travel(timezone.now() + emails.CLAIM_LEASE + timedelta(seconds=1))


@pytest.fixture
def killed_while_rendering(monkeypatch):
    """The worker dies after claiming the send and before handing it to the mail server."""

    def render(email, secrets):
        raise WorkerKilled

    monkeypatch.setitem(emails._renderers, EmailPurpose.OTHER, render)
    return lambda: monkeypatch.delitem(emails._renderers, EmailPurpose.OTHER)


def test_a_send_whose_worker_died_before_the_hand_over_is_recovered_after_its_lease_and_sent_once(
    killed_while_rendering,
):
    email = queue()
    with pytest.raises(WorkerKilled):
        emails.email_deliver(email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING and email.handed_over_at is None and not mail.outbox

    # While the dead worker's lease runs, nobody else takes the email.
    assert emails.email_deliver(email.pk) == "skipped"
    assert emails.emails_process_due() == {}

    killed_while_rendering()  # the next worker is healthy
    with after_the_lease():
        call_command("deliver_emails")
        call_command("deliver_emails")
        assert emails.email_deliver(email.pk) == "skipped"
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].body == "Body"


def test_a_send_whose_worker_died_after_the_hand_over_is_never_sent_again(settings):
    email = queue()
    settings.EMAIL_BACKEND = "shiftpractice.core.tests.test_outbox.KilledAfterHandOverBackend"
    with pytest.raises(WorkerKilled):
        emails.email_deliver(email.pk)
    assert len(mail.outbox) == 1  # the mail server has it
    settings.EMAIL_BACKEND = LOCMEM

    with after_the_lease():
        emails.emails_process_due()
        emails.emails_process_due()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and "check the mail server's log" in email.last_error
    assert len(mail.outbox) == 1

    # Resending is an operator's decision, after checking the mail log.
    assert emails.emails_retry(deliveries=EmailDelivery.objects.all(), actor=None) == 1
    assert emails.emails_process_due() == {"sent": 1}
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == mail.outbox[1].extra_headers["Message-ID"]


def test_a_worker_slower_than_its_lease_loses_the_email_to_the_next_and_it_goes_once(monkeypatch):
    email = queue()
    outcomes = []

    def slow_then_overtaken(row, secrets):
        monkeypatch.delitem(emails._renderers, EmailPurpose.OTHER)
        with after_the_lease():  # meanwhile, its lease runs out and another worker takes the email
            outcomes.append(emails.email_deliver(row.pk))
        return emails.Rendered(text="from the slow worker")

    monkeypatch.setitem(emails._renderers, EmailPurpose.OTHER, slow_then_overtaken)
    outcomes.append(emails.email_deliver(email.pk))
    assert outcomes == ["sent", "skipped"]
    assert [m.body for m in mail.outbox] == ["Body"]


def test_a_worker_that_dies_every_time_gives_up_after_the_last_attempt(killed_while_rendering):
    email = queue()
    now = timezone.now()
    for attempt in range(emails.MAX_ATTEMPTS):
        later = now + attempt * (emails.CLAIM_LEASE + timedelta(seconds=1))
        with time_machine.travel(later), pytest.raises(WorkerKilled):
            emails.email_deliver(email.pk)
    with time_machine.travel(now + emails.MAX_ATTEMPTS * (emails.CLAIM_LEASE + timedelta(seconds=1))):
        assert emails.emails_process_due() == {}
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and "stopped during every attempt" in email.last_error


def test_emails_are_queued_on_commit_and_never_for_a_change_that_rolled_back(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        queue(subject="Kept")
        with pytest.raises(RuntimeError), transaction.atomic():
            queue(subject="Rolled back")
            raise RuntimeError
    assert [m.subject for m in mail.outbox] == ["Kept"]
    assert list(EmailDelivery.objects.values_list("subject", flat=True)) == ["Kept"]


def test_secrets_are_sealed_until_sent_then_wiped(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = queue(text="", secrets={"text": "Your link: https://x.example/live-secret-123/"})
    assert "live-secret-123" not in email.sealed and email.text == ""
    assert unseal(email.sealed)["text"].endswith("live-secret-123/")
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.sealed == ""
    assert "live-secret-123" in mail.outbox[0].body


def test_the_database_refuses_a_sent_email_that_still_holds_a_secret():
    email = queue(secrets={"token": "t"})
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailDelivery.objects.filter(pk=email.pk).update(status=EmailStatus.SENT, sent_at=timezone.now())


def test_a_renderer_can_cancel_an_email_that_is_no_longer_needed(monkeypatch):
    monkeypatch.setitem(emails._renderers, EmailPurpose.OTHER, lambda email, secrets: None)
    email = queue(secrets={"token": "t"})
    assert emails.email_deliver(email.pk) == "cancelled"
    email.refresh_from_db()
    assert email.status == EmailStatus.CANCELLED and email.sealed == "" and not mail.outbox


def test_unknown_purposes_are_refused():
    with pytest.raises(ValueError, match="declare it"):
        queue(purpose="made-up")


def test_sealing_needs_this_sites_key_and_survives_a_key_rotation(settings):
    sealed = seal({"token": "abc"})
    assert "abc" not in sealed and unseal(sealed) == {"token": "abc"}
    with pytest.raises(SealBroken):
        unseal(sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB"))
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-key-" + "x" * 40, [old_key]
    assert unseal(sealed) == {"token": "abc"}
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(SealBroken):
        unseal(sealed)


def test_the_migration_seals_exactly_as_the_app_does():
    import importlib

    migration = importlib.import_module("shiftpractice.core.migrations.0003_seal_legacy_email_tasks")
    assert unseal(migration._seal({"text": "T", "html": "H"})) == {"text": "T", "html": "H"}
