"""The measure page's chart as a phone draws it: narrower, with fewer date labels, never with smaller text.

The page's chart is 760 units wide with 12-unit axis text; scaled down to a 390-pixel phone (358 pixels of
content) its text would shrink to under 6 pixels. On narrow screens the page shows this drawing instead
(``shiftpractice.css`` switches between them): 360 units wide, so it is drawn at about one pixel a unit and
its text stays the size it is on a desktop (12 pixels on the axes, 11 on the labels); the date axis keeps at
most four labels so they do not run into each other. Same computed chart, same marks: only the layout
differs. ``charts.cached_html.measure_page`` draws it from the chart it has just computed and caches it
with the page's chart, so it costs no second engine call.
"""

from __future__ import annotations

import math

from django.template.loader import render_to_string

from .charts.layout import Size, build_geometry

NARROW = Size(360, 250, 48, 12, 40, 44)
MOST_DATE_LABELS = 4


def narrow_geometry(view, cycles: list):
    """The chart laid out at the narrow size, with at most ``MOST_DATE_LABELS`` labels on the date axis."""
    geo = build_geometry(view, cycles, size=NARROW)
    if geo is not None and len(geo.x_ticks) > MOST_DATE_LABELS:
        geo.x_ticks = geo.x_ticks[:: math.ceil(len(geo.x_ticks) / MOST_DATE_LABELS)]
    return geo


def narrow_chart_html(view, cycles: list) -> str:
    """The computed chart drawn for narrow screens (HTML, hidden on wider ones), or "" when there is none."""
    geo = narrow_geometry(view, cycles)
    if geo is None:
        return ""
    measure = view.measure
    context = {"view": view, "geo": geo, "measure": measure, "uid": f"n{str(measure.public_id)[:8]}"}
    return render_to_string("measures/_narrow_chart.html", context)
