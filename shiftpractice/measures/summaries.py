"""Each measure's chart summary, stored when what its chart is computed from changes, never when it is read.

A dashboard needs little of a chart: the latest signals, the Making Data Count icons, the latest value, how
many points, and whether the latest phase stepped in the better direction. ``ChartSummary`` holds that, one row
a measure, written:

* in the same transaction as every write of a measure's points or phases (``services.touch``, which the
  services, the importer and the admin call) and of its definition (``services.measure_update``): a file
  import writes it in the import's own transaction, so a large import computes it on the task worker;
* in the background when a programme's chart settings change (``tasks.refresh_programme_summaries``: a
  programme can hold thousands of measures);
* for existing measures by migration ``0004`` and ``manage.py refresh_chart_summaries``.

``version`` is what the row was computed from (the measure's ``updated_at``, which is its data version, the
programme's chart settings and ``VERSION``). A reader that finds a row out of date (the settings changed and
the background refresh has not run yet, or data were written around the services) computes it again and
stores it (``selectors._outcome_digests``), so a stored summary never says what the engine would not say now.

A long series' row also holds its measure page at the default window (``page``, from
``charts.cached_html.PAGE_STORED_FROM`` points), so its first reader after a restart does not pay for the
engine's run over every point.

The engine's signals are kept whole when there are at most ``MAX_SIGNALS``; a longer series (a 100,000-point
chart can have thousands) keeps those reaching the latest point first, then the most recently changed. The
counts (every signal; improvements in the latest phase) are over all of them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable

from django.utils import timezone

from .charts import cache_keys
from .charts.presentation import icons, small_multiple_html
from .models import ChartSummary, Measure, ProgrammeChartSettings

VERSION = (
    2  # raise when what is stored, or how it is computed, changes (2: the measure page of a long series)
)
MAX_SIGNALS = 50
RECENT_POINTS = 12  # the portfolio's sparkline
BATCH = 200  # measures computed together in a background refresh (bounded memory)
FIELDS = (
    "version",
    "computed_at",
    "chart",
    "rule_set",
    "n_points",
    "last_period",
    "last_value",
    "signal_count",
    "improving_in_latest_phase",
    "step",
    "latest_phase_settled",
    "signals",
    "icons",
    "recent",
    "small_html",
    "small_cycles",
    "page",
)


def version_of(measure: Measure, settings: ProgrammeChartSettings | None) -> str:
    """What a summary of this measure is computed from, as a short fingerprint. The drawings' version
    (``cache_keys.VERSION``) is part of it: the row holds drawings (the small multiple, a long series' page),
    so a deployment that draws charts differently makes every row out of date, as it does every cached chart."""
    return version_for(measure.updated_at, settings)


def version_for(updated_at, settings: ProgrammeChartSettings | None) -> str:
    """``version_of`` a measure last changed at ``updated_at`` (its data version), for a reader of columns."""
    raw = f"{VERSION}|{cache_keys.VERSION}|{updated_at.isoformat()}|{cache_keys.settings_part(settings)}"
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def is_current(summary: ChartSummary | None, measure: Measure, settings) -> bool:
    return summary is not None and summary.version == version_of(measure, settings)


def _finite(v) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def fields_from_view(view) -> dict:
    """What is stored of a computed chart (``charts.compute.ChartView``): plain JSON, no engine types."""
    rows = view.rows
    last = len(rows) - 1
    latest_start = view.phase_starts[-1] if view.phase_starts else 0
    signals = []
    for s in view.signals:
        point = rows[s.last_index]
        signals.append(
            {
                "rule": s.rule,
                "rule_label": s.rule_label,
                "nature": s.nature,
                "text": s.text,
                "period": point.period.isoformat(),
                "changed_at": point.updated_at.isoformat(),
                "latest": s.last_index in (last, -1),
                "in_latest_phase": s.last_index == -1 or s.last_index >= latest_start,
            }
        )
    improving = sum(1 for s in signals if s["nature"] == "improvement" and s["in_latest_phase"])
    short = {start for start, _ in view.short_phases()}
    recent = [
        [p.period.isoformat(), _finite(v)]
        for p, v in zip(rows, view.y.tolist(), strict=True)
        if not p.excluded and math.isfinite(v)
    ][-RECENT_POINTS:]
    return {
        "chart": view.chart,
        "rule_set": view.rule_set,
        "n_points": len(rows),
        "last_period": rows[-1].period if rows else None,
        "last_value": _finite(view.y[-1]) if rows else None,
        "signal_count": len(signals),
        "improving_in_latest_phase": improving,
        "step": view.step_nature(),
        "latest_phase_settled": latest_start not in short,
        "signals": _kept(signals),
        "icons": [{"label": i.label, "nature": i.nature, "letter": i.letter} for i in icons(view)],
        "recent": recent,
    }


def _kept(signals: list[dict]) -> list[dict]:
    """At most ``MAX_SIGNALS``, in the engine's order: those on the latest point, then the latest changed."""
    if len(signals) <= MAX_SIGNALS:
        return signals
    order = sorted(
        range(len(signals)),
        key=lambda i: (signals[i]["latest"], signals[i]["changed_at"], signals[i]["period"]),
        reverse=True,
    )
    keep = set(order[:MAX_SIGNALS])
    return [s for i, s in enumerate(signals) if i in keep]


def _settings_by_programme(programme_ids: Iterable[int]) -> dict[int, ProgrammeChartSettings]:
    return {
        s.programme_id: s for s in ProgrammeChartSettings.objects.filter(programme_id__in=set(programme_ids))
    }


def refresh(measures: list[Measure], settings_by_programme: dict | None = None) -> dict[int, ChartSummary]:
    """Compute and store the summaries of these measures (each with ``programme_id`` set): one engine call
    each; four queries to read their points, phases, cycles and cycle ties, one to write. The small multiple
    the project page shows is drawn too. Returns the rows by measure id."""
    from .charts.cached_html import PAGE_STORED_FROM, page_data, page_json
    from .selectors import charts_for_measures

    if not measures:
        return {}
    if settings_by_programme is None:
        settings_by_programme = _settings_by_programme(m.programme_id for m in measures)
    now = timezone.now()
    shown = _cycles_shown(measures)
    rows = []
    for view in charts_for_measures(measures, settings_by_programme):
        m = view.measure
        rows.append(
            ChartSummary(
                measure_id=m.pk,
                version=version_of(m, settings_by_programme.get(m.programme_id)),
                computed_at=now,
                small_html=small_multiple_html(view, shown[m.pk]),
                small_cycles=cache_keys.cycles_fingerprint(shown[m.pk]),
                page=page_json(page_data(view, shown[m.pk])) if len(view.rows) >= PAGE_STORED_FROM else None,
                **fields_from_view(view),
            )
        )
    ChartSummary.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["measure"], update_fields=list(FIELDS)
    )
    return {r.measure_id: r for r in rows}


