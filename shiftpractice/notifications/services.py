"""Telling people things: in-app notifications, emails straight away or in a daily digest, and reminders
that happen once.

Every email goes through the site's one outbox (``core.emails``). Rows are written in the caller's transaction
and the send is queued when it commits, so nothing is emailed about a change that rolled back, and a send that
fails stays in the outbox to be retried with back-off rather than being lost.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shiftpractice.accounts.models import User
from shiftpractice.core import emails
from shiftpractice.core.choices import EmailPurpose

from .choices import DEFAULT_DELIVERY, Delivery
from .kinds import Kind
from .models import Notification, NotificationPreference, ReminderLedger


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def _render(template: str, context: dict) -> tuple[str, str]:
    context = {**context, "preferences_link": absolute(reverse("notifications:preferences"))}
    return emails.render_pair(template, context)


def deliveries_chosen(user_ids: list[int], kind: str) -> dict[int, str]:
    """How each of these people chose to hear of this kind (absent: the default), in one query."""
    return dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )


def _people(recipients: Iterable, actor) -> dict[int, User]:
    """The active recipients by id, without the actor (nobody is told of what they did themselves)."""
    people = {}
    for person in recipients:
        if person is None or not person.is_active:
            continue
        if actor is not None and person.pk == getattr(actor, "pk", None):
            continue
        people[person.pk] = person
    return people


def _build(person, *, kind, title, body, url, actor, delivery, now) -> Notification:
    """One unsaved notification; its email is in the outbox already when the person wants it straight away."""
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
        email_straight_away(note, person, now=now)
    return note


def email_straight_away(note: Notification, person, *, now) -> None:
    """Put the email of an unsaved notification in the outbox (sent when the transaction commits)."""
    text, html = _render(
        "notifications/email/notification",
        {"notification": note, "recipient": person, "link": absolute(note.url) if note.url else ""},
    )
    note.email = emails.email_queue(
        recipient=person,
        to=person.email,
        purpose=EmailPurpose.IMMEDIATE,
        subject=note.title,
        text=text,
        html=html,
    )
    note.emailed_at = now


def check_kind(kind: str) -> None:
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}: declare it in notifications/kinds.py")


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", actor=None):
    """Tell each recipient (never the actor, never twice) that something happened; returns the rows made.

    Call inside the service transaction that made the change. Emails for people who asked for them straight
    away are written to the outbox now and sent when the transaction commits; the rest wait for the digest.
    """
    check_kind(kind)
    people = _people(recipients, actor)
    if not people:
        return []
    chosen = deliveries_chosen(list(people), kind)
    made = []
    now = timezone.now()
    for person in people.values():
        delivery = chosen.get(person.pk, DEFAULT_DELIVERY)
        note = _build(
            person, kind=kind, title=title, body=body, url=url, actor=actor, delivery=delivery, now=now
        )
        note.save()
        made.append(note)
    return made


def notify_each_once(
    *, recipients: Iterable, kind: str, key: str, title: str, body: str = "", url: str = "", actor=None
) -> list[Notification]:
    """Tell each recipient about one thing (``key``, e.g. "project-public:42") once ever, in a fixed number
    of queries however many recipients (an email each for those who want them straight away); returns the
    rows made.

    Calling it again for the same thing tells only people not told before: the ledger (``ReminderLedger``)
    holds one row per thing and person, and its unique constraint settles two calls at once (the loser's
    rows roll back to its savepoint and it tells nobody twice). Call inside the service's transaction.
    """
    check_kind(kind)
    people = _people(recipients, actor)
    key = key[:120]
    told = set(
        ReminderLedger.objects.filter(kind=kind, key=key, recipient_id__in=list(people)).values_list(
            "recipient_id", flat=True
        )
    )
    people = {pk: person for pk, person in people.items() if pk not in told}
    if not people:
        return []
    try:
        with transaction.atomic():
            ReminderLedger.objects.bulk_create(
                [ReminderLedger(kind=kind, key=key, recipient_id=pk) for pk in people]
            )
    except IntegrityError:  # some were told meanwhile by a concurrent call: one at a time, each once
        for person in people.values():
            notify_once(recipient=person, kind=kind, key=key, title=title, body=body, url=url)
        return []
    chosen = deliveries_chosen(list(people), kind)
    now = timezone.now()
    notes = [
        _build(
            person,
            kind=kind,
            title=title,
            body=body,
            url=url,
            actor=actor,
            delivery=chosen.get(pk, DEFAULT_DELIVERY),
            now=now,
        )
        for pk, person in people.items()
    ]
    return Notification.objects.bulk_create(notes)


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

    Safe to run twice or at the same time: each person's notifications are locked while their digest is
    written, and a second run then finds them already emailed.
    """
    now = now or timezone.now()
    pending = Notification.objects.filter(
        delivery=Delivery.DIGEST, emailed_at__isnull=True, read_at__isnull=True, created_at__lte=now
    )
    recipient_ids = list(pending.values_list("recipient_id", flat=True).distinct().order_by())
    sent = 0
    for person in User.objects.filter(pk__in=recipient_ids, is_active=True):
        with transaction.atomic():
            items = list(pending.filter(recipient=person).select_for_update().order_by("created_at", "id"))
            if not items:
                continue
            for item in items:
                item.link = absolute(item.url) if item.url else ""
            count = len(items)
            text, html = _render(
                "notifications/email/digest",
                {"items": items, "recipient": person, "list_link": absolute(reverse("notifications:list"))},
            )
            email = emails.email_queue(
                recipient=person,
                to=person.email,
                purpose=EmailPurpose.DIGEST,
                subject=f"shiftpractice: {count} update{'s' if count != 1 else ''} for you",
                text=text,
                html=html,
            )
            Notification.objects.filter(pk__in=[item.pk for item in items]).update(
                email=email, emailed_at=now
            )
            sent += 1
    return sent


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
