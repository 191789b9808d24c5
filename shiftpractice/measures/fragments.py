"""The drawn parts of the chart pages, from the cache when the measure's data have not changed.

A chart costs one engine call, the geometry and a few hundred SVG elements; a repeat view of an unchanged
measure costs a cache read instead (``chartcache`` says what the key holds). What is cached is HTML that
is the same for every reader: nothing in it depends on who is looking (no forms, no CSRF token, no
edit links), so a fragment can be shared between people who may see the measure.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import chartcache
from .models import Measure
from .presenters import chart_context, table_rows
from .selectors import charts_for_measures, settings_for_programme


def measure_page(measure: Measure, cycles: list) -> dict:
    """The measure page's chart block and table, and the few facts the page shows about its chart.

    Reads the programme's settings (one query); on a miss, the measure's points and phases (two more).
    """
    programme_id = measure.programme_id = measure.project.cohort.programme_id
    settings = settings_for_programme(programme_id)
    key = chartcache.key("page", measure, settings, chartcache.cycles_fingerprint(cycles))
    data = chartcache.get_many([key]).get(key)
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
        }
        chartcache.set_many({key: data})
    return {**data, "block": mark_safe(data["block"]), "table": mark_safe(data["table"])}  # noqa: S308 - rendered by our templates


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
    extra = f"{chartcache.cycles_fingerprint(cycles)}|{int(squire)}"
    keys = {m.pk: chartcache.key("small", m, settings, extra) for m in measures}
    found = chartcache.get_many(list(keys.values()))
    missing = [m for m in measures if keys[m.pk] not in found]
    if missing:
        fresh = {}
        for view in charts_for_measures(missing, {programme_id: settings}):
            context = {**chart_context(view, cycles, compact=True), "squire": squire}
            rows = table_rows(view) if squire else []
            fresh[keys[view.measure.pk]] = {
                "html": render_to_string("measures/_small_multiple.html", context),
                "table": render_to_string("measures/_chart_table.html", {**context, "rows": rows})
                if rows
                else "",
            }
        chartcache.set_many(fresh)
        found.update(fresh)
    return [
        {
            "measure": m,
            "html": mark_safe(found[keys[m.pk]]["html"]),  # noqa: S308 - rendered by our templates
            "table": mark_safe(found[keys[m.pk]]["table"]),  # noqa: S308 - rendered by our templates
        }
        for m in measures
    ]
