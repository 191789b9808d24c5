"""Shapes a computed chart into what pages, downloads and the PDF show: geometry, table rows, icons."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .compute import NATURE_LABELS, ChartView
from .layout import FULL, SMALL, Geometry, build_geometry
from .numbers import fmt, fmt_apart

VARIATION_ICONS = {
    "common_cause": ("Common cause variation", "common", ""),
    "improvement_high": ("Special cause variation: improvement (higher)", "improvement", "H"),
    "improvement_low": ("Special cause variation: improvement (lower)", "improvement", "L"),
    "concern_high": ("Special cause variation: concern (higher)", "concern", "H"),
    "concern_low": ("Special cause variation: concern (lower)", "concern", "L"),
    "neutral_high": ("Special cause variation: higher, neither better nor worse", "neutral", "H"),
    "neutral_low": ("Special cause variation: lower, neither better nor worse", "neutral", "L"),
}
ASSURANCE_ICONS = {
    "pass": ("The process will consistently meet the target", "improvement", "P"),
    "fail": ("The process will consistently fail the target", "concern", "F"),
    "inconsistent": ("The process will sometimes meet the target and sometimes not", "neutral", "?"),
}


@dataclass
class Icon:
    label: str
    nature: str
    letter: str
    colour: str


@dataclass
class TableRow:
    period: object
    value: str
    numerator: str
    denominator: str
    cl: str
    lcl: str
    ucl: str
    signal: str
    note: str
    excluded: bool
    exclusion_reason: str
    cl_raw: float | None = None
    lcl_raw: float | None = None
    ucl_raw: float | None = None


def _at(arr, i) -> float | None:
    if arr is None:
        return None
    v = float(arr[i])
    return v if math.isfinite(v) else None


def table_rows(view: ChartView) -> list[TableRow]:
    res = view.result
    rows = []
    for i, p in enumerate(view.rows):
        cl, lcl, ucl = (
            (_at(res.cl, i), _at(res.lcl, i), _at(res.ucl, i)) if res is not None else (None, None, None)
        )
        rules = list(dict.fromkeys(view.point_rules[i])) if view.point_rules else []
        nature = view.point_nature[i] if view.point_nature else "common"
        signal = f"{', '.join(rules)} ({NATURE_LABELS[nature]})" if rules else ""
        value = float(view.y[i]) if len(view.y) else None
        texts = {
            "value": fmt(value) if value is not None else "",
            "cl": fmt(cl) if cl is not None else "",
            "lcl": fmt(lcl) if lcl is not None else "",
            "ucl": fmt(ucl) if ucl is not None else "",
        }
        # A value beyond a limit is shown with enough digits to be seen beyond it.
        limits = [(name, lim) for name, lim in (("ucl", ucl), ("lcl", lcl)) if lim is not None]
        if value is not None and math.isfinite(value) and limits:
            name, limit = min(limits, key=lambda item: abs(item[1] - value))
            texts["value"], texts[name] = fmt_apart(value, limit)
        rows.append(
            TableRow(
                period=p.period,
                value=texts["value"],
                numerator=fmt(p.numerator),
                denominator=fmt(p.denominator),
                cl=texts["cl"],
                lcl=texts["lcl"],
                ucl=texts["ucl"],
                signal=signal,
                note=p.note,
                excluded=p.excluded,
                exclusion_reason=p.exclusion_reason,
                cl_raw=cl,
                lcl_raw=lcl,
                ucl_raw=ucl,
            )
        )
    return rows


def icons(view: ChartView) -> list[Icon]:
    """The NHS Making Data Count variation and assurance icons, for an XmR chart."""
    from .layout import COLOURS

    res = view.result
    if res is None or not view.is_xmr:
        return []
    out = []
    if res.variation_icon in VARIATION_ICONS:
        label, nature, letter = VARIATION_ICONS[res.variation_icon]
        out.append(Icon(label, nature, letter, COLOURS[nature]))
    if res.assurance_icon in ASSURANCE_ICONS:
        label, nature, letter = ASSURANCE_ICONS[res.assurance_icon]
        out.append(Icon(label, nature, letter, COLOURS[nature]))
    return out


def chart_context(view: ChartView, cycles: list, *, compact: bool = False, uid: str = "") -> dict:
    geo: Geometry | None = build_geometry(view, cycles, size=SMALL if compact else FULL)
    return {
        "view": view,
        "geo": geo,
        "measure": view.measure,
        "uid": uid or str(view.measure.public_id)[:8],
        "icons": icons(view),
        "compact": compact,
    }


def small_multiple_html(full: ChartView, cycles: list) -> str:
    """A measure as the project page's small multiple: its latest points drawn small, with its summary and the
    signals on its latest data (HTML that is the same for every reader)."""
    from django.template.loader import render_to_string

    from . import window

    view = window.windowed(full, window.choose(full))  # the latest points; the rest said in words
    context = {**chart_context(view, cycles, compact=True), "squire": False}
    return render_to_string("measures/_small_multiple.html", context)


def table_body(view: ChartView, rows: list[TableRow], *, brief: bool = False) -> SafeString:
    """The chart table's rows, built here for speed (one row per point; every text escaped). ``brief`` (the
    story PDF) leaves out the numerator, denominator, centre line and limits: the summary above the table gives
    the latest ones, and a printed table costs WeasyPrint about 2 ms a cell."""
    denominators = view.measure.has_denominator and not brief
    limits = view.has_limits and not brief
    out = []
    for r in rows:
        cells = [f'<th scope="row" class="nhsuk-table__cell">{r.period:%-d %b %Y}</th>']
        value = escape(r.value) + (f" (left out: {escape(r.exclusion_reason)})" if r.excluded else "")
        cells.append(f'<td class="nhsuk-table__cell">{value}</td>')
        if denominators:
            cells.append(
                f'<td class="nhsuk-table__cell">{r.numerator}</td><td class="nhsuk-table__cell">{r.denominator}</td>'
            )
        if not brief:
            cells.append(f'<td class="nhsuk-table__cell">{r.cl}</td>')
        if limits:
            cells.append(
                f'<td class="nhsuk-table__cell">{r.lcl}</td><td class="nhsuk-table__cell">{r.ucl}</td>'
            )
        cells.append(
            f'<td class="nhsuk-table__cell">{escape(r.signal)}</td><td class="nhsuk-table__cell">{escape(r.note)}</td>'
        )
        out.append(f'<tr class="nhsuk-table__row">{"".join(cells)}</tr>')
    return mark_safe("".join(out))  # noqa: S308 - numbers we formatted and escaped text
