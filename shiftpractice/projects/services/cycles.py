"""PDSA cycles: numbering, the stage gates, locking, corrections, and edits that merge field by field.

Every write locks the cycle's row, bumps its revision and keeps each changed field in ``CycleEdit``. A form
carries the revision it was opened at, so a save from an older form is merged with what others saved since
(a three-way merge per field against the value at that revision): a field only the other person changed keeps
their value, a field only this person changed takes theirs, and a field both changed differently is a clash
the person resolves; nothing is written until it is.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shiftpractice.core.audit import audit

from .. import stages
from ..choices import CycleStatus, DriverKind
from ..models import ChangeProject, Cycle, CycleCorrection, CycleEdit
from .projects import touch_project

CYCLE_FIELDS = stages.NAMES


class StaleCycleError(ValidationError):
    """Someone else saved the cycle after this person opened it, in a way their change cannot merge with.

    ``revision`` is the cycle's revision now: a form redrawn with it saves on top of what is saved.
    """

    revision: int = 0


@dataclass(frozen=True)
class Clash:
    """A field two people changed differently: what is saved now, and who saved it when."""

    field: stages.CycleField
    saved: str  # as text (stages.as_text)
    by: object | None
    at: datetime | None
    saved_text: str = ""  # in words


class CycleConflict(StaleCycleError):
    """Fields changed both here and by someone else since the form was opened; nothing was written."""

    def __init__(self, clashes: list[Clash], *, revision: int, changed: list[str]):
        names = ", ".join(f"“{c.field.title}”" for c in clashes)
        super().__init__(
            f"Someone else changed {names} after you opened this cycle. Both versions are shown below: "
            "choose which to keep, then save again. Nothing has been saved yet."
        )
        self.clashes = clashes
        self.revision = revision
        self.changed = changed  # every field this person changed, clashing or not


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


def values_at(cycle: Cycle, revision: int, names) -> dict[str, str]:
    """What each field held at ``revision`` (as text): its value now, unless an edit since then changed it."""
    values = stages.values_of(cycle, names)
    if revision >= cycle.revision:
        return values
    seen = set()
    later = (
        CycleEdit.objects.filter(cycle=cycle, revision__gt=revision, field__in=list(names))
        .order_by("revision", "id")
        .values_list("field", "old_value")
    )
    for name, old in later:
        if name not in seen:  # the first change after the revision says what it was then
            values[name] = old
            seen.add(name)
    return values


def describe_clashes(cycle: Cycle, names) -> list[Clash]:
    """Each named field as saved now, with the last person who changed it."""
    last = {}
    for edit in CycleEdit.objects.filter(cycle=cycle, field__in=list(names)).select_related("made_by"):
        last[edit.field] = edit  # ordered by revision: the last one wins
    saved = stages.values_of(cycle, names)
    ideas = {}
    if "change_idea" in names and cycle.change_idea_id:
        ideas = {str(cycle.change_idea_id): cycle.change_idea.text}
    return [
        Clash(
            stages.field(name),
            saved[name],
            last[name].made_by if name in last else None,
            last[name].made_at if name in last else None,
            stages.display_text(stages.field(name), saved[name], ideas=ideas),
        )
        for name in names
    ]


def _locked_row(cycle: Cycle) -> Cycle:
    current = Cycle.objects.select_for_update().get(pk=cycle.pk)
    current.project = cycle.project
    return current


def _write(current: Cycle, changes: dict, *, actor, history: list[str], correction=None) -> None:
    """Write ``changes`` (field -> value) as the next revision and keep the named fields' edits."""
    old = {name: _as_text(current, name) for name in history}
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()  # the merged whole must hold (an end date after a start date someone else moved)
    values = {current._meta.get_field(name).attname: getattr(current, name) for name in changes}
    values = {k: (v.pk if hasattr(v, "pk") else v) for k, v in values.items()}
    now = timezone.now()
    # The row is locked, so this always writes; the revision in the filter guards against a writer that skips
    # the lock (the admin, a shell).
    written = Cycle.objects.filter(pk=current.pk, revision=current.revision).update(
        revision=current.revision + 1, updated_at=now, **values
    )
    if not written:
        raise StaleCycleError("Someone else saved this cycle at the same moment. Save again.")
    current.revision += 1
    current.updated_at = now
    CycleEdit.objects.bulk_create(
        [
            CycleEdit(
                cycle=current,
                revision=current.revision,
                field=name,
                old_value=old[name],
                new_value=_as_text(current, name),
                made_by=actor,
                made_at=now,
                correction=correction,
            )
            for name in history
        ]
    )
    touch_project(current.project)


def _as_text(cycle: Cycle, name: str) -> str:
    attname = stages.field(name).attname if name in stages.BY_NAME else name
    return stages.as_text(getattr(cycle, attname))


