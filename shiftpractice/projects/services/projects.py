"""Creating and editing projects, their team, visibility and lens answers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.content import services as content_services
from shiftpractice.core.audit import audit
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import notify_each_once

from ..choices import TeamRole, Visibility
from ..models import ChangeProject, LensAnswer, ProjectMember
from ..models.project import EDITABLE_FIELDS as PROJECT_FIELDS

EDITABLE_FIELDS = frozenset(PROJECT_FIELDS)


# What the public reads on an approved project: changing any of it needs a lead's approval again.
PUBLIC_TEXT_FIELDS = EDITABLE_FIELDS - {"status", "visibility"}


def touch_project(project: ChangeProject) -> None:
    """Mark the project changed: its story page is cached by this time, so every change to what it shows moves it.

    ``updated_at`` is also the project's last activity (the portfolio's sort and its "quiet" flag): every
    write of the project, its cycles, drivers and scores comes here, and every write of its measures, their
    points and phases (``project_activity``)."""
    project.updated_at = timezone.now()
    project_activity(project.pk, at=project.updated_at)


def project_activity(project_id: int, *, at=None) -> None:
    """``touch_project`` for a project not read: another app's write (a measure's data) is its activity."""
    ChangeProject.objects.filter(pk=project_id).update(updated_at=at or timezone.now())


def _check_aim(fields: dict) -> None:
    if fields.get("aim_what") and not fields.get("aim_by_when"):
        raise ValidationError(
            {"aim_by_when": "Give the date by when the aim will be met: a SMART aim is time-bound."}
        )


@transaction.atomic
def project_create(*, owner, cohort, title: str, actor, **fields) -> ChangeProject:
    """Start a project for a participant of the cohort (the owner)."""
    if not Membership.objects.filter(user=owner, cohort=cohort, role=Role.PARTICIPANT).exists():
        raise ValidationError(
            {"cohort": "You can start a project only in a cohort where you are a participant."}
        )
    _check_aim(fields)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not project fields: {sorted(unknown)}")
    project = ChangeProject(owner=owner, cohort=cohort, title=title, **fields)
    project.full_clean()
    project.save()
    audit(actor=actor, verb="project.created", obj=project, summary=title)
    return project


@transaction.atomic
def project_update(*, project: ChangeProject, actor, **fields) -> ChangeProject:
    """Change a project's fields.

    Only the owner chooses who can read the project. An approved public project goes back to waiting for a
    lead's approval when its visibility or any text the public reads changes.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not project fields: {sorted(unknown)}")
    changed = {name for name, value in fields.items() if getattr(project, name) != value}
    if "visibility" in changed and getattr(actor, "pk", None) != project.owner_id:
        raise ValidationError({"visibility": "Only the project's owner chooses who can read it."})
    merged = {name: fields.get(name, getattr(project, name)) for name in ("aim_what", "aim_by_when")}
    _check_aim(merged)
    for name, value in fields.items():
        setattr(project, name, value)
    withdrawn_approval = None
    if project.public_approved_at and changed & (PUBLIC_TEXT_FIELDS | {"visibility"}):
        withdrawn_approval = project.public_approved_at
        project.public_approved_at = None
        project.public_approved_by = None
    project.full_clean()
    project.save()
    audit(actor=actor, verb="project.updated", obj=project, fields=sorted(changed))
    if project.visibility == Visibility.PUBLIC and project.public_approved_at is None:
        # The lead's inbox, as a notification: once per project, lead and round of approval, however often
        # it is saved (an edit that withdraws an approval starts a new round).
        key = f"project-public:{project.pk}"
        if withdrawn_approval is not None:
            key += f":{withdrawn_approval:%Y%m%d%H%M%S%f}"
        notify_each_once(
            recipients=project.cohort.programme.leads.all(),
            kind=Kind.AWAITING_LEAD,
            key=key,
            title=f"“{project.title[:120]}” asks to be public: it awaits your approval",
            url=project.get_absolute_url(),
            actor=actor,
        )
    return project


@transaction.atomic
def project_approve_public(*, project: ChangeProject, actor) -> ChangeProject:
    if project.visibility != Visibility.PUBLIC:
        raise ValidationError("The owner has not asked for this project to be public.")
    project.public_approved_at = timezone.now()
    project.public_approved_by = actor
    project.save(update_fields=["public_approved_at", "public_approved_by", "updated_at"])
    audit(actor=actor, verb="project.public_approved", obj=project)
    return project


@transaction.atomic
def member_add(*, project: ChangeProject, user, actor) -> ProjectMember:
    """Add a participant or a coach of the project's cohort to its team."""
    membership = Membership.objects.filter(user=user, cohort_id=project.cohort_id).first()
    if membership is None or membership.role not in {Role.PARTICIPANT, Role.COACH}:
        raise ValidationError({"person": "Only participants and coaches of this cohort can join the team."})
    if user.pk == project.owner_id or ProjectMember.objects.filter(project=project, user=user).exists():
        raise ValidationError({"person": f"{user} is already on the team."})
    role = TeamRole.COACH if membership.role == Role.COACH else TeamRole.MEMBER
    member = ProjectMember.objects.create(project=project, user=user, role=role)
    touch_project(project)
    audit(actor=actor, verb="project.member_added", obj=project, summary=str(user))
    return member


@transaction.atomic
def lens_answer_save(*, project: ChangeProject, lens, answers: dict, tags: list, actor) -> LensAnswer:
    """Store answers to a lens with the exact content version answered (``lens`` is a content item)."""
    answers = {k: v.strip() for k, v in answers.items() if v and v.strip()}
    if not answers and not tags:
        raise ValidationError("Answer at least one question or choose at least one tag.")
    answer, _created = LensAnswer.objects.update_or_create(
        project=project,
        lens_slug=lens.slug,
        defaults={"lens_ref": lens.ref, "answers": answers, "tags": tags, "answered_by": actor},
    )
    # The content app refuses to delete an item version an answer refers to; keep that record current.
    content_services.reference_release(obj=answer)
    content_services.reference_record(ref=lens.ref, obj=answer)
    touch_project(project)
    audit(actor=actor, verb="project.lens_answered", obj=project, summary=lens.ref)
    return answer
