"""Reads on measures, each in a fixed number of queries however much data there is."""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

from django.db import connections
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.template.defaultfilters import floatformat
from django.utils.html import format_html

from shiftpractice.core.links import address_by_public_id

from .charts.compute import MIN_POINTS_FOR_LIMITS, ChartView, build_chart
from .choices import MeasureType
from .models import DataImport, DataPoint, DataPointChange, Measure, Phase, ProgrammeChartSettings

POINT_FIELDS = (
    "id",
    "measure_id",
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
    "excluded",
    "exclusion_reason",
    "updated_at",
)


def settings_for_programme(programme_id: int) -> ProgrammeChartSettings | None:
    return ProgrammeChartSettings.objects.filter(programme_id=programme_id).first()


@dataclass(slots=True)
class PointRow:
    """A data point as charts read it: a plain row, without the cost of building a model instance."""

    id: int
    measure_id: int
    period: date
    value: float | None
    numerator: float | None
    denominator: float | None
    note: str
    excluded: bool
    exclusion_reason: str
    stored_at: datetime | str  # as the database gives it as text (read only when asked for)

    @property
    def updated_at(self) -> datetime:
        stored = self.stored_at
        if isinstance(stored, str):
            stored = datetime.fromisoformat(stored)
        return stored if stored.tzinfo is not None else stored.replace(tzinfo=UTC)


def _points_by_measure(measure_ids) -> dict[int, list[PointRow]]:
    """All points of these measures in one query, ordered by period.

    A chart reads every point of its measure (100,000 is allowed), so the rows come straight from the database
    cursor, without Django's per-value converters (more than half the time of a long series). ``updated_at``
    is read as text on both databases and kept so until a point's time is read (``PointRow.updated_at``):
    SQLite's driver would parse it in Python, and Django gives PostgreSQL's driver a time-zone loader written
    in Python, called once a point (half the time of reading 100,000 of them). PostgreSQL's driver gives dates
    and booleans; SQLite's would parse every date in Python, so there the period is read as text too and
    parsed in C (``date.fromisoformat``). The collector is paused while the rows are built: they are plain
    data and cannot form cycles, and otherwise it walks the growing list again and again.
    """
    out: dict[int, list[PointRow]] = defaultdict(list)
    ids = list(measure_ids)
    if not ids:
        return out
    qs = DataPoint.objects.filter(measure_id__in=ids).order_by("measure_id", "period")
    as_text = connections[qs.db].vendor == "sqlite"
    qs = qs.annotate(stamp_text=Cast("updated_at", TextField()))
    texts = {"updated_at": "stamp_text"}
    if as_text:
        qs = qs.annotate(period_text=Cast("period", TextField()))
        texts["period"] = "period_text"
    fields = [texts.get(f, f) for f in POINT_FIELDS]
    sql, params = qs.values_list(*fields).query.sql_with_params()
    day = date.fromisoformat
    collecting = gc.isenabled()
    gc.disable()
    try:
        with connections[qs.db].cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(5000):
                if as_text:  # the period is the third field (POINT_FIELDS)
                    for row in batch:
                        out[row[1]].append(PointRow(row[0], row[1], day(row[2]), *row[3:]))
                else:
                    for row in batch:
                        out[row[1]].append(PointRow(*row))
    finally:
        if collecting:
            gc.enable()
    return out


def _phases_by_measure(measure_ids) -> dict[int, list[Phase]]:
    out: dict[int, list[Phase]] = defaultdict(list)
    for ph in Phase.objects.filter(measure_id__in=measure_ids).order_by("start"):
        out[ph.measure_id].append(ph)
    return out


def charts_for_measures(
    measures: list[Measure], settings_by_programme: dict[int, ProgrammeChartSettings | None]
):
    ids = [m.pk for m in measures]
    points = _points_by_measure(ids)
    phases = _phases_by_measure(ids)
    return [
        build_chart(m, points.get(m.pk, []), phases.get(m.pk, []), settings_by_programme.get(m.programme_id))
        for m in measures
    ]


def project_charts(project) -> list[ChartView]:
    """Every measure of a project, charted: four queries (measures, points, phases, programme settings)."""
    measures = list(Measure.objects.filter(project=project).order_by("position", "id"))
    programme_id = project.cohort.programme_id
    for m in measures:
        m.project = project
        m.programme_id = programme_id
    if not measures:
        return []
    return charts_for_measures(measures, {programme_id: settings_for_programme(programme_id)})


def measure_chart(measure: Measure) -> ChartView:
    measure.programme_id = measure.project.cohort.programme_id
    return charts_for_measures(
        [measure], {measure.programme_id: settings_for_programme(measure.programme_id)}
    )[0]


