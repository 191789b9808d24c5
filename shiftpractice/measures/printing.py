"""The project's charts as the story PDF prints them: one chart a measure, across the full text width.

The page's small multiples are 340 units wide with 10-unit text; stretched across an A4 text column they would
print their text at 15 pt, and the full-size chart (760 units, 12-unit text) would print it under 8 pt. The PDF
gets its own size instead: 600 units wide, so its smallest text (11 units, the PDSA and phase labels) prints at
about 9 pt and the axes (12 units) at about 10 pt across the 178 mm column (``story_print.css`` draws every
chart at the column's width). ``STORY_TEXT_WIDTH_PX`` and ``smallest_printed_pt`` say how that is worked out,
and the PDF tests read the sizes back from the file.

Also the story PDF's version of the measures: what ``projects`` keys a stored PDF by, so a PDF is built again
when a measure's data, phases or the programme's chart settings change (``register_story_version_source``).
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .charts import cache_keys, window
from .charts.layout import Size, build_geometry
from .charts.presentation import icons, table_rows
from .models import Measure
from .selectors import charts_for_measures, cycles_for_measures, settings_for_programme

PRINT = Size(600, 280, 62, 20, 40, 46)
# The points a printed chart and its table show: the latest half-year of weekly data (two years of monthly).
# WeasyPrint lays a table out at about 2 ms a cell, so the PDF's tables are most of its drawing time; the
# summary says what is not printed, and the CSV download has every point.
PRINT_POINTS = 26
# The smallest text a full (not compact) chart draws, in SVG units: PDSA, phase and target labels (11); the
# axis labels are 12.
SMALLEST_CHART_TEXT = 11
# A4 less the PDF's 16 mm side margins (story_print.css), in CSS pixels (96 a inch) and points (72 an inch).
STORY_TEXT_WIDTH_MM = 210 - 2 * 16
STORY_TEXT_WIDTH_PX = STORY_TEXT_WIDTH_MM / 25.4 * 96


def smallest_printed_pt(size: Size = PRINT) -> float:
    """The printed size of the chart's smallest text when the chart fills the story's text width.

    >>> round(smallest_printed_pt(), 2)
    9.25
    """
    scale = STORY_TEXT_WIDTH_PX / size.width
    return SMALLEST_CHART_TEXT * scale * 0.75  # CSS pixels to points


def print_charts(project, cycles: list) -> list[dict]:
    """Every measure of the project drawn for print, with its summary, signals and table (``html``): each at its
    window (the latest ``PRINT_POINTS``, ``charts.window``), so a PDF's size and drawing time do not grow with
    the data; the summary says what is not drawn, and the limits and signals still use every point.

    Cached like the page's charts, by each measure's data version, the programme's settings and the cycles
    its chart marks.
    Returns dicts with ``html`` and an empty ``table`` so the story's measures template can lay them out like
    its small multiples.
    """
    measures = list(Measure.objects.filter(project=project).order_by("position", "id"))
    if not measures:
        return []
    programme_id = project.cohort.programme_id
    for m in measures:
        m.project = project
        m.programme_id = programme_id
    settings = settings_for_programme(programme_id)
    shown = cycles_for_measures(measures, cycles)
    keys = {
        m.pk: cache_keys.key("print", m, settings, cache_keys.cycles_fingerprint(shown[m.pk]))
        for m in measures
    }
    found = cache_keys.get_many(list(keys.values()))
    missing = [m for m in measures if keys[m.pk] not in found]
    if missing:
        fresh = {}
        for full in charts_for_measures(missing, {programme_id: settings}):
            # The latest points, as the page draws them by default; the rest is said in the summary.
            view = window.windowed(full, window.choose(full, latest=PRINT_POINTS))
            context = {
                "view": view,
                "geo": build_geometry(view, shown[view.measure.pk], size=PRINT),
                "measure": view.measure,
                "uid": f"p{str(view.measure.public_id)[:8]}",
                "icons": icons(view),
                "squire": True,
                "rows": table_rows(view),
                "brief": True,  # period, value, signal and note: the summary gives the latest limits
            }
            fresh[keys[view.measure.pk]] = render_to_string("measures/_print_chart.html", context)
        cache_keys.set_many(fresh)
        found.update(fresh)
    return [
        {"measure": m, "html": mark_safe(found[keys[m.pk]]), "table": ""}  # noqa: S308 - our templates
        for m in measures
    ]


def story_version(project) -> str:
    """What the project's measures contribute to the story PDF's version: one query and the settings' one.

    The count catches a measure removed; the latest ``updated_at`` catches any measure added or changed
    (a measure's ``updated_at`` moves with its points and phases: ``charts.cache_keys``).
    """
    agg = Measure.objects.filter(project=project).aggregate(n=Count("pk"), latest=Max("updated_at"))
    latest = agg["latest"].isoformat() if agg["latest"] else "-"
    settings = settings_for_programme(project.cohort.programme_id)
    return f"{cache_keys.VERSION}|{agg['n']}|{latest}|{cache_keys.settings_part(settings)}"