def _copy_into(cycle: Cycle, current: Cycle) -> None:
    """Give the caller's object the saved state, keeping its loaded project."""
    for f in Cycle._meta.concrete_fields:
        changed = getattr(cycle, f.attname) != getattr(current, f.attname)
        if f.is_relation and changed and f.is_cached(cycle):
            f.delete_cached_value(cycle)
        setattr(cycle, f.attname, getattr(current, f.attname))


@transaction.atomic
def cycle_update(*, cycle: Cycle, revision: int, actor, **fields) -> Cycle:
    """Save a person's entries, made on the cycle as it was at ``revision``, merged with what others saved since.

    Fields given unchanged from ``revision`` are left as they are now. Raises ``CycleConflict`` (writing
    nothing) when a field was changed both by this person and by someone else, to different values.
    """
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise ValueError(f"not cycle fields: {sorted(unknown)}")
    current = _locked_row(cycle)
    if current.is_locked:
        raise ValidationError(
            "This cycle is complete and locked. Record a correction instead: it keeps the original and says why."
        )
    base = values_at(current, revision, fields)
    changes, clashes, changed = {}, [], []
    for name, value in fields.items():
        mine, saved = stages.as_text(value), _as_text(current, name)
        if mine == base[name]:
            continue  # this person did not change it: whatever is saved now stays
        changed.append(name)
        if mine == saved:
            continue  # someone else made the same change
        if saved == base[name]:
            changes[name] = value.replace("\r\n", "\n").strip() if isinstance(value, str) else value
        else:
            clashes.append(name)
    if clashes:
        raise CycleConflict(describe_clashes(current, clashes), revision=current.revision, changed=changed)
    if "change_idea" in changes:
        _check_change_idea(cycle.project, changes["change_idea"])
    if changes:
        _write(current, changes, actor=actor, history=list(changes))
        audit(actor=actor, verb="cycle.updated", obj=current, fields=sorted(changes))
    _copy_into(cycle, current)
    return cycle


@transaction.atomic
def cycle_advance(*, cycle: Cycle, revision: int, actor, at=None, from_status: str | None = None) -> Cycle:
    """Move the cycle to its next stage once the current stage's entries are written.

    ``revision`` (and ``from_status`` when known) is what the person saw: if the cycle has changed stage since,
    nothing moves (their button was for a stage that is over). ``at`` records when it was completed, for
    importing past cycles.
    """
    current = _locked_row(cycle)
    if current.is_locked:
        raise ValidationError("This cycle is already complete.")
    moved = from_status is not None and from_status != current.status
    if moved or (
        revision < current.revision and current.edits.filter(field="status", revision__gt=revision).exists()
    ):
        error = StaleCycleError(
            f"Someone else moved this cycle on to {current.get_status_display().lower()} after you opened it, "
            "so it has not moved again. Check the stage below."
        )
        error.revision = current.revision
        raise error
    missing = {
        f.name: f.needed_message for f in stages.gates(current.status) if not _as_text(current, f.name)
    }
    if missing:
        raise ValidationError(missing)
    changes = {"status": stages.STAGES[current.status].next_status}
    if changes["status"] == CycleStatus.COMPLETE:
        changes["completed_at"] = at or timezone.now()
    _write(current, changes, actor=actor, history=["status"])
    audit(actor=actor, verb="cycle.advanced", obj=current, status=current.status)
    _copy_into(cycle, current)
    return cycle


@transaction.atomic
def cycle_correct(
    *, cycle: Cycle, field: str, new_value: str, reason: str, actor, revision: int
) -> CycleCorrection:
    """Correct a completed cycle: the change is applied and kept in its history with who, when and why.

    ``revision`` is the one the person's correction form was opened at: if someone corrected the same entry
    since, the correction is refused (nothing written) so that neither is lost unseen.
    """
    current = _locked_row(cycle)
    if not current.is_locked:
        raise ValidationError("Only a completed cycle needs a correction: edit this one directly.")
    if field not in {f.name for f in stages.correctable()}:
        raise ValidationError({"field": "Choose a text entry of the cycle to correct."})
    label = stages.label(field)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the correction is needed."})
    new_value = new_value.replace("\r\n", "\n").strip()
    if revision < current.revision:
        since = current.edits.filter(field=field, revision__gt=revision).select_related("made_by").last()
        if since is not None:
            who = since.made_by.full_name if since.made_by else "Someone"
            error = StaleCycleError(
                {
                    "new_value": f"{who} corrected “{label}” after you opened this page. The text "
                    "recorded now is shown above; your correction is still in the box. Record it again if it "
                    "should replace theirs."
                }
            )
            error.revision = current.revision
            raise error
    old = _as_text(current, field)
    if old == new_value:
        raise ValidationError(
            {"new_value": f"The corrected text of “{label}” is the same as what is recorded."}
        )
    correction = CycleCorrection.objects.create(
        cycle=current, field=field, old_value=old, new_value=new_value, reason=reason.strip(), made_by=actor
    )
    _write(current, {field: new_value}, actor=actor, history=[field], correction=correction)
    audit(actor=actor, verb="cycle.corrected", obj=current, field=field)
    _copy_into(cycle, current)
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