def cycles_for_measures(measures, cycles) -> dict[int, list]:
    """The PDSA cycles each measure's chart marks: those tied to it, and those tied to no measure.

    ``cycles`` are the project's cycles, already loaded (or several projects' cycles: each measure gets its own
    project's); one query reads their ties (none without cycles).
    """
    cycles = list(cycles)
    tied: dict[int, set[int]] = defaultdict(set)
    any_tie: set[int] = set()
    if cycles:
        through = Measure.tested_by_cycles.through
        rows = through.objects.filter(cycle_id__in=[c.pk for c in cycles]).values_list(
            "measure_id", "cycle_id"
        )
        for measure_id, cycle_id in rows:
            tied[measure_id].add(cycle_id)
            any_tie.add(cycle_id)
    return {
        m.pk: [
            c for c in cycles if c.project_id == m.project_id and (c.pk not in any_tie or c.pk in tied[m.pk])
        ]
        for m in measures
    }


def tested_cycle_ids(measure: Measure) -> set[int]:
    """The ids of the cycles tied to this measure."""
    return set(measure.tested_by_cycles.values_list("pk", flat=True))


def recent_changes(measure: Measure, limit: int = 20) -> list[DataPointChange]:
    return list(measure.changes.select_related("changed_by", "source")[:limit])


def recent_imports(measure: Measure, limit: int = 5) -> list[DataImport]:
    return list(measure.imports.select_related("created_by")[:limit])


# Signals for the coach's view and the progress score ---------------------------------------------------


class SignalSummary(NamedTuple):
    """One special-cause signal on an outcome measure, as the coach's view and notifications show it. (A named
    tuple, not a frozen dataclass: a coach's page makes hundreds, and a tuple is made several times faster.)"""

    project_id: int
    measure_id: int
    measure_name: str
    measure_url: str
    rule: str  # the engine's rule id, e.g. "shift"
    rule_label: str  # e.g. "Shift"
    nature: str  # "improvement", "concern" or "neutral"
    text: str  # the plain-language explanation
    period: date  # the period of the triggering (latest) point of the signal
    changed_at: datetime  # when that point was last created or changed


SIGNALS_SPELT_OUT = (
    3  # a measure's signals told in full where they are listed; the rest counted, on its chart
)


def signals_by_measure(signals) -> list[dict]:
    """Signals grouped by their measure, in order of first appearance, so a list names each measure once:
    ``[{"name", "url", "signals", "labels", "shown", "more"}]``: ``shown`` the first ``SIGNALS_SPELT_OUT`` (the
    selector puts those on the latest data first), ``more`` how many others. Takes ``SignalSummary`` rows
    (``new_signals_for_projects``)."""
    groups: dict = {}
    for s in signals or ():
        group = groups.setdefault(s.measure_id, {"name": s.measure_name, "url": s.measure_url, "signals": []})
        group["signals"].append(s)
    for group in groups.values():
        group["labels"] = list(dict.fromkeys(s.rule_label for s in group["signals"]))
        group["shown"] = group["signals"][:SIGNALS_SPELT_OUT]
        group["more"] = len(group["signals"]) - len(group["shown"])
    return list(groups.values())


class _Signal(NamedTuple):
    rule: str
    rule_label: str
    nature: str
    text: str
    period: date
    changed_at: datetime
    latest: bool  # reaches the measure's latest point
    in_latest_phase: bool = True  # within the measure's latest phase (all of them when it has none)


@dataclass(frozen=True)
class _Digest:
    """What the signal feeds need of one measure's chart (read from its stored ``ChartSummary``)."""

    n_points: int
    signals: tuple[_Signal, ...]
    step: str = ""  # the nature of the step into the latest phase: improvement, concern, neutral or ""
    latest_phase_settled: bool = True  # the latest phase's limits rest on enough points (not trial limits)
    improving_in_latest_phase: int = (
        0  # every signal of improvement in the latest phase (not only those kept)
    )
    recent: tuple[tuple[date, float], ...] = ()  # the last points (excluded ones left out), oldest first


def _digest(summary) -> _Digest:
    signals = tuple(
        _Signal(
            s["rule"],
            s["rule_label"],
            s["nature"],
            s["text"],
            date.fromisoformat(s["period"]),
            datetime.fromisoformat(s["changed_at"]),
            s["latest"],
            s["in_latest_phase"],
        )
        for s in summary.signals
    )
    return _Digest(
        summary.n_points,
        signals,
        summary.step,
        summary.latest_phase_settled,
        summary.improving_in_latest_phase,
        tuple((date.fromisoformat(p), float(v)) for p, v in summary.recent),
    )


