"""Writes on coaching: the policy, coach assignments, support contacts with their notes and actions.

Each function runs in one transaction, checks what the database cannot, records an audit event and tells the
people concerned (notifications never carry the coach's private notes).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
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
    policy, _ = CoachingPolicy.objects.get_or_create(programme=programme)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    audit(actor=actor, verb="coaching_policy.updated", obj=policy, fields=sorted(fields))
    return policy


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
    _check_assignment(
        cohort=assignment.cohort,
        coach=coach,
        participant=assignment.participant,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    changed_coach = coach.pk != assignment.coach_id
    assignment.coach, assignment.starts_on, assignment.ends_on = coach, starts_on, ends_on
    assignment.save()
    audit(actor=actor, verb="coach_assignment.updated", obj=assignment, summary=str(assignment))
    if changed_coach:
        notify(
            recipients=[assignment.participant],
            kind=Kind.COACH_ASSIGNED,
            title=f"{coach} is now your coach in {assignment.cohort}",
            url=assignment.get_absolute_url(),
            actor=actor,
        )
        notify(
            recipients=[coach],
            kind=Kind.COACH_ASSIGNED,
            title=f"You are coaching {assignment.participant} in {assignment.cohort}",
            url=assignment.get_absolute_url(),
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
        CoachNote.objects.create(contact=contact, author=actor, text=notes.strip())
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
