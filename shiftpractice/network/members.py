"""Who belongs to a programme's network, and what they see of each other: the directory, messages relayed
through the platform, blocks.

A programme's network is everyone in any of its cohorts (participants, alumni of finished cohorts, coaches,
facilitators, critical friends; not observers) and its leads. A person sees, in the directory, the listed members
of the programmes they belong to; the public sees nothing of it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shiftpractice.cohorts.choices import CohortStatus, Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.core import ratelimit
from shiftpractice.core.audit import audit
from shiftpractice.core.choices import EmailPurpose
from shiftpractice.core.emails import email_queue, render_pair
from shiftpractice.notifications.services import absolute
from shiftpractice.programmes.models import Programme

from .choices import Lens, Offer
from .models import Block, DirectoryProfile

NETWORK_ROLES = [Role.PARTICIPANT, Role.COACH, Role.FACILITATOR, Role.CRITICAL_FRIEND]
MESSAGES_A_DAY = 5
NOT_A_MEMBER = (
    "The network's directory and events are for the people of a programme: its participants and alumni, "
    "coaches, facilitators, critical friends and leads."
)


def programme_ids(user):
    """The programmes whose network this person belongs to, as a subquery of ids."""
    return Programme.objects.filter(
        Q(
            pk__in=Membership.objects.filter(user_id=user.pk, role__in=NETWORK_ROLES).values(
                "cohort__programme_id"
            )
        )
        | Q(pk__in=Programme.leads.through.objects.filter(user_id=user.pk).values("programme_id"))
    ).values("pk")


def is_member(user) -> bool:
    return bool(user.is_authenticated) and programme_ids(user).exists()


def require_member(user) -> None:
    if not is_member(user):
        raise PermissionDenied(NOT_A_MEMBER)


def _shares_a_programme(viewer_programmes):
    """A condition on a query with a ``user_id`` column: that person is in one of these programmes' networks."""
    in_cohort = Membership.objects.filter(
        user_id=OuterRef("user_id"), role__in=NETWORK_ROLES, cohort__programme_id__in=viewer_programmes
    )
    leads = Programme.leads.through.objects.filter(
        user_id=OuterRef("user_id"), programme_id__in=viewer_programmes
    )
    return Exists(in_cohort) | Exists(leads)


DIRECTORY_SORTS = {
    "name": ("Name", ("user__full_name", "id")),
    "newest": ("Newest first", ("-created_at", "-id")),
}


def directory(
    viewer,
    *,
    q: str = "",
    region: str = "",
    lens: str = "",
    offer: str = "",
    alumni: bool = False,
    sort: str = "name",
    listed: bool = True,
):
    """The listed members the viewer may see, filtered and sorted in the database (a queryset; each row knows
    whether the person is an alumnus of a programme the viewer is in)."""
    progs = programme_ids(viewer)
    qs = (
        DirectoryProfile.objects.filter(user__is_active=True, user__erased_at__isnull=True)
        .filter(_shares_a_programme(progs))
        .annotate(
            alumni=Exists(
                Membership.objects.filter(
                    user_id=OuterRef("user_id"),
                    role=Role.PARTICIPANT,
                    cohort__status=CohortStatus.FINISHED,
                    cohort__programme_id__in=progs,
                )
            )
        )
        .select_related("user")
    )
    if listed:
        qs = qs.filter(listed=True)
    if q:
        qs = qs.filter(
            Q(user__full_name__icontains=q)
            | Q(worked_on__icontains=q)
            | Q(topics__icontains=q)
            | Q(wants__icontains=q)
        )
    if region:
        qs = qs.filter(region=region)
    # The lists are stored as JSON arrays of choice values: a value matches as its quoted text.
    if lens in Lens.values:
        qs = qs.filter(lenses__icontains=f'"{lens}"')
    if offer in Offer.values:
        qs = qs.filter(offers__icontains=f'"{offer}"')
    if alumni:
        qs = qs.filter(alumni=True)
    return qs.order_by(*DIRECTORY_SORTS.get(sort, DIRECTORY_SORTS["name"])[1])


