"""The monthly network digest: for each member who asked for it, what is new in the networks of their
programmes (projects approved for the public, upcoming network events, new members who offer help), emailed once
a month with a one-click unsubscribe (RFC 8058: ``List-Unsubscribe`` and ``List-Unsubscribe-Post``).

``manage.py send_network_digest`` sends it (monthly, from cron: ``docs/operations.md``); sending twice in a month
sends nothing more (``DigestLedger``). Members see this month's digest on the page ``network:digest``.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shiftpractice.core.choices import EmailPurpose
from shiftpractice.core.emails import email_queue, render_pair
from shiftpractice.notifications.services import absolute
from shiftpractice.projects.models import ChangeProject

from . import members
from .models import DigestLedger, DirectoryProfile, NetworkEvent

ITEMS = 5  # of each kind, with a count of the rest
EVENTS_AHEAD = timedelta(days=45)


def month_of(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    return month_of(month - timedelta(days=1))


@dataclass
class Digest:
    month: date
    projects: list = field(default_factory=list)
    project_count: int = 0
    events: list = field(default_factory=list)
    event_count: int = 0
    helpers: list = field(default_factory=list)
    helper_count: int = 0

    @property
    def empty(self) -> bool:
        return not (self.project_count or self.event_count or self.helper_count)


def digest_for(user, *, month: date | None = None) -> Digest:
    """What the digest for ``month`` (the first of a month; this one by default) tells this person: what
    happened since the start of the month before, in the programmes whose network they belong to. Six queries."""
    month = month or month_of(timezone.localdate())
    since = timezone.make_aware(datetime.combine(previous_month(month), time.min))
    progs = members.programme_ids(user)
    projects = (
        ChangeProject.objects.visible_to(AnonymousUser())
        .filter(cohort__programme_id__in=progs, public_approved_at__gte=since)
        .select_related("cohort__programme")
        .order_by("-public_approved_at", "-id")
    )
    now = timezone.now()
    events = (
        NetworkEvent.objects.filter(
            programme_id__in=progs, starts_at__gte=now, starts_at__lte=now + EVENTS_AHEAD
        )
        .select_related("programme")
        .order_by("starts_at", "id")
    )
    helpers = (
        members.directory(user)
        .filter(listed_at__gte=since)
        .exclude(offers=[])
        .exclude(user=user)
        .order_by("-created_at", "-id")
    )
    return Digest(
        month=month,
        projects=list(projects[:ITEMS]),
        project_count=projects.count(),
        events=list(events[:ITEMS]),
        event_count=events.count(),
        helpers=list(helpers[:ITEMS]),
        helper_count=helpers.count(),
    )


def unsubscribe_url(profile: DirectoryProfile) -> str:
    return absolute(reverse("network:unsubscribe", args=[profile.unsubscribe_token]))


def send_digests(*, today: date | None = None) -> int:
    """Email this month's digest to every member who asked for it and has not had it; returns how many went.
    Each person's is written in a transaction of its own with its ledger row, so a second run (or a run beside
    this one) sends nobody theirs twice. A digest with nothing in it is recorded and not sent."""
    month = month_of(today or timezone.localdate())
    sent = 0
    wanting = (
        DirectoryProfile.objects.filter(digest=True, user__is_active=True, user__erased_at__isnull=True)
        .exclude(Q(user__in=DigestLedger.objects.filter(month=month).values("user")))
        .select_related("user")
        .order_by("pk")
    )
    for profile in wanting.iterator(chunk_size=200):
        try:
            with transaction.atomic():
                DigestLedger.objects.create(user=profile.user, month=month)
                digest = digest_for(profile.user, month=month)
                if digest.empty:
                    continue
                link = unsubscribe_url(profile)
                text, html = render_pair(
                    "network/emails/digest",
                    {
                        "digest": digest,
                        "person": profile.user,
                        "unsubscribe_url": link,
                        "site": absolute("/"),
                    },
                )
                email_queue(
                    to=profile.user.email,
                    recipient=profile.user,
                    purpose=EmailPurpose.NETWORK_DIGEST,
                    subject=f"The network in {month:%B %Y}",
                    text=text,
                    html=html,
                    reference=f"network-digest:{month:%Y-%m}",
                    headers={
                        "List-Unsubscribe": f"<{link}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    },
                )
                sent += 1
        except IntegrityError:  # another run took this person's digest a moment ago
            continue
    return sent


@transaction.atomic
def unsubscribe(*, token: str) -> DirectoryProfile | None:
    profile = DirectoryProfile.objects.select_for_update().filter(unsubscribe_token=token).first()
    if profile is not None and profile.digest:
        profile.digest = False
        profile.save(update_fields=["digest", "updated_at"])
    return profile
