"""Writes on coaching: the policy, coach assignments, support contacts with their notes and actions.

Each function runs in one transaction, checks what the database cannot, records an audit event and tells the
people concerned (notifications never carry the coach's private notes).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.core.audit import audit
from shiftpractice.core.text import render_markdown
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import notify
from shiftpractice.projects.models import ChangeProject, Cycle

from ..choices import ActionOwner, ActionStatus, ContactMode, Initiator
from ..models import Action, CoachAssignment, CoachingPolicy, CoachNote, SupportContact
from ..models.support import MAX_CONTACT_MINUTES


@dataclass(frozen=True)
class ActionSpec:
    """An action agreed during a contact, checked and created in the contact's transaction."""

    description: str
    owner: str
    due_on: date
    project: ChangeProject | None = None
    cycle: Cycle | None = None


@transaction.atomic
def policy_update(*, programme, actor, **fields) -> CoachingPolicy:
    """Change the programme's coaching policy. The audit event keeps each changed field's old and new value.

    Who may read coaches' notes applies to notes written from now on (each note keeps the policy it was
    written under), and the programme's participants and coaches are told when it changes.
    """
    policy, _ = CoachingPolicy.objects.select_for_update().get_or_create(programme=programme)
    before = {name: getattr(policy, name) for name in fields}
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    changes = {
        name: {"old": before[name], "new": getattr(policy, name)}
        for name in sorted(fields)
        if before[name] != getattr(policy, name)
    }
    audit(actor=actor, verb="coaching_policy.updated", obj=policy, fields=sorted(fields), changes=changes)
    if "leads_read_coach_notes" in changes:
        _announce_notes_policy(policy, actor)
    return policy


def _announce_notes_policy(policy: CoachingPolicy, actor) -> None:
    """Tell the programme's participants (and its coaches, who write the notes) who reads notes from now on."""
    programme = policy.programme
    people = {
        role: [
            m.user
            for m in Membership.objects.filter(cohort__programme=programme, role=role).select_related("user")
        ]
        for role in (Role.PARTICIPANT, Role.COACH)
    }
    url = reverse("coaching:dashboard")
    if policy.leads_read_coach_notes:
        participant_title = f"{programme.name}: programme leads can now read coaches' private notes"
        participant_body = (
            "From now on, the private notes your coach writes about your conversations can be read by the "
            "programme leads as well as your coach. Notes written before this change stay for your coach alone."
        )
        coach_title = f"{programme.name}: programme leads can read the private notes you write from now on"
        coach_body = "Notes you wrote before this change stay for you alone."
    else:
        participant_title = f"{programme.name}: coaches' private notes are now for the coach alone"
        participant_body = (
            "From now on, only your coach reads the private notes they write about your conversations. Notes "
            "written while the programme leads could read them stay readable by the leads."
        )
        coach_title = f"{programme.name}: the private notes you write from now on are for you alone"
        coach_body = "Notes you wrote while the programme leads could read them stay readable by the leads."
    notify(
        recipients=people[Role.PARTICIPANT],
        kind=Kind.COACHING_PRIVACY,
        title=participant_title,
        body=participant_body,
        url=url,
        actor=actor,
    )
    notify(
        recipients=people[Role.COACH],
        kind=Kind.COACHING_PRIVACY,
        title=coach_title,
        body=coach_body,
        url=url,
        actor=actor,
    )


