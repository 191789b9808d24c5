"""Who may see and change coaching records: the chokepoints every coaching view goes through.

404 when the person may not know the thing exists; 403 when they may read it but not do what they asked.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.models import Programme
from shiftpractice.programmes.permissions import is_programme_lead

from .models import (
    Action,
    Board,
    CoachAssignment,
    CoachingPolicy,
    CoachNote,
    JournalEntry,
    PeerGroup,
    Post,
    SupportContact,
    Thread,
)

SUPPORTING_ROLES = [Role.COACH, Role.FACILITATOR]


def policy_for(programme: Programme) -> CoachingPolicy:
    """The programme's coaching policy, or the defaults (unsaved) when the lead has not set one."""
    try:
        return programme.coaching_policy
    except CoachingPolicy.DoesNotExist:
        return CoachingPolicy(programme=programme)


def leads_programme(user, programme: Programme) -> bool:
    """A named lead of the programme. Unlike ``is_programme_lead`` there is no superuser exception: being an
    administrator of the installation is not a reason to read coaching notes."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(lead.pk == user.pk for lead in programme.leads.all())


def can_read_coach_note(user, note: CoachNote, programme: Programme) -> bool:
    """A coach's private note: its author, and the programme's named leads only when the policy in force when
    the note was written let them (``note.leads_may_read``). Not whoever coaches the participant now, and not
    the leads because the policy was turned on later."""
    if not getattr(user, "is_authenticated", False):
        return False
    if note.author_id is not None and note.author_id == user.pk:
        return True
    return note.leads_may_read and leads_programme(user, programme)


def coach_notes_readable_by(user, assignment: CoachAssignment):
    """The notes on the assignment's contacts that ``user`` may read (the same rule, as one query)."""
    if not getattr(user, "is_authenticated", False):
        return CoachNote.objects.none()
    rule = Q(author_id=user.pk)
    if leads_programme(user, assignment.cohort.programme):
        rule |= Q(leads_may_read=True)
    return CoachNote.objects.filter(rule, contact__assignment=assignment)


# Coach assignments, contacts and actions -------------------------------------------------------------------


def assignments_visible_to(user):
    """Its coach, its participant and the programme's leads; no superuser exception (they have the admin)."""
    if not getattr(user, "is_authenticated", False):
        return CoachAssignment.objects.none()
    # The leads' condition is a subquery of the programmes the person leads, not a join through every lead of
    # the programme: no duplicate rows, so no DISTINCT over the assignment and everything read with it.
    led = Programme.leads.through.objects.filter(user_id=user.pk).values("programme_id")
    return CoachAssignment.objects.filter(
        Q(coach=user) | Q(participant=user) | Q(cohort__programme_id__in=led)
    )


LEADS_ONLY = "Only the programme's leads can do this."
GROUP_MANAGERS_ONLY = "Only the cohort's coaches and the programme's leads set up and change peer groups."


def get_assignment_for_user(user, public_id, *, write: bool = False) -> CoachAssignment:
    """The coaching relationship: its coach, its participant and the programme's leads may see it; only the
    coach records contacts."""
    assignment = get_object_or_404(
        assignments_visible_to(user)
        .select_related("coach", "participant", "cohort", "cohort__programme")
        .prefetch_related("cohort__programme__leads"),
        public_id=public_id,
    )
    if write:
        deny_unless(assignment.coach_id == user.pk, message="Only the coach records and changes contacts.")
    return assignment


def get_contact_for_user(user, public_id, *, write: bool = False) -> SupportContact:
    contact = get_object_or_404(SupportContact.objects.select_related("assignment"), public_id=public_id)
    contact.assignment = get_assignment_for_user(user, contact.assignment.public_id, write=write)
    return contact


def get_action_for_user(user, public_id, *, write: bool = False) -> Action:
    """Coach and participant both change an action's status; the lead only reads."""
    action = get_object_or_404(Action.objects.select_related("assignment"), public_id=public_id)
    assignment = get_assignment_for_user(user, action.assignment.public_id)
    if write:
        deny_unless(
            user.pk in {assignment.coach_id, assignment.participant_id},
            message="Only the coach and the person coached change an agreed action.",
        )
    action.assignment = assignment
    return action


