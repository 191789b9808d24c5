"""Telling people things: in-app notifications, emails straight away or in a daily digest, and reminders
that happen once.

Every email goes through the ``EmailDelivery`` outbox. Rows are written in the caller's transaction and the
send is queued when it commits, so nothing is emailed about a change that rolled back, and a send that fails
stays in the outbox to be retried with back-off rather than being lost.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from shiftpractice.accounts.models import User
from shiftpractice.core.audit import audit

from .choices import DEFAULT_DELIVERY, Delivery, EmailPurpose, EmailStatus
from .kinds import Kind
from .models import EmailDelivery, Notification, NotificationPreference, ReminderLedger

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Minutes to wait after the n-th failed attempt: quick at first, then hours, about a day in all.
BACKOFF_MINUTES = [1, 5, 15, 60, 120, 240, 480, 720]
# A send claimed this long ago and never finished was interrupted (the worker died mid-send).
STALE_CLAIM = timedelta(minutes=30)


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def _queue_send(delivery: EmailDelivery) -> None:
    from .tasks import deliver_email  # the task module imports this one

    transaction.on_commit(partial(deliver_email.enqueue, delivery_id=delivery.pk))


def _render(template: str, context: dict) -> tuple[str, str]:
    context = {**context, "preferences_link": absolute(reverse("notifications:preferences"))}
    return render_to_string(f"{template}.txt", context), render_to_string(f"{template}.html", context)


def _preferences(user_ids: list[int], kind: str) -> dict[int, str]:
    rows = NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind)
    return {row.user_id: row.delivery for row in rows}


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", actor=None):
    """Tell each recipient (never the actor, never twice) that something happened; returns the rows made.

    Call inside the service transaction that made the change. Emails for people who asked for them straight
    away are written to the outbox now and sent when the transaction commits; the rest wait for the digest.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}: declare it in notifications/kinds.py")
    people = {}
    for person in recipients:
        if person is None or not person.is_active:
            continue
        if actor is not None and person.pk == getattr(actor, "pk", None):
            continue
        people[person.pk] = person
    if not people:
        return []
    chosen = _preferences(list(people), kind)
    made = []
    now = timezone.now()
    for person in people.values():
        delivery = chosen.get(person.pk, DEFAULT_DELIVERY)
        note = Notification(
            recipient=person,
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            delivery=delivery,
        )
        if delivery == Delivery.IMMEDIATE:
            text, html = _render(
                "notifications/email/notification",
                {"notification": note, "recipient": person, "link": absolute(url) if url else ""},
            )
            email = EmailDelivery.objects.create(
                recipient=person,
                to_address=person.email,
                purpose=EmailPurpose.IMMEDIATE,
                subject=title[:200],
                text=text,
                html=html,
                next_attempt_at=now,
            )
            note.email = email
            note.emailed_at = now
            _queue_send(email)
        note.save()
        made.append(note)
    return made


