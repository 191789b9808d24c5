"""Writes on measures. Each function runs in one transaction, checks the rules, and is audited.

Data imports have their own module (``imports``), as they stream files; they call ``check_values`` here
so a value typed into the table and a value in a file obey the same rules.
"""

from __future__ import annotations

import math
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shiftpractice.core.audit import audit
from shiftpractice.projects.services.projects import project_activity

from . import summaries
from .charts.compute import XMR_MIN_FREEZE, chart_problem
from .choices import Chart, DataKind, Frequency
from .models import DataPoint, DataPointChange, Measure, Phase, ProgrammeChartSettings
from .periods import normalise_period, period_problem

MEASURE_FIELDS = (
    "name",
    "measure_type",
    "definition",
    "collected_by",
    "collection_method",
    "collection_schedule",
    "sampling",
    "unit",
    "data_kind",
    "rate_per",
    "direction",
    "target",
    "frequency",
    "chart",
    "rule_set",
    "freeze_at",
)
LARGEST = 1e12  # larger numbers are almost certainly typing slips, and the chart engine refuses them


def touch(measure: Measure) -> None:
    """Mark the measure's data as changed: its ``updated_at`` is the version its cached charts are keyed by.

    Every write of points or phases calls this (``measure.save()`` does it for the measure's own fields), in
    the write's transaction; the measure's stored chart summary is computed again in the same transaction
    (``summaries``), so dashboards never run the engine.
    """
    now = timezone.now()
    Measure.objects.filter(pk=measure.pk).update(updated_at=now)
    measure.updated_at = now
    summaries.refresh_measure(measure)
    # Last, so the project's row is locked for the rest of the transaction only, not while the chart is
    # computed, and in the order every writer takes them (the measure, then its project).
    project_activity(measure.project_id, at=now)


def check_values(data_kind: str, value, numerator, denominator) -> dict[str, str]:
    """Problems with one data point's numbers for this kind of data, by field (empty when fine)."""
    errors: dict[str, str] = {}
    for name, v in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if v is not None and (not math.isfinite(v) or abs(v) > LARGEST):
            errors[name] = "Enter a number no larger than 1,000,000,000,000."
    if errors:
        return errors
    if data_kind in DataKind.with_denominator():
        if numerator is None:
            errors["numerator"] = "Enter the numerator."
        elif numerator < 0:
            errors["numerator"] = "The numerator cannot be negative."
        if denominator is None:
            errors["denominator"] = "Enter the denominator."
        elif denominator <= 0:
            errors["denominator"] = "The denominator must be more than 0."
        if (
            not errors
            and data_kind == DataKind.PROPORTION
            and numerator is not None
            and denominator is not None
            and numerator > denominator
        ):
            errors["numerator"] = (
                f"The numerator ({numerator:g}) is larger than the denominator ({denominator:g}): "
                "a proportion cannot be more than all of them."
            )
        return errors
    if value is None:
        errors["value"] = "Enter the value."
    elif data_kind in (DataKind.COUNT, DataKind.CASES_BETWEEN):
        if value < 0 or value != int(value):
            errors["value"] = "Enter a whole number, 0 or more."
    elif data_kind == DataKind.DAYS_BETWEEN and value < 0:
        errors["value"] = "The days between events cannot be negative."
    return errors


def _check_measure(measure: Measure, rows: list) -> None:
    if measure.chart:
        problem = chart_problem(measure.chart, measure.data_kind, rows)
        if problem:
            raise ValidationError({"chart": problem})
    if measure.chart == Chart.XMR and measure.freeze_at and measure.freeze_at < XMR_MIN_FREEZE:
        raise ValidationError(
            {"freeze_at": f"An XmR chart fixes its limits after at least {XMR_MIN_FREEZE} points."}
        )
    if measure.has_denominator:
        if any(p.numerator is None or p.denominator is None for p in rows):
            raise ValidationError(
                {
                    "data_kind": "Some points have no numerator and denominator, so the kind of data cannot change to this."
                }
            )
        if measure.data_kind == DataKind.PROPORTION and any(p.numerator > p.denominator for p in rows):
            raise ValidationError(
                {
                    "data_kind": "Some points have a numerator larger than the denominator, so they are not proportions."
                }
            )
    elif any(p.value is None for p in rows):
        raise ValidationError(
            {
                "data_kind": "Some points have only a numerator and a denominator, so the kind of data cannot change to this."
            }
        )