def own_profile(user) -> DirectoryProfile | None:
    """The person's own profile, if they have one (a page that only shows it writes nothing)."""
    return DirectoryProfile.objects.filter(user=user).first()


def profile_for(user) -> DirectoryProfile:
    """The person's own profile, made (unlisted) the first time something is saved to it."""
    profile = DirectoryProfile.objects.filter(user=user).first()
    if profile is None:
        try:
            with transaction.atomic():
                profile = DirectoryProfile.objects.create(user=user)
        except IntegrityError:  # made by a concurrent request a moment ago
            profile = DirectoryProfile.objects.get(user=user)
    return profile


def get_profile_for_viewer(viewer, public_id, *, listed: bool = True) -> DirectoryProfile:
    """A listed member the viewer may see (404 otherwise, as for someone who does not exist)."""
    require_member(viewer)
    # ``listed=False``: someone who wrote and then took themselves off the directory can still be blocked.
    profile = directory(viewer, listed=listed).filter(public_id=public_id).first()
    if profile is None:
        raise Http404("No such member")
    return profile


@transaction.atomic
def profile_save(*, user, actor, **fields) -> DirectoryProfile:
    profile = profile_for(user)
    profile = DirectoryProfile.objects.select_for_update().get(pk=profile.pk)
    was_listed = profile.listed
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.listed and not was_listed:
        profile.listed_at = timezone.now()
    profile.save()
    if was_listed != profile.listed:
        audit(
            actor=actor,
            verb="network.listed" if profile.listed else "network.unlisted",
            obj=profile,
            summary=str(profile),
            subject=user,
        )
    return profile


@transaction.atomic
def message_send(*, sender, profile: DirectoryProfile, body: str) -> None:
    """Relay a message by email: the recipient learns the sender's name and directory page, never an address;
    the sender never learns the recipient's. Refused (nothing sent) to someone who blocked the sender, beyond
    ``MESSAGES_A_DAY`` a day, or when the sender is not listed themselves (they could not be answered)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write your message."})
    recipient = profile.user
    if recipient.pk == sender.pk:
        raise ValidationError("That is your own entry.")
    mine = DirectoryProfile.objects.filter(user=sender, listed=True).first()
    if mine is None:
        raise ValidationError(
            "List yourself in the directory first, so that the person can answer you through it. Nothing was sent."
        )
    if Block.objects.filter(blocker=recipient, blocked=sender).exists():
        raise ValidationError(f"{recipient.full_name} does not take messages from you. Nothing was sent.")
    allowed, _wait = ratelimit.hit("network-message", str(sender.pk), limit=MESSAGES_A_DAY, seconds=24 * 3600)
    if not allowed:
        raise ValidationError(
            f"You have sent {MESSAGES_A_DAY} messages through the directory today: that is the most a day. "
            "Nothing was sent; try again tomorrow."
        )
    text, html = render_pair(
        "network/emails/message",
        {
            "sender": sender,
            "recipient": recipient,
            "body": body,
            "reply_url": absolute(reverse("network:message", args=[mine.public_id])),
            "sender_url": absolute(mine.get_absolute_url()),
            "block_url": absolute(reverse("network:block", args=[mine.public_id])),
        },
    )
    email_queue(
        to=recipient.email,
        recipient=recipient,
        purpose=EmailPurpose.OTHER,
        subject=f"A message from {sender.full_name} through the network",
        text=text,
        html=html,
        reference=f"network-message:{mine.public_id}",
    )
    audit(actor=sender, verb="network.message_relayed", obj=profile, summary=f"To {recipient.full_name}")


@transaction.atomic
def block_set(*, blocker, profile: DirectoryProfile, blocked: bool) -> None:
    target = profile.user
    if target.pk == blocker.pk:
        raise ValidationError("You cannot block yourself.")
    if blocked:
        Block.objects.get_or_create(blocker=blocker, blocked=target)
    else:
        Block.objects.filter(blocker=blocker, blocked=target).delete()
    audit(
        actor=blocker,
        verb="network.blocked" if blocked else "network.unblocked",
        obj=profile,
        summary=str(profile),
    )


def has_blocked(blocker, target) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=target).exists()
