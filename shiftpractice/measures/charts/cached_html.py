"""The drawn parts of the chart pages, from the cache when the measure's data have not changed.

A chart costs one engine call, the geometry and a few hundred SVG elements; a repeat view of an unchanged
measure costs a cache read instead (``cache_keys`` says what the key holds). What is cached is HTML that
is the same for every reader: nothing in it depends on who is looking (no forms, no CSRF token, no
edit links), so a fragment can be shared between people who may see the measure.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..models import Measure
from ..narrow import narrow_chart_html
from ..selectors import charts_for_measures, cycles_for_measures, settings_for_programme
from . import cache_keys
from .presentation import chart_context, table_rows


def measure_page(measure: Measure, cycles: list) -> dict:
    """The measure page's chart block and table, and the few facts the page shows about its chart.

    Reads the programme's settings and the cycles' ties to measures (two queries); on a miss, the measure's
    points and phases (two more). Only the cycles the measure's chart marks are drawn
    (``selectors.cycles_for_measures``).
    """
    programme_id = measure.programme_id = measure.project.cohort.programme_id
    settings = settings_for_programme(programme_id)
    cycles = cycles_for_measures([measure], cycles)[measure.pk]
    key = cache_keys.key("page", measure, settings, cache_keys.cycles_fingerprint(cycles))
    data = cache_keys.get_many([key]).get(key)
    if data is None:
        view = charts_for_measures([measure], {programme_id: settings})[0]
        context = chart_context(view, cycles)
        rows = table_rows(view)
        data = {
            "block": render_to_string("measures/_chart_block.html", context) if rows else "",
            "table": render_to_string("measures/_chart_table.html", {**context, "rows": rows})
            if rows
            else "",
            "n_rows": len(rows),
            "chart_label": view.chart_label,
            "automatic": view.automatic,
            "rule_set_label": view.rule_set_label,
            "has_phase_starts": bool(view.phase_starts),
            "phases": [(ph.start, ph.reason) for ph in view.phases],
            "narrow": narrow_chart_html(view, cycles) if rows else "",  # phones draw this one (..narrow)
        }
        cache_keys.set_many({key: data})
    # (An entry cached before the narrow drawing existed has none: the page then shows the wide one only.)
    html = {name: mark_safe(data.get(name, "")) for name in ("block", "table", "narrow")}  # noqa: S308 - our templates
    return {**data, **html}


def small_multiples(project, cycles: list, *, squire: bool = False) -> list[dict]:
    """Each measure of the project as a small chart with its latest signals (and, for the PDF, its table).

    Two queries (the measures, the programme's settings) when every chart is cached; two more (points
    and phases, for the measures not cached) otherwise.
    """
    measures = list(Measure.objects.filter(project=project).order_by("position", "id"))
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
    found = cache_keys.get_many(list(keys.values()))
    missing = [m for m in measures if keys[m.pk] not in found]
    if missing:
        fresh = {}
        for view in charts_for_measures(missing, {programme_id: settings}):
            context = {**chart_context(view, shown[view.measure.pk], compact=True), "squire": squire}
            rows = table_rows(view) if squire else []
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