@transaction.atomic
def measure_create(*, project, name: str, measure_type: str, data_kind: str, actor, **fields) -> Measure:
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"not measure fields: {sorted(unknown)}")
    position = (Measure.objects.filter(project=project).aggregate(p=Max("position"))["p"] or 0) + 1
    measure = Measure(
        project=project,
        name=name.strip(),
        measure_type=measure_type,
        data_kind=data_kind,
        position=position,
        created_by=actor,
        **fields,
    )
    measure.full_clean()
    _check_measure(measure, [])
    measure.save()
    project_activity(project.pk, at=measure.updated_at)
    audit(actor=actor, verb="measure.created", obj=measure, summary=measure.name)
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, actor, **fields) -> Measure:
    """Change a measure's definition or how it is charted; a chart its data cannot support is refused."""
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"not measure fields: {sorted(unknown)}")
    old_frequency = Measure.objects.filter(pk=measure.pk).values_list("frequency", flat=True).first()
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.full_clean()
    points = list(measure.points.all())
    _check_measure(measure, points)
    moved = _renormalise(measure, points, actor) if measure.frequency != old_frequency else 0
    measure.save()
    summaries.refresh_measure(measure)  # its chart, rules or direction may have changed
    project_activity(measure.project_id, at=measure.updated_at)
    audit(actor=actor, verb="measure.updated", obj=measure, fields=sorted(fields), periods_moved=moved)
    return measure


def _renormalise(measure: Measure, points: list[DataPoint], actor) -> int:
    """After a change of frequency, move each point to the start of its period under the new frequency.

    Refused (nothing changes) when two points would then share a period; the move is kept in the history.
    """
    target: dict = {}
    for p in points:
        period = normalise_period(measure.frequency, p.period)
        if period in target:
            raise ValidationError(
                {
                    "frequency": f"{target[period]:%-d %b %Y} and {p.period:%-d %b %Y} would both be the period "
                    f"{period:%-d %b %Y} ({Frequency(measure.frequency).label.lower()}): delete or change one first."
                }
            )
        target[period] = p.period
    # No point lands on a period another point holds: that one would already be at the start of its period.
    moving = [p for p in points if normalise_period(measure.frequency, p.period) != p.period]
    for p in sorted(moving, key=lambda p: p.period):
        new = normalise_period(measure.frequency, p.period)
        DataPointChange.objects.create(
            measure=measure,
            period=new,
            action=DataPointChange.Action.CHANGED,
            old={**p.as_record(), "period": p.period.isoformat()},
            new={**p.as_record(), "period": new.isoformat()},
            changed_by=actor,
        )
        p.period = new
    DataPoint.objects.bulk_update(moving, ["period"])
    return len(moving)


@transaction.atomic
def measure_delete(*, measure: Measure, actor) -> None:
    audit(actor=actor, verb="measure.deleted", obj=measure, summary=measure.name)
    project_id = measure.project_id
    measure.delete()
    project_activity(project_id)  # after the measure's rows, as every writer locks them


@transaction.atomic
def programme_settings_set(*, programme, rule_set: str, prefer_xmr: bool, actor) -> ProgrammeChartSettings:
    settings, _ = ProgrammeChartSettings.objects.update_or_create(
        programme=programme, defaults={"rule_set": rule_set, "prefer_xmr": prefer_xmr}
    )
    audit(actor=actor, verb="measures.settings", obj=programme, rule_set=rule_set, prefer_xmr=prefer_xmr)
    # Every chart of the programme reads with them: its stored summaries are computed again on the task
    # worker (a programme can hold thousands of measures); until then a reader computes any it needs.
    from .tasks import refresh_programme_summaries

    pk = programme.pk
    transaction.on_commit(lambda: refresh_programme_summaries.enqueue(programme_id=pk))
    return settings