def _cycles_shown(measures: list[Measure]) -> dict[int, list]:
    """The PDSA cycles each measure's small multiple marks (two queries: the projects' cycles, their ties)."""
    from shiftpractice.projects.models import Cycle

    from .selectors import cycles_for_measures

    # With their projects: each marker links to its cycle, whose address is its project's.
    cycles = (
        Cycle.objects.filter(project_id__in={m.project_id for m in measures})
        .select_related("project")
        .order_by("project_id", "number")
    )
    return cycles_for_measures(measures, cycles)


def refresh_measure(measure: Measure) -> ChartSummary:
    """After a write of the measure's data, phases or definition (in the writer's transaction)."""
    if getattr(measure, "programme_id", None) is None:
        measure.programme_id = (
            Measure.objects.filter(pk=measure.pk)
            .values_list("project__cohort__programme_id", flat=True)
            .get()
        )
    return refresh([measure])[measure.pk]


def refresh_all(queryset=None, *, only_stale: bool = False) -> int:
    """Compute the summaries of these measures (all by default), ``BATCH`` at a time. Returns how many were
    written. The programme settings' task, the command and the migration call this."""
    qs = queryset if queryset is not None else Measure.objects.all()
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = list(
            Measure.objects.filter(pk__in=ids[start : start + BATCH])
            .select_related("chart_summary", "project__cohort")
            .defer("chart_summary__page", "chart_summary__small_html")
            .order_by("pk")
        )
        for m in batch:
            m.programme_id = m.project.cohort.programme_id
        settings = _settings_by_programme(m.programme_id for m in batch)
        if only_stale:
            batch = [
                m
                for m in batch
                if not is_current(getattr(m, "chart_summary", None), m, settings.get(m.programme_id))
            ]
        written += len(refresh(batch, settings))
    return written


def refresh_programme(programme_id: int) -> int:
    """Every measure of the programme (its chart settings changed)."""
    return refresh_all(Measure.objects.filter(project__cohort__programme_id=programme_id))