def notify_once(*, recipient, kind: str, key: str, title: str, body: str = "", url: str = "") -> bool:
    """Notify one person about one thing once ever: False if the ledger shows it was already done.

    The ledger row and the notification are written together; the unique constraint settles a race between
    two runs of the reminder command (the second waits for the first and then finds the row).
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReminderLedger.objects.create(kind=kind, key=key[:120], recipient=recipient)
        except IntegrityError:
            return False
        notify(recipients=[recipient], kind=kind, title=title, body=body, url=url)
    return True


def digests_send(*, now=None) -> int:
    """Send each person one email holding their unread digest notifications; returns how many emails.

    Safe to run twice or at the same time: each notification is claimed for exactly one digest by a single
    UPDATE inside the transaction that writes the email.
    """
    now = now or timezone.now()
    pending = Notification.objects.filter(
        delivery=Delivery.DIGEST, emailed_at__isnull=True, read_at__isnull=True, created_at__lte=now
    )
    recipient_ids = list(pending.values_list("recipient_id", flat=True).distinct().order_by())
    sent = 0
    for person in User.objects.filter(pk__in=recipient_ids, is_active=True):
        with transaction.atomic():
            email = EmailDelivery.objects.create(
                recipient=person,
                to_address=person.email,
                purpose=EmailPurpose.DIGEST,
                subject="",
                text="",
                next_attempt_at=now,
            )
            claimed = pending.filter(recipient=person).update(email=email, emailed_at=now)
            if not claimed:
                email.delete()
                continue
            items = list(Notification.objects.filter(email=email).order_by("created_at", "id"))
            for item in items:
                item.link = absolute(item.url) if item.url else ""
            count = len(items)
            email.subject = f"shiftpractice: {count} update{'s' if count != 1 else ''} for you"
            email.text, email.html = _render(
                "notifications/email/digest",
                {"items": items, "recipient": person, "list_link": absolute(reverse("notifications:list"))},
            )
            email.save(update_fields=["subject", "text", "html"])
            _queue_send(email)
            sent += 1
    return sent


def email_deliver(delivery_id: int) -> str:
    """Try to send one outbox email: "sent", "retry", "failed", or "skipped" (not due, or someone else has it).

    The claim (pending -> sending) is one UPDATE, so however many workers and commands run, an email is sent
    at most once; a failure is logged and rescheduled with back-off, and kept after the last attempt.
    """
    now = timezone.now()
    claimed = EmailDelivery.objects.filter(
        pk=delivery_id, status=EmailStatus.PENDING, next_attempt_at__lte=now
    ).update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    email = EmailDelivery.objects.get(pk=delivery_id)
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[email.to_address]
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as exc:
        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if email.attempts >= MAX_ATTEMPTS:
            email.status = EmailStatus.FAILED
            logger.error(
                "email %s to %s failed %d times, giving up: %s",
                email.pk,
                email.to_address,
                email.attempts,
                email.last_error,
            )
        else:
            email.status = EmailStatus.PENDING
            email.next_attempt_at = timezone.now() + backoff(email.attempts)
            logger.warning(
                "email %s to %s failed (attempt %d), retrying at %s: %s",
                email.pk,
                email.to_address,
                email.attempts,
                email.next_attempt_at.isoformat(),
                email.last_error,
            )
        email.save(update_fields=["status", "next_attempt_at", "last_error"])
        return "failed" if email.status == EmailStatus.FAILED else "retry"
    email.status = EmailStatus.SENT
    email.sent_at = timezone.now()
    email.save(update_fields=["status", "sent_at"])
    logger.info("sent email %s (%s) to %s", email.pk, email.purpose, email.to_address)
    return "sent"


def emails_process_due(*, limit: int = 500) -> dict[str, int]:
    """Send every outbox email that is due (first tries the worker missed, and retries after back-off).

    A send interrupted mid-way (claimed long ago, never finished) is not resent automatically, since the mail
    server may already have it: it is marked failed with a note, for an operator to check and retry.
    """
    now = timezone.now()
    stale = EmailDelivery.objects.filter(status=EmailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    for email in stale:
        logger.error("email %s to %s was interrupted while sending", email.pk, email.to_address)
    stale.update(
        status=EmailStatus.FAILED,
        last_error="Interrupted while sending: check the mail server's log before retrying, "
        "so the person is not sent it twice.",
    )
    due = list(
        EmailDelivery.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    outcome: dict[str, int] = {}
    for pk in due:
        result = email_deliver(pk)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


def emails_retry(*, deliveries, actor) -> int:
    """Put failed emails back in the queue (an operator's decision, from the admin)."""
    count = 0
    for email in deliveries.filter(status=EmailStatus.FAILED):
        email.status = EmailStatus.PENDING
        email.next_attempt_at = timezone.now()
        email.save(update_fields=["status", "next_attempt_at"])
        audit(actor=actor, verb="email.retried", obj=email, summary=email.subject)
        _queue_send(email)
        count += 1
    return count


def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str]) -> None:
    """Store a person's choice for each kind; a kind left at the quiet default keeps no row."""
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValueError(f"Unknown kind or delivery: {kind}={delivery}")
        if delivery == DEFAULT_DELIVERY:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery}
            )
