"""PDSA cycles: numbering, the stage gates, locking, corrections and concurrent edits."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from shiftpractice.core.audit import audit

from ..choices import CycleStatus, DriverKind
from ..models import ChangeProject, Cycle, CycleCorrection
from .projects import touch_project

PLAN_FIELDS = ("objective", "questions", "prediction", "tasks", "data_plan", "start_date", "end_date")
DO_FIELDS = ("carried_out_as_planned", "what_happened", "observations", "problems")
STUDY_FIELDS = ("results", "learning", "learning_loop")
ACT_FIELDS = ("decision", "next_step")
CYCLE_FIELDS = ("title", "change_idea", *PLAN_FIELDS, *DO_FIELDS, *STUDY_FIELDS, *ACT_FIELDS)

# What must be written before a cycle may leave each stage, and how to say so.
GATES = {
    CycleStatus.PLANNING: [
        ("objective", "Write the objective of this test before you start doing it."),
        ("prediction", "Write your prediction before you start: the study compares the results with it."),
    ],
    CycleStatus.DOING: [("what_happened", "Say what happened before you study the results.")],
    CycleStatus.STUDYING: [
        ("results", "Compare the results with your prediction before you complete the cycle."),
        ("learning", "Write what you learned before you complete the cycle."),
        ("decision", "Choose adopt, adapt or abandon before you complete the cycle."),
    ],
}
NEXT_STATUS = {
    CycleStatus.PLANNING: CycleStatus.DOING,
    CycleStatus.DOING: CycleStatus.STUDYING,
    CycleStatus.STUDYING: CycleStatus.COMPLETE,
}


class StaleCycleError(ValidationError):
    """Someone else saved the cycle after this person opened it."""


def _check_change_idea(project: ChangeProject, change_idea) -> None:
    if change_idea is not None and (
        change_idea.project_id != project.pk or change_idea.kind != DriverKind.CHANGE_IDEA
    ):
        raise ValidationError({"change_idea": "Choose one of this project's change ideas."})


@transaction.atomic
def cycle_create(
    *, project: ChangeProject, title: str, actor, change_idea=None, previous=None, **plan
) -> Cycle:
    """Add the project's next cycle, numbered after the last one (the project row is locked while numbering)."""
    ChangeProject.objects.select_for_update().filter(pk=project.pk).first()
    _check_change_idea(project, change_idea)
    if previous is not None and previous.project_id != project.pk:
        raise ValidationError("A cycle can only follow another cycle of the same project.")
    number = (project.cycles.aggregate(n=Max("number"))["n"] or 0) + 1
    cycle = Cycle(
        project=project, number=number, title=title, change_idea=change_idea, previous=previous, **plan
    )
    cycle.full_clean()
    cycle.save()
    audit(actor=actor, verb="cycle.created", obj=cycle, summary=str(cycle))
    touch_project(project)
    return cycle


@transaction.atomic
def cycle_update(*, cycle: Cycle, revision: int, actor, **fields) -> Cycle:
    """Save changes to a cycle that is not complete, unless someone else saved it since ``revision``."""
    if cycle.is_locked:
        raise ValidationError(
            "This cycle is complete and locked. Record a correction instead: it keeps the original and says why."
        )
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise ValueError(f"not cycle fields: {sorted(unknown)}")
    _check_change_idea(cycle.project, fields.get("change_idea", cycle.change_idea))
    for name, value in fields.items():
        setattr(cycle, name, value)
    cycle.full_clean()
    _save_if_current(cycle, revision, fields=list(fields))
    audit(actor=actor, verb="cycle.updated", obj=cycle, fields=sorted(fields))
    return cycle


def _save_if_current(cycle: Cycle, revision: int, *, fields: list[str]) -> None:
    """Write only if the stored revision is the one the person started from; bump it when written."""
    values = {name: getattr(cycle, name) for name in fields}
    if "change_idea" in values:
        idea = values.pop("change_idea")
        values["change_idea_id"] = idea.pk if idea else None
    written = Cycle.objects.filter(pk=cycle.pk, revision=revision).update(
        revision=F("revision") + 1, updated_at=timezone.now(), **values
    )
    if not written:
        raise StaleCycleError(
            "Someone else saved this cycle after you opened it. Your changes are still in the form below: "
            "compare them with the saved version, then save again."
        )
    cycle.revision = revision + 1
    touch_project(cycle.project)


@transaction.atomic
def cycle_advance(*, cycle: Cycle, revision: int, actor, at=None) -> Cycle:
    """Move the cycle to its next stage once the current stage's entries are written.

    ``at`` records when it was completed, for importing past cycles; it defaults to now.
    """
    if cycle.is_locked:
        raise ValidationError("This cycle is already complete.")
    missing = [message for field, message in GATES[cycle.status] if not getattr(cycle, field)]
    if missing:
        raise ValidationError(missing)
    cycle.status = NEXT_STATUS[cycle.status]
    fields = ["status"]
    if cycle.status == CycleStatus.COMPLETE:
        cycle.completed_at = at or timezone.now()
        fields.append("completed_at")
    _save_if_current(cycle, revision, fields=fields)
    audit(actor=actor, verb="cycle.advanced", obj=cycle, status=cycle.status)
    return cycle


@transaction.atomic
def cycle_correct(*, cycle: Cycle, field: str, new_value: str, reason: str, actor) -> CycleCorrection:
    """Correct a completed cycle: the change is applied and kept in its history with who, when and why."""
    if not cycle.is_locked:
        raise ValidationError("Only a completed cycle needs a correction: edit this one directly.")
    correctable = (*PLAN_FIELDS[:5], *DO_FIELDS[1:], "results", "learning", "next_step")
    if field not in correctable:
        raise ValidationError({"field": "Choose a text entry of the cycle to correct."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the correction is needed."})
    old = getattr(cycle, field)
    if (old or "") == new_value:
        raise ValidationError({"new_value": "The corrected text is the same as what is recorded."})
    Cycle.objects.filter(pk=cycle.pk).update(**{field: new_value}, revision=F("revision") + 1)
    setattr(cycle, field, new_value)
    correction = CycleCorrection.objects.create(
        cycle=cycle,
        field=field,
        old_value=old or "",
        new_value=new_value,
        reason=reason.strip(),
        made_by=actor,
    )
    audit(actor=actor, verb="cycle.corrected", obj=cycle, field=field)
    touch_project(cycle.project)
    return correction


@transaction.atomic
def cycle_start_next(*, cycle: Cycle, actor) -> Cycle:
    """Start the next cycle of the ramp, pre-filled from this one's act step."""
    if cycle.status != CycleStatus.COMPLETE:
        raise ValidationError("Complete this cycle before starting the next one.")
    verb = {"adopt": "Adopt", "adapt": "Adapt", "abandon": "After"}.get(cycle.decision, "Follow")
    return cycle_create(
        project=cycle.project,
        title=f"{verb}: {cycle.title}"[:200],
        change_idea=cycle.change_idea if cycle.decision != "abandon" else None,
        previous=cycle,
        objective=cycle.next_step,
        actor=actor,
    )