@dataclass(frozen=True, slots=True)
class OutcomeMeasure:
    """What the signal feeds show of an outcome measure (read as plain columns, not a model instance)."""

    pk: int
    project_id: int
    name: str
    public_id: object  # the measure's UUID
    freeze_at: date | None


# Of each outcome measure and its stored summary, the columns a digest and its version read (the drawings and
# the JSON a digest does not use are the bulk of a summary row), in this order.
_DIGEST_COLUMNS = (
    "pk",
    "project_id",
    "name",
    "public_id",
    "freeze_at",
    "updated_at",
    "project__cohort__programme_id",
    # The programme's chart settings, which the summary's version rests on (none: the columns are None).
    "project__cohort__programme__chart_settings__rule_set",
    "project__cohort__programme__chart_settings__prefer_xmr",
    "chart_summary__version",
    "chart_summary__n_points",
    "chart_summary__signals",
    "chart_summary__step",
    "chart_summary__latest_phase_settled",
    "chart_summary__improving_in_latest_phase",
)
_RECENT_COLUMN = "chart_summary__recent"  # read only by those who show the last points (the glance)


class _SettingsRead(NamedTuple):
    """A programme's chart settings as read with its measures (what ``summaries.version_for`` reads of them)."""

    rule_set: str
    prefer_xmr: bool

    @classmethod
    def of(cls, rule_set, prefer_xmr) -> _SettingsRead | None:
        return None if prefer_xmr is None else cls(rule_set, prefer_xmr)  # (no settings row: both None)


@dataclass(frozen=True, slots=True)
class _StoredSummary:
    """The digest's columns of a stored summary row, as ``_digest`` reads them."""

    n_points: int
    signals: list
    step: str
    latest_phase_settled: bool
    improving_in_latest_phase: int
    recent: list = ()


def _outcome_digests(
    project_ids, *, first_only: bool = False, recent: bool = False
) -> dict[int, list[tuple[OutcomeMeasure, _Digest]]]:
    """Each outcome measure of these projects (only each project's first with ``first_only``) with its
    signals (and its last points with ``recent``), from the stored chart summaries: one query (the measures'
    columns with their summaries' and their programmes' chart settings), no model instances and no engine
    call. A summary that is missing or out of date (``summaries.version_for``) is computed and stored first
    (the programmes' settings and the stale measures read whole, then ``summaries.refresh``'s queries)."""
    from . import summaries

    rows = list(
        Measure.objects.filter(project_id__in=project_ids, measure_type=MeasureType.OUTCOME)
        .order_by("project_id", "position", "id")
        .values_list(*_DIGEST_COLUMNS, *([_RECENT_COLUMN] if recent else []))
    )
    if first_only:
        rows = [r for i, r in enumerate(rows) if i == 0 or rows[i - 1][1] != r[1]]
    out: dict[int, list[tuple[OutcomeMeasure, _Digest]]] = defaultdict(list)
    if not rows:
        return out
    stored = {
        r[0]: _StoredSummary(*r[10:])
        for r in rows
        if r[9] is not None and r[9] == summaries.version_for(r[5], _SettingsRead.of(r[7], r[8]))
    }
    stale = [r[0] for r in rows if r[0] not in stored]
    if stale:
        settings = {
            s.programme_id: s
            for s in ProgrammeChartSettings.objects.filter(programme_id__in={r[6] for r in rows})
        }
        measures = list(
            Measure.objects.filter(pk__in=stale).annotate(programme_id=F("project__cohort__programme_id"))
        )
        stored.update(summaries.refresh(measures, settings))
    for r in rows:
        if r[0] in stored:  # (a stale measure deleted between the two reads has none)
            out[r[1]].append((OutcomeMeasure(*r[:5]), _digest(stored[r[0]])))
    return out


def new_signals_for_projects(
    project_ids, since: dict[int, datetime | None] | datetime | None = None
) -> dict[int, list[SignalSummary]]:
    """Special-cause signals on the outcome measures of these projects that are new since a time.

    A signal is new when its triggering data point (the latest point of the signal episode, the one that
    completed or extended it) was created or changed after ``since``. ``since`` is either one datetime for
    every project, or a dict of project id -> datetime; a missing key or None means "every signal". Runs
    rules over the whole series (too few crossings, IHI runs) have no single triggering point; their latest
    point is used. Every project id asked about is a key of the result (an empty list when nothing is new).
    Two queries, whatever the number of projects, measures and points: the signals are read from each
    measure's stored chart summary (``summaries``), computed when its data changed. At most ``MAX_SIGNALS``
    signals a measure are kept (those on the latest point first, then the most recently changed).
    """
    project_ids = list(project_ids)
    result: dict[int, list[SignalSummary]] = {pid: [] for pid in project_ids}
    if not project_ids:
        return result
    url_of = address_by_public_id("measures:detail")  # a coach's page can list a hundred measures
    for project_id, digests in _outcome_digests(project_ids).items():
        cutoff = since.get(project_id) if isinstance(since, dict) else since
        for measure, digest in digests:
            url = url_of(measure.public_id)
            for s in digest.signals:
                if cutoff is not None and s.changed_at <= cutoff:
                    continue
                result[project_id].append(
                    SignalSummary(
                        project_id=project_id,
                        measure_id=measure.pk,
                        measure_name=measure.name,
                        measure_url=url,
                        rule=s.rule,
                        rule_label=s.rule_label,
                        nature=s.nature,
                        text=s.text,
                        period=s.period,
                        changed_at=s.changed_at,
                    )
                )
    return result