def get_cohort_for_coaching(user, slug: str, *, manage: bool = False) -> Cohort:
    """A cohort's coaching overview: programme leads only (404 for anyone who cannot see the cohort)."""
    cohort = get_object_or_404(
        Cohort.objects.visible_to(user).select_related("programme").prefetch_related("programme__leads"),
        slug=slug,
    )
    deny_unless(is_programme_lead(user, cohort.programme), message=LEADS_ONLY)
    return cohort


# Journal ----------------------------------------------------------------------------------------------------


def get_entry_for_user(user, public_id, *, write: bool = False) -> JournalEntry:
    """A reflection, found only through ``JournalEntry.objects.visible_to``; only its author changes it."""
    entry = get_object_or_404(
        JournalEntry.objects.visible_to(user).select_related("author", "cohort", "peer_group"),
        public_id=public_id,
    )
    if write:
        deny_unless(
            entry.author_id == user.pk, message="Only the person who wrote a journal entry changes it."
        )
    return entry


# Peer groups ------------------------------------------------------------------------------------------------


def peer_groups_visible_to(user):
    """Members see their groups; the cohort's coaches and facilitators and the programme's leads see all of
    the cohort's groups. No superuser exception."""
    if not getattr(user, "is_authenticated", False):
        return PeerGroup.objects.none()
    supporting = Membership.objects.filter(user=user, role__in=SUPPORTING_ROLES).values("cohort_id")
    return PeerGroup.objects.filter(
        Q(members__user=user) | Q(cohort_id__in=supporting) | Q(cohort__programme__leads=user)
    ).distinct()


def can_manage_peer_groups(user, cohort: Cohort) -> bool:
    if is_programme_lead(user, cohort.programme):
        return True
    return Membership.objects.filter(user=user, cohort=cohort, role__in=SUPPORTING_ROLES).exists()


def get_peer_group_for_user(user, public_id, *, write: bool = False, manage: bool = False) -> PeerGroup:
    """``write``: record a meeting (members, and those who manage groups); ``manage``: change the group."""
    group = get_object_or_404(
        peer_groups_visible_to(user)
        .select_related("cohort", "cohort__programme")
        .prefetch_related("cohort__programme__leads", "members__user"),
        public_id=public_id,
    )
    is_member = any(m.user_id == user.pk for m in group.members.all())
    if manage:
        deny_unless(can_manage_peer_groups(user, group.cohort), message=GROUP_MANAGERS_ONLY)
    elif write:
        deny_unless(
            is_member or can_manage_peer_groups(user, group.cohort),
            message="Only the group's members (and its cohort's coaches and leads) record its meetings.",
        )
    return group


# Discussions -----------------------------------------------------------------------------------------------


def can_moderate(user, board: Board) -> bool:
    programme = board.programme if board.programme_id else board.cohort.programme
    return is_programme_lead(user, programme)


def get_cohort_board_cohort(user, slug: str) -> Cohort:
    """Everyone in the cohort (any role) and the programme's leads read and post on its board."""
    return get_object_or_404(
        Cohort.objects.visible_to(user).select_related("programme").prefetch_related("programme__leads"),
        slug=slug,
    )


def get_programme_board_programme(user, slug: str) -> Programme:
    """Everyone in any cohort of the programme and its leads read and post on the programme's board."""
    return get_object_or_404(Programme.objects.visible_to(user).prefetch_related("leads"), slug=slug)


def board_readable(user, board: Board) -> bool:
    if board.cohort_id:
        return Cohort.objects.visible_to(user).filter(pk=board.cohort_id).exists()
    return Programme.objects.visible_to(user).filter(pk=board.programme_id).exists()


def get_thread_for_user(user, public_id) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related(
            "board", "board__cohort", "board__programme", "board__cohort__programme"
        ),
        public_id=public_id,
    )
    deny_unless(board_readable(user, thread.board), visible=False)
    return thread


def get_post_for_user(user, public_id, *, own: bool = False, moderate: bool = False) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread"), public_id=public_id)
    post.thread = get_thread_for_user(user, post.thread.public_id)
    if own:
        deny_unless(
            post.author_id == user.pk and post.deleted_at is None, message="Only the author changes a post."
        )
    if moderate:
        deny_unless(can_moderate(user, post.thread.board), message=LEADS_ONLY)
    return post