@transaction.atomic
def phase_add(*, measure: Measure, start: date, reason: str, actor) -> Phase:
    if not reason.strip():
        raise ValidationError({"reason": "Say why a new phase starts, for example “new pathway started”."})
    if measure.phases.filter(start=start).exists():
        raise ValidationError({"start": "A phase already starts on this date."})
    problem = period_problem(start)
    if problem:
        raise ValidationError({"start": problem})
    phase = Phase.objects.create(measure=measure, start=start, reason=reason.strip())
    touch(measure)
    audit(actor=actor, verb="measure.phase_added", obj=measure, start=str(start), reason=phase.reason)
    return phase


@transaction.atomic
def measure_cycles_set(*, measure: Measure, cycles, actor) -> None:
    """Tie the PDSA cycles that test this measure (replacing the ties it had); only the project's own."""
    cycles = list(cycles)
    if any(c.project_id != measure.project_id for c in cycles):
        raise ValidationError({"cycles": "Choose PDSA cycles of this measure's project."})
    Measure.objects.select_for_update().filter(pk=measure.pk).first()
    measure.tested_by_cycles.set(cycles)
    touch(measure)  # its chart's markers change (and the other measures' charts read the ties afresh)
    audit(actor=actor, verb="measure.cycles_set", obj=measure, cycles=sorted(c.number for c in cycles))


@transaction.atomic
def phase_delete(*, phase: Phase, actor) -> None:
    audit(actor=actor, verb="measure.phase_deleted", obj=phase.measure, start=str(phase.start))
    phase.delete()
    touch(phase.measure)


def _record(point: DataPoint | None) -> dict | None:
    return None if point is None else point.as_record()


@transaction.atomic
def point_save(
    *,
    measure: Measure,
    period: date,
    actor,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    note: str = "",
    excluded: bool = False,
    exclusion_reason: str = "",
) -> DataPoint:
    """Add or change the point of one period; the change is kept with who made it and when.

    The date is read as the start of its period (``periods.normalise_period``), as imports read it.
    """
    errors = check_values(measure.data_kind, value, numerator, denominator)
    problem = period_problem(period)
    if problem:
        errors["period"] = problem
    period = normalise_period(measure.frequency, period)
    if excluded and not exclusion_reason.strip():
        errors["exclusion_reason"] = "Say why the point is left out of the calculations."
    if errors:
        raise ValidationError(errors)
    if measure.has_denominator:
        value = None
    else:
        numerator = denominator = None
    point = DataPoint.objects.select_for_update().filter(measure=measure, period=period).first()
    old = _record(point)
    if point is None:
        point = DataPoint(measure=measure, period=period)
    point.value, point.numerator, point.denominator = value, numerator, denominator
    point.note = note.strip()
    point.excluded = excluded
    point.exclusion_reason = exclusion_reason.strip() if excluded else ""
    new = point.as_record()
    if old == new:
        return point
    point.updated_by = actor
    point.save()
    DataPointChange.objects.create(
        measure=measure,
        period=period,
        action=DataPointChange.Action.CREATED if old is None else DataPointChange.Action.CHANGED,
        old=old,
        new=new,
        changed_by=actor,
    )
    touch(measure)
    _check_chart_still_fits(measure)
    return point


def _check_chart_still_fits(measure: Measure) -> None:
    if measure.chart:
        problem = chart_problem(measure.chart, measure.data_kind, list(measure.points.all()))
        if problem:
            raise ValidationError(problem)


@transaction.atomic
def point_delete(*, measure: Measure, period: date, actor) -> None:
    period = normalise_period(measure.frequency, period)
    point = DataPoint.objects.filter(measure=measure, period=period).first()
    if point is None:
        return
    DataPointChange.objects.create(
        measure=measure,
        period=period,
        action=DataPointChange.Action.DELETED,
        old=point.as_record(),
        new=None,
        changed_by=actor,
    )
    point.delete()
    touch(measure)