def progress_evidence(project) -> dict:
    """Evidence for the progress-score suggestion, from the project's outcome measures, read in their latest
    phase (a new phase recalculates the limits, so what it says is read there).

    measures_with_baseline: outcome measures with a frozen baseline or enough points for limits;
    improving_signals: special-cause signals of improvement in the latest phase, plus one for each measure
    whose latest phase stepped up (or down) in the better direction; sustained: an outcome measure's latest
    point is part of a signal of improvement, or its latest phase stepped in the better direction and its
    limits rest on enough points, with no signal of concern on the latest data.
    """
    digests = _outcome_digests([project.pk]).get(project.pk, [])
    with_baseline = sum(1 for m, d in digests if m.freeze_at or d.n_points >= MIN_POINTS_FOR_LIMITS)
    improving = sum(d.improving_in_latest_phase for _m, d in digests)
    steps = sum(1 for _m, d in digests if d.step == "improvement")
    sustained = any(s.nature == "improvement" and s.latest for _m, d in digests for s in d.signals) or any(
        d.step == "improvement"
        and d.latest_phase_settled
        and not any(s.nature == "concern" and s.latest for s in d.signals)
        for _m, d in digests
    )
    return {
        "measures_with_baseline": with_baseline,
        "improving_signals": improving + steps,
        "sustained": sustained,
    }


# At a glance, for the programme's portfolio -------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeGlance:
    """A project's first outcome measure in a line: its latest signal and the recent points for a sparkline."""

    measure_name: str
    measure_url: str
    signal: str  # the latest signal's label and nature, "" when there is none
    signal_nature: str
    signal_text: str
    values: tuple[float, ...]  # the last points, oldest first (excluded points left out)
    periods: tuple[date, ...]

    def sparkline_svg(self) -> str:
        """The sparkline as an image with its text alternative, or "" with fewer than two points. Written here
        rather than in the template: a portfolio page draws twenty, and the template language spent more on
        them than on the rest of the table."""
        line = self.sparkline()
        if not line:
            return ""
        label = (
            f"Last {len(self.values)} points of {self.measure_name}, from {floatformat(self.values[0], '-2')} "
            f"to {floatformat(self.values[-1], '-2')}"
        )
        return format_html(
            '<svg class="sp-sparkline" width="120" height="28" viewBox="0 0 120 28" role="img" aria-label="{}">'
            '<polyline fill="none" stroke="#005eb8" stroke-width="2" points="{}"></polyline></svg>',
            label,
            line,
        )

    def sparkline(self, width: int = 120, height: int = 28) -> str:
        """SVG polyline points for the values, scaled into the box ("" when fewer than two)."""
        if len(self.values) < 2:
            return ""
        low, high = min(self.values), max(self.values)
        span = (high - low) or 1.0
        step = (width - 4) / (len(self.values) - 1)
        return " ".join(
            f"{2 + i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
            for i, v in enumerate(self.values)
        )


def outcome_glance(project_ids, *, points: int = 12) -> dict[int, OutcomeGlance]:
    """Per project, its first outcome measure at a glance, for any number of projects in two queries: the
    stored chart summaries (``new_signals_for_projects``) hold the latest signals and the last points (at
    most ``summaries.RECENT_POINTS`` of them)."""
    digests = _outcome_digests(list(project_ids), first_only=True, recent=True)
    url_of = address_by_public_id("measures:detail")  # a coach's page can list a hundred measures
    out = {}
    for pid, rows in digests.items():
        if not rows:
            continue
        measure, digest = rows[0]
        series = digest.recent[-points:] if points > 0 else ()
        latest = max(digest.signals, key=lambda s: (s.period, s.changed_at), default=None)
        out[pid] = OutcomeGlance(
            measure_name=measure.name,
            measure_url=url_of(measure.public_id),
            signal=latest.rule_label if latest else "",
            signal_nature=latest.nature if latest else "",
            signal_text=latest.text if latest else "",
            values=tuple(v for _, v in series),
            periods=tuple(p for p, _ in series),
        )
    return out
