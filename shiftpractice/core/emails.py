"""The outbox: every email of the site is written here in the caller's transaction and sent by the worker once it
commits, with a lease on each claimed send, back-off retries, and at most one hand-over to the mail server.

Apps above ``core`` put mail in with ``email_queue``. An email whose body holds a working link (an invitation,
a password reset) is stored without a body: the app registers a renderer for its purpose (in its
``AppConfig.ready``) that builds the body at send time from the row's reference, recipient and sealed secret.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .audit import audit
from .choices import EmailPurpose, EmailStatus
from .models import EmailDelivery
from .sealing import seal, unseal

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Minutes to wait after the n-th failed attempt: quick at first, then hours, about a day in all.
BACKOFF_MINUTES = [1, 5, 15, 60, 120, 240, 480, 720]
# How long a claimed send belongs to the worker that claimed it. A worker that died before handing the message
# to the mail server loses its claim after this and any later run sends the email.
CLAIM_LEASE = timedelta(minutes=10)
INTERRUPTED = (
    "Interrupted while handing the email to the mail server: check the mail server's log before retrying, "
    "so the person is not sent it twice."
)


@dataclass(frozen=True)
class Rendered:
    """The parts of an email a renderer makes at send time."""

    text: str
    html: str = ""
    subject: str = ""


# A renderer gets the outbox row and its opened secrets, and returns the email, or None when it is no longer
# needed (an invitation accepted or replaced before its email went).
Renderer = Callable[[EmailDelivery, dict[str, str]], Rendered | None]
_renderers: dict[str, Renderer] = {}


def register_renderer(purpose: str, renderer: Renderer) -> None:
    """Let an app build the body of its emails at send time (call from ``AppConfig.ready``)."""
    if purpose not in EmailPurpose.values:
        raise ValueError(f"Unknown email purpose {purpose!r}: declare it in core/choices.py")
    _renderers[purpose] = renderer


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def render_pair(template: str, context: dict) -> tuple[str, str]:
    """Render ``<template>.txt`` and ``<template>.html`` with one context."""
    return render_to_string(f"{template}.txt", context), render_to_string(f"{template}.html", context)


def _enqueue_on_commit(email: EmailDelivery) -> None:
    from .tasks import deliver_email  # the task module imports this one

    # Robust: the email is already in the outbox (committed), and `deliver_emails` sends whatever a failed
    # hand-over left queued, so a queue that cannot take the task now must not fail the person's request.
    transaction.on_commit(partial(deliver_email.enqueue, delivery_id=email.pk), robust=True)


def email_queue(
    *,
    to: str,
    purpose: str,
    subject: str,
    text: str = "",
    html: str = "",
    recipient=None,
    reference: str = "",
    secrets: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailDelivery:
    """Put one email in the outbox; the worker is asked to send it when the caller's transaction commits.

    Call inside the service transaction that made the change, so nothing is sent about a change that rolled
    back and nothing is lost if the mail server is down. ``secrets`` are sealed, and wiped once sent.
    ``headers``: extra headers of the message (``List-Unsubscribe``), sent on every attempt.
    """
    if purpose not in EmailPurpose.values:
        raise ValueError(f"Unknown email purpose {purpose!r}: declare it in core/choices.py")
    email = EmailDelivery.objects.create(
        recipient=recipient,
        to_address=to,
        purpose=purpose,
        reference=reference,
        subject=subject[:200],
        text=text,
        html=html,
        sealed=seal(secrets) if secrets else "",
        headers=headers or {},
        next_attempt_at=timezone.now(),
    )
    _enqueue_on_commit(email)
    return email


def _message_id(email: EmailDelivery) -> str:
    # The same Message-ID on every attempt, so mail clients treat an operator's re-send as one message.
    domain = urlsplit(settings.SITE_URL).hostname or "shiftpractice.invalid"
    return f"<shiftpractice.outbox.{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def _build(email: EmailDelivery) -> EmailMultiAlternatives | None:
    secrets = unseal(email.sealed)
    subject, text, html = email.subject, email.text, email.html
    renderer = _renderers.get(email.purpose)
    if renderer is not None:
        rendered = renderer(email, secrets)
        if rendered is None:
            return None
        subject, text, html = rendered.subject or subject, rendered.text, rendered.html
    else:
        text, html = secrets.get("text", text), secrets.get("html", html)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_address],
        headers={**(email.headers or {}), "Message-ID": _message_id(email)},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def _claim(delivery_id: int, now) -> int | None:
    """Take the send for this worker: returns the attempt number that identifies the claim, or None."""
    claimable = Q(status=EmailStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=EmailStatus.SENDING, lease_expires_at__lt=now, handed_over_at__isnull=True
    )
    claimed = EmailDelivery.objects.filter(claimable, pk=delivery_id, attempts__lt=MAX_ATTEMPTS).update(
        status=EmailStatus.SENDING,
        claimed_at=now,
        lease_expires_at=now + CLAIM_LEASE,
        handed_over_at=None,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return EmailDelivery.objects.values_list("attempts", flat=True).get(pk=delivery_id)


def _failed(email: EmailDelivery, attempt: int, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    mine = EmailDelivery.objects.filter(pk=email.pk, attempts=attempt)
    if attempt >= MAX_ATTEMPTS:
        mine.update(status=EmailStatus.FAILED, last_error=error, lease_expires_at=None)
        logger.error(
            "email %s to %s failed %d times, giving up: %s", email.pk, email.to_address, attempt, error
        )
        return "failed"
    when = timezone.now() + backoff(attempt)
    mine.update(status=EmailStatus.PENDING, next_attempt_at=when, last_error=error, lease_expires_at=None)
    logger.warning(
        "email %s to %s failed (attempt %d), retrying at %s: %s",
        email.pk,
        email.to_address,
        attempt,
        when.isoformat(),
        error,
    )
    return "retry"


def email_deliver(delivery_id: int) -> str:
    """Try to send one outbox email: "sent", "retry", "failed", "cancelled", or "skipped" (not due, or another
    worker holds it).

    Each step is its own committed write, so a worker killed at any point leaves a state the next run
    understands: claimed but not handed over (taken again after the lease), or handed over (never resent).
    """
    attempt = _claim(delivery_id, timezone.now())
    if attempt is None:
        return "skipped"
    email = EmailDelivery.objects.get(pk=delivery_id)
    try:
        message = _build(email)
    except Exception as exc:  # a template or a broken seal: keep the email and say why
        return _failed(email, attempt, exc)
    mine = EmailDelivery.objects.filter(pk=delivery_id, attempts=attempt)
    if message is None:
        mine.update(status=EmailStatus.CANCELLED, sealed="", lease_expires_at=None)
        logger.info("email %s (%s) is no longer needed", email.pk, email.purpose)
        return "cancelled"
    # Only the holder of a live claim hands the message over: a worker slower than its lease finds its claim
    # gone (someone else has taken it) and stops here.
    if not mine.filter(status=EmailStatus.SENDING, lease_expires_at__gt=timezone.now()).update(
        handed_over_at=timezone.now()
    ):
        return "skipped"
    try:
        message.send()
    except Exception as exc:  # the server refused or could not be reached: it does not have the message
        return _failed(email, attempt, exc)
    mine.update(
        status=EmailStatus.SENT, sent_at=timezone.now(), sealed="", lease_expires_at=None, last_error=""
    )
    logger.info("sent email %s (%s) to %s", email.pk, email.purpose, email.to_address)
    return "sent"


def emails_process_due(*, limit: int = 500) -> dict[str, int]:
    """Send every outbox email that is due: first tries the worker missed, retries after back-off, and claims
    whose worker died before handing the email over. Safe to run often, twice, or at the same time.

    A send whose worker died after handing the message to the mail server is not resent automatically, since
    the server may already have it: it is marked failed with a note, for an operator to check and retry.
    """
    now = timezone.now()
    lost = EmailDelivery.objects.filter(status=EmailStatus.SENDING, lease_expires_at__lt=now)
    for email in lost.filter(handed_over_at__isnull=False):
        logger.error("email %s to %s was interrupted while sending", email.pk, email.to_address)
    lost.filter(handed_over_at__isnull=False).update(
        status=EmailStatus.FAILED, last_error=INTERRUPTED, lease_expires_at=None
    )
    lost.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=EmailStatus.FAILED,
        last_error="The worker stopped during every attempt to send this email.",
        lease_expires_at=None,
    )
    due = list(
        EmailDelivery.objects.filter(
            Q(status=EmailStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=EmailStatus.SENDING, lease_expires_at__lt=now, handed_over_at__isnull=True)
        )
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
        with transaction.atomic():
            email.status = EmailStatus.PENDING
            email.next_attempt_at = timezone.now()
            # A fresh set of attempts: the operator has dealt with what made the last ones fail.
            email.attempts = 0
            email.handed_over_at = None
            email.save(update_fields=["status", "next_attempt_at", "attempts", "handed_over_at"])
            audit(actor=actor, verb="email.retried", obj=email, summary=email.subject)
            _enqueue_on_commit(email)
        count += 1
    return count
