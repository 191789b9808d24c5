"""The drawn parts of the chart pages, from the cache when the measure's data have not changed.

A chart costs one engine call, the geometry and a few hundred SVG elements; a repeat view of an unchanged
measure costs a cache read instead (``cache_keys`` says what the key holds). What is cached is HTML that
is the same for every reader: nothing in it depends on who is looking (no forms, no CSRF token, no
edit links), so a fragment can be shared between people who may see the measure.
"""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .. import summaries
from ..models import ChartSummary, Measure
from ..narrow import narrow_chart_html
from ..selectors import charts_for_measures, cycles_for_measures, settings_for_programme
from . import cache_keys, window
from .presentation import chart_context, small_multiple_html, table_rows


def _measure_and_cycles(measure: Measure, cycles: list):
    programme_id = measure.programme_id = measure.project.cohort.programme_id
    settings = settings_for_programme(programme_id)
    return settings, cycles_for_measures([measure], cycles)[measure.pk]


# From this many points a measure's page at its default window is stored with its chart summary
# (``ChartSummary.page``): below it, a miss draws the page in a few milliseconds.
PAGE_STORED_FROM = 1000


def page_data(full, cycles: list, spec: window.Spec = window.LATEST) -> dict:
    """The measure page's chart block, table and facts for a computed chart (``full``), at the window ``spec``
    asks for: what the cache holds, and (as JSON, ``page_json``) what a long series' summary stores."""
    shown = window.choose(full, spec)
    view = window.windowed(full, shown)
    context = chart_context(view, cycles)
    rows = table_rows(view)
    return {
        "block": render_to_string("measures/_chart_block.html", context) if rows else "",
        "table": render_to_string("measures/_chart_table.html", {**context, "rows": rows}) if rows else "",
        "n_rows": len(full.rows),
        "window": {
            "range": f"{shown.start + 1:,} to {shown.stop:,} of {shown.total:,}",
            "total": shown.total,
            "whole": shown.whole,
            "chosen": spec.chosen,
            **window.navigation(full, shown),
        },
        "chart_label": view.chart_label,
        "automatic": view.automatic,
        "rule_set_label": view.rule_set_label,
        "has_phase_starts": bool(full.phase_starts),
        "phases": [(ph.start, ph.reason) for ph in full.phases],
        "narrow": narrow_chart_html(view, cycles) if rows else "",  # phones draw this one (..narrow)
    }


def _phase_dates(data: dict, convert) -> dict:
    """``data`` with each phase's start (in the facts and in the window's links) passed through ``convert``."""
    window_part = data["window"]
    return {
        **data,
        "phases": [(convert(start), reason) for start, reason in data["phases"]],
        "window": {
            **window_part,
            "phases": [{**ph, "start": convert(ph["start"])} for ph in window_part["phases"]],
        },
    }


def page_json(data: dict) -> dict:
    """``page_data`` with its dates (the phases') as ISO text, to store in a JSON field."""
    return _phase_dates(data, date.isoformat)


def _stored_page(measure: Measure, settings, cycles: list) -> dict | None:
    """The default-window page stored with the measure's summary, while it is current and marks these cycles
    (one query), or None."""
    row = ChartSummary.objects.filter(measure_id=measure.pk, page__isnull=False).first()
    if row is None or not summaries.is_current(row, measure, settings):
        return None
    if row.small_cycles != cache_keys.cycles_fingerprint(cycles):
        return None
    return _phase_dates(row.page, date.fromisoformat)


def measure_page(measure: Measure, cycles: list, spec: window.Spec = window.LATEST) -> dict:
    """The measure page's chart block and table (the window ``spec`` asks for), and the few facts the page
    shows about its chart.

    Reads the programme's settings and the cycles' ties to measures (two queries); on a miss, the page stored
    with a long series' summary (one more), or the measure's points and phases (two more). Only the cycles
    the measure's chart marks are drawn (``selectors.cycles_for_measures``). The engine reads every point;
    the drawing and the table show the window (``charts.window``), so the page's size does not grow with the
    data.
    """
    settings, cycles = _measure_and_cycles(measure, cycles)
    key = cache_keys.key("page", measure, settings, f"{cache_keys.cycles_fingerprint(cycles)}|{spec.key}")
    data = cache_keys.get_many([key]).get(key)
    if data is None and not spec.chosen:
        data = _stored_page(measure, settings, cycles)
        if data is not None:
            cache_keys.set_many({key: data})
    if data is None:
        full = charts_for_measures([measure], {measure.programme_id: settings})[0]
        data = page_data(full, cycles, spec)
        cache_keys.set_many({key: data})
    # (An entry cached before the narrow drawing existed has none: the page then shows the wide one only.)
    html = {name: mark_safe(data.get(name, "")) for name in ("block", "table", "narrow")}  # noqa: S308 - our templates
    return {**data, **html}