def _check_assignment(*, cohort, coach, participant, starts_on, ends_on) -> None:
    errors = {}
    roles = dict(
        Membership.objects.filter(cohort=cohort, user__in=[coach, participant]).values_list("user_id", "role")
    )
    if roles.get(participant.pk) != Role.PARTICIPANT:
        errors["participant"] = f"{participant} is not a participant in {cohort}."
    if roles.get(coach.pk) != Role.COACH:
        errors["coach"] = f"{coach} is not a coach in {cohort}: add them to the cohort as a coach first."
    if ends_on and starts_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assignment_create(
    *, cohort, coach, participant, starts_on, ends_on=None, actor, quiet: bool = False
) -> CoachAssignment:
    """Assign a coach to a participant of the cohort; a participant has one coach per cohort."""
    _check_assignment(
        cohort=cohort, coach=coach, participant=participant, starts_on=starts_on, ends_on=ends_on
    )
    if CoachAssignment.objects.filter(cohort=cohort, participant=participant).exists():
        raise ValidationError(
            {"participant": f"{participant} already has a coach in {cohort}: change that assignment instead."}
        )
    try:
        with transaction.atomic():
            assignment = CoachAssignment.objects.create(
                cohort=cohort,
                coach=coach,
                participant=participant,
                starts_on=starts_on,
                ends_on=ends_on,
                assigned_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError({"participant": f"{participant} already has a coach in {cohort}."}) from exc
    audit(actor=actor, verb="coach_assignment.created", obj=assignment, summary=str(assignment))
    if quiet:
        return assignment
    url = assignment.get_absolute_url()
    notify(
        recipients=[participant],
        kind=Kind.COACH_ASSIGNED,
        title=f"{coach} is your coach in {cohort}",
        url=url,
        actor=actor,
    )
    notify(
        recipients=[coach],
        kind=Kind.COACH_ASSIGNED,
        title=f"You are coaching {participant} in {cohort}",
        url=url,
        actor=actor,
    )
    return assignment


@transaction.atomic
def assignment_update(*, assignment: CoachAssignment, coach, starts_on, ends_on, actor) -> CoachAssignment:
    """Change the dates, or hand the participant to another coach.

    A new coach does not inherit the earlier coach's private notes (a note is read by its author) nor the
    reflections shared with the earlier coach (each entry records the coach it was shared with). The
    participant is told what the new coach can and cannot see; the earlier coach that they no longer coach.
    """
    _check_assignment(
        cohort=assignment.cohort,
        coach=coach,
        participant=assignment.participant,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    previous = assignment.coach
    changed_coach = coach.pk != assignment.coach_id
    assignment.coach, assignment.starts_on, assignment.ends_on = coach, starts_on, ends_on
    assignment.save()
    extra = {"coach": {"old": previous.pk, "new": coach.pk}} if changed_coach else {}
    audit(actor=actor, verb="coach_assignment.updated", obj=assignment, summary=str(assignment), **extra)
    if changed_coach:
        participant, cohort = assignment.participant, assignment.cohort
        notify(
            recipients=[participant],
            kind=Kind.COACH_ASSIGNED,
            title=f"{coach} is now your coach in {cohort}, instead of {previous}",
            body=(
                f"{coach} can see the summaries of your past contacts and your actions, and the reflections "
                f"you share with your coach from now on. {coach} cannot read {previous}'s private notes, nor "
                f"the reflections you shared with {previous} (who can still read those; make one “only me” "
                f"to take it back, then share it again to show it to {coach})."
            ),
            url=assignment.get_absolute_url(),
            actor=actor,
        )
        notify(
            recipients=[coach],
            kind=Kind.COACH_ASSIGNED,
            title=f"You are coaching {participant} in {cohort}",
            body=f"{previous} coached them before you; their private notes stay theirs.",
            url=assignment.get_absolute_url(),
            actor=actor,
        )
        notify(
            recipients=[previous],
            kind=Kind.COACH_ASSIGNED,
            title=f"You no longer coach {participant} in {cohort}: {coach} does",
            body=(
                f"Your private notes and the reflections {participant} shared with you stay readable by you "
                f"alone; {coach} cannot read them."
            ),
            url=reverse("coaching:dashboard"),
            actor=actor,
        )
    return assignment


def linkable_projects(assignment: CoachAssignment):
    """The participant's projects in the assignment's cohort: the ones an action may be linked to."""
    participant = assignment.participant_id
    return (
        ChangeProject.objects.filter(cohort_id=assignment.cohort_id)
        .filter(Q(owner_id=participant) | Q(members__user_id=participant))
        .distinct()
    )


def _check_action(
    spec: ActionSpec, assignment: CoachAssignment, *, prefix: str = "", backdated: bool = False
) -> dict:
    errors = {}
    if not (spec.description or "").strip():
        errors[f"{prefix}description"] = "Describe the action."
    if spec.owner not in ActionOwner.values:
        errors[f"{prefix}owner"] = "Choose whose action it is."
    if spec.due_on is None:
        errors[f"{prefix}due_on"] = "Enter the date the action is due."
    elif spec.due_on < timezone.localdate() and not backdated:
        errors[f"{prefix}due_on"] = "The due date must be today or later."
    projects = linkable_projects(assignment)
    if spec.project is not None and not projects.filter(pk=spec.project.pk).exists():
        errors[f"{prefix}project"] = "Link the action to one of the participant's own projects."
    if spec.cycle is not None and not projects.filter(pk=spec.cycle.project_id).exists():
        errors[f"{prefix}project"] = "Link the action to a PDSA cycle of one of the participant's projects."
    return errors


def _create_action(spec: ActionSpec, *, assignment, contact, actor) -> Action:
    action = Action.objects.create(
        assignment=assignment,
        contact=contact,
        owner=spec.owner,
        description=spec.description.strip(),
        due_on=spec.due_on,
        project=spec.cycle.project if spec.cycle is not None else spec.project,
        cycle=spec.cycle,
        created_by=actor,
    )
    audit(actor=actor, verb="coaching_action.created", obj=action, summary=action.description)
    return action


@transaction.atomic
def action_create(*, assignment: CoachAssignment, spec: ActionSpec, actor) -> Action:
    errors = _check_action(spec, assignment)
    if errors:
        raise ValidationError(errors)
    action = _create_action(spec, assignment=assignment, contact=None, actor=actor)
    notify(
        recipients=[assignment.participant, assignment.coach],
        kind=Kind.ACTION_AGREED,
        title=f"New action, due {action.due_on:%-d %B %Y}: {action.description}",
        url=assignment.get_absolute_url(),
        actor=actor,
    )
    return action


@transaction.atomic
def action_set_status(*, action: Action, status: str, actor) -> Action:
    if status not in ActionStatus.values:
        raise ValidationError("Choose open, done or dropped.")
    if action.status == status:
        return action
    action.status = status
    action.closed_at = None if status == ActionStatus.OPEN else timezone.now()
    action.save(update_fields=["status", "closed_at", "updated_at"])
    audit(actor=actor, verb="coaching_action.status", obj=action, summary=action.description, status=status)
    return action


def _check_contact(
    *, assignment, occurred_on, mode, duration_minutes, initiated_by, summary, next_contact_on
) -> dict:
    errors = {}
    today = timezone.localdate()
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date of the contact."
    elif occurred_on > today:
        errors["occurred_on"] = (
            "The date of the contact cannot be in the future: log a contact once it happened."
        )
    elif occurred_on < assignment.starts_on:
        errors["occurred_on"] = (
            f"The contact is before the coaching began on {assignment.starts_on:%-d %B %Y}: check the date."
        )
    if mode not in ContactMode.values:
        errors["mode"] = "Choose how you were in touch."
    if initiated_by not in Initiator.values:
        errors["initiated_by"] = "Choose who got in touch."
    if duration_minutes is None or duration_minutes < 0:
        errors["duration_minutes"] = "The duration must be 0 minutes or more."
    elif duration_minutes > MAX_CONTACT_MINUTES:
        errors["duration_minutes"] = (
            f"A contact cannot last more than {MAX_CONTACT_MINUTES} minutes (8 hours)."
        )
    if not (summary or "").strip():
        errors["summary"] = "Write a summary to share with the participant."
    if next_contact_on and occurred_on and next_contact_on < occurred_on:
        errors["next_contact_on"] = "The next contact must be on or after this one."
    return errors


@transaction.atomic
def contact_log(
    *,
    assignment: CoachAssignment,
    actor,
    occurred_on: date,
    mode: str,
    duration_minutes: int,
    initiated_by: str,
    summary: str,
    notes: str = "",
    next_contact_on: date | None = None,
    actions: list[ActionSpec] = (),
    backdated: bool = False,
) -> SupportContact:
    """Record a contact with its shared summary, the coach's private notes and the actions agreed, all or
    nothing. Error keys for the n-th action are prefixed ``action_<n>_``.

    ``backdated`` records history (the demo, an import): actions may be due in the past, and nobody is
    notified, since it is not news.
    """
    errors = _check_contact(
        assignment=assignment,
        occurred_on=occurred_on,
        mode=mode,
        duration_minutes=duration_minutes,
        initiated_by=initiated_by,
        summary=summary,
        next_contact_on=next_contact_on,
    )
    for n, spec in enumerate(actions, start=1):
        errors.update(_check_action(spec, assignment, prefix=f"action_{n}_", backdated=backdated))
    if errors:
        raise ValidationError(errors)
    contact = SupportContact.objects.create(
        assignment=assignment,
        occurred_on=occurred_on,
        mode=mode,
        duration_minutes=duration_minutes,
        initiated_by=initiated_by,
        summary=summary.strip(),
        summary_html=render_markdown(summary.strip()),
        next_contact_on=next_contact_on,
        logged_by=actor,
    )
    if notes.strip():
        # The note keeps the policy it was written under: turning the policy on later does not expose it.
        policy = CoachingPolicy.objects.filter(programme_id=assignment.cohort.programme_id).first()
        CoachNote.objects.create(
            contact=contact,
            author=actor,
            text=notes.strip(),
            leads_may_read=bool(policy and policy.leads_read_coach_notes),
        )
    made = [_create_action(spec, assignment=assignment, contact=contact, actor=actor) for spec in actions]
    audit(
        actor=actor,
        verb="support_contact.logged",
        obj=contact,
        summary=str(contact),
        actions=len(made),
    )
    if backdated:
        return contact
    agreed = f" {len(made)} action{'s' if len(made) != 1 else ''} agreed." if made else ""
    notify(
        recipients=[assignment.participant],
        kind=Kind.CONTACT_LOGGED,
        title=f"{actor} logged your {contact.get_mode_display().lower()} contact of {occurred_on:%-d %B}",
        body=f"The summary is on your support page.{agreed}",
        url=assignment.get_absolute_url(),
        actor=actor,
    )
    return contact
