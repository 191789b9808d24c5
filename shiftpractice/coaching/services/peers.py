"""Writes on peer groups and their meetings."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.core.audit import audit
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import notify

from ..choices import PROTOCOLS, PeerGroupKind
from ..models import MeetingRole, PeerGroup, PeerGroupMember, PeerMeeting

SIZES = {PeerGroupKind.TRIAD: (3, 3), PeerGroupKind.ACTION_LEARNING_SET: (3, 8)}


def _check_members(cohort, kind, members) -> None:
    low, high = SIZES[PeerGroupKind(kind)]
    if not low <= len(members) <= high:
        size = "exactly 3 people" if low == high else f"{low} to {high} people"
        raise ValidationError({"members": f"A {PeerGroupKind(kind).label.lower()} has {size}."})
    in_cohort = set(
        Membership.objects.filter(cohort=cohort, user__in=members, role=Role.PARTICIPANT).values_list(
            "user_id", flat=True
        )
    )
    outside = [str(m) for m in members if m.pk not in in_cohort]
    if outside:
        raise ValidationError({"members": f"Not participants in {cohort}: {', '.join(outside)}."})


@transaction.atomic
def peer_group_create(*, cohort, kind, name, members, actor) -> PeerGroup:
    if kind not in PeerGroupKind.values:
        raise ValidationError({"kind": "Choose a triad or an action learning set."})
    if not (name or "").strip():
        raise ValidationError({"name": "Give the group a name."})
    _check_members(cohort, kind, members)
    try:
        with transaction.atomic():
            group = PeerGroup.objects.create(cohort=cohort, kind=kind, name=name.strip(), created_by=actor)
    except IntegrityError as exc:
        raise ValidationError({"name": f"{cohort} already has a group called {name.strip()}."}) from exc
    PeerGroupMember.objects.bulk_create([PeerGroupMember(group=group, user=m) for m in members])
    audit(actor=actor, verb="peer_group.created", obj=group, summary=group.name, members=len(members))
    return group


@transaction.atomic
def peer_group_set_members(*, group: PeerGroup, members, actor) -> PeerGroup:
    _check_members(group.cohort, group.kind, members)
    group.members.exclude(user__in=members).delete()
    have = set(group.members.values_list("user_id", flat=True))
    PeerGroupMember.objects.bulk_create(
        [PeerGroupMember(group=group, user=m) for m in members if m.pk not in have]
    )
    audit(actor=actor, verb="peer_group.members_set", obj=group, members=len(members))
    return group


@transaction.atomic
def meeting_log(
    *, group: PeerGroup, met_on: date, notes: str, roles, actor, quiet: bool = False
) -> PeerMeeting:
    """Record a meeting: ``roles`` is a list of (member, role, commitment) for those who came."""
    errors = {}
    if met_on is None:
        errors["met_on"] = "Enter the date of the meeting."
    elif met_on > timezone.localdate():
        errors["met_on"] = "The meeting date cannot be in the future: record a meeting once it happened."
    allowed = {r.value for r in PROTOCOLS[PeerGroupKind(group.kind)]["roles"]}
    member_ids = set(group.members.values_list("user_id", flat=True))
    if not roles:
        errors["__all__"] = "Choose a role for at least one person who came."
    for user, role, _ in roles:
        if user.pk not in member_ids:
            errors["__all__"] = f"{user} is not a member of {group}."
        elif role not in allowed:
            errors["__all__"] = f"{role} is not a role in a {group.get_kind_display().lower()}."
    if errors:
        raise ValidationError(errors)
    meeting = PeerMeeting.objects.create(
        group=group, met_on=met_on, notes=(notes or "").strip(), logged_by=actor
    )
    MeetingRole.objects.bulk_create(
        [
            MeetingRole(meeting=meeting, user=u, role=r, commitment=(c or "").strip()[:300])
            for u, r, c in roles
        ]
    )
    audit(actor=actor, verb="peer_meeting.logged", obj=meeting, summary=str(meeting))
    if quiet:
        return meeting
    notify(
        recipients=[m.user for m in group.members.select_related("user")],
        kind=Kind.PEER_MEETING,
        title=f"{group}: the meeting of {met_on:%-d %B} is recorded",
        url=group.get_absolute_url(),
        actor=actor,
    )
    return meeting


def next_rotation(group: PeerGroup, members: list, last_roles: dict[int, str]) -> list[tuple[object, str]]:
    """Suggest who takes which role next: the lead role (the set's presenter, the triad's coachee) moves to the
    next person in turn, so exactly one person holds it, and everyone else moves one step along the protocol.

    ``members``: users in the group, in a stable order; ``last_roles``: user id -> role at the last meeting.
    Counting on from the new presenter, the next person takes the protocol's last role (who presents next
    time), the one after the role before it, and so on; people beyond the protocol's list (more questioners
    in a larger set) take its middle role.
    """
    order = [r.value for r in PROTOCOLS[PeerGroupKind(group.kind)]["roles"]]
    if not members:
        return []
    last_presenter = next((n for n, user in enumerate(members) if last_roles.get(user.pk) == order[0]), None)
    start = 0 if last_presenter is None else (last_presenter + 1) % len(members)
    suggestions = []
    for offset in range(len(members)):
        user = members[(start + offset) % len(members)]
        role = order[0] if offset == 0 else order[len(order) - offset] if offset < len(order) else order[1]
        suggestions.append((user, role))
    suggestions.sort(key=lambda pair: members.index(pair[0]))
    return suggestions