def chart_svg(measure: Measure, cycles: list, spec: window.Spec = window.LATEST) -> str:
    """The chart as a standalone SVG file (the download), at the window ``spec`` asks for, cached like the
    page's chart: a repeat download of an unchanged measure runs no engine and draws nothing."""
    settings, cycles = _measure_and_cycles(measure, cycles)
    key = cache_keys.key("svg", measure, settings, f"{cache_keys.cycles_fingerprint(cycles)}|{spec.key}")
    svg = cache_keys.get_many([key]).get(key)
    if svg is None:
        full = charts_for_measures([measure], {measure.programme_id: settings})[0]
        view = window.windowed(full, window.choose(full, spec))
        svg = render_to_string("measures/chart.svg", chart_context(view, cycles))
        cache_keys.set_many({key: svg})
    return svg


def small_multiples(project, cycles: list, *, squire: bool = False) -> list[dict]:
    """Each measure of the project as a small chart with its latest signals (and, for the PDF, its table).

    Two queries (the measures, the programme's settings) when every chart is cached; two more (points
    and phases, for the measures not cached) otherwise.
    """
    measures = list(
        Measure.objects.filter(project=project)
        .select_related("chart_summary")
        .defer("chart_summary__page")  # the measure page's drawing: not read here
        .order_by("position", "id")
    )
    if not measures:
        return []
    programme_id = project.cohort.programme_id
    for m in measures:
        m.project = project
        m.programme_id = programme_id
    settings = settings_for_programme(programme_id)
    squire = bool(squire)
    shown = cycles_for_measures(measures, cycles)
    keys = {
        m.pk: cache_keys.key(
            "small", m, settings, f"{cache_keys.cycles_fingerprint(shown[m.pk])}|{int(squire)}"
        )
        for m in measures
    }
    # The measure's stored summary holds its small multiple, drawn when its data last changed: used while it is
    # current and the project's cycles are those it marks (``summaries``), so a cold page runs no engine.
    found = {}
    if not squire:
        for m in measures:
            row = getattr(m, "chart_summary", None)
            fingerprint = cache_keys.cycles_fingerprint(shown[m.pk])
            if summaries.is_current(row, m, settings) and row.small_html and row.small_cycles == fingerprint:
                found[keys[m.pk]] = {"html": row.small_html, "table": ""}
    wanted = [keys[m.pk] for m in measures if keys[m.pk] not in found]
    found.update(cache_keys.get_many(wanted))
    missing = [m for m in measures if keys[m.pk] not in found]
    if missing:
        fresh = {}
        for full in charts_for_measures(missing, {programme_id: settings}):
            if not squire:
                fresh[keys[full.measure.pk]] = {
                    "html": small_multiple_html(full, shown[full.measure.pk]),
                    "table": "",
                }
                continue
            view = window.windowed(full, window.choose(full))  # the latest points; the rest said in words
            context = {**chart_context(view, shown[view.measure.pk], compact=True), "squire": squire}
            rows = table_rows(view)
            fresh[keys[view.measure.pk]] = {
                "html": render_to_string("measures/_small_multiple.html", context),
                "table": render_to_string("measures/_chart_table.html", {**context, "rows": rows})
                if rows
                else "",
            }
        cache_keys.set_many(fresh)
        found.update(fresh)
    return [
        {
            "measure": m,
            "html": mark_safe(found[keys[m.pk]]["html"]),  # noqa: S308 - rendered by our templates
            "table": mark_safe(found[keys[m.pk]]["table"]),  # noqa: S308 - rendered by our templates
        }
        for m in measures
    ]
