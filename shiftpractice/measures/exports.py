"""CSV and XLSX exports of a measure (with its centre line, limits and signals) and of a whole project.

The columns start with those the importer reads (period, value or numerator and denominator, note), so an
exported file can be imported again. Every text cell, whatever column it is in, goes through ``_safe``: text
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, also after leading spaces or line breaks) is written with a leading apostrophe. Numbers and dates
are written as numbers and dates, so a negative value stays a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from shiftpractice.core.text import spreadsheet_safe

from .charts.compute import ChartView
from .charts.presentation import table_rows

HEADERS = [
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
    "excluded",
    "exclusion_reason",
    "centre_line",
    "lower_limit",
    "upper_limit",
    "signal",
]
PROJECT_HEADERS = ["measure", "type", "unit", *HEADERS]


_safe = spreadsheet_safe  # (the name this module's writers and its tests use)


# Characters XML 1.0 cannot hold (openpyxl refuses them): dropped from XLSX cells.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_cell(v):
    return _safe(_ILLEGAL_XML.sub("", v)) if isinstance(v, str) else v


def _raw(v) -> float | None:
    return None if v is None else float(v)


def measure_rows(view: ChartView) -> Iterable[list]:
    for p, r in zip(view.rows, table_rows(view), strict=True):
        yield [
            p.period,
            None if view.measure.has_denominator else _raw(p.value),
            _raw(p.numerator),
            _raw(p.denominator),
            p.note,
            "yes" if p.excluded else "",
            p.exclusion_reason,
            r.cl_raw,
            r.lcl_raw,
            r.ucl_raw,
            r.signal,
        ]


def _csv_cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v) if not v.is_integer() else str(int(v))
    if isinstance(v, str):
        return _safe(v)
    return str(v)


def to_csv(header: list[str], rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue()


def measure_csv(view: ChartView) -> str:
    return to_csv(HEADERS, measure_rows(view))


def project_csv(views: list[ChartView]) -> str:
    def rows():
        for v in views:
            m = v.measure
            for row in measure_rows(v):
                yield [m.name, m.get_measure_type_display(), m.unit, *row]

    return to_csv(PROJECT_HEADERS, rows())


def _sheet_title(name: str, taken: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Measure"
    title, k = base, 2
    while title.lower() in taken:
        title = f"{base[:25]} ({k})"
        k += 1
    taken.add(title.lower())
    return title


def _append(ws, row: list) -> None:
    """Every row of every sheet is written through here, so no text cell escapes ``_safe``."""
    ws.append([_xlsx_cell(v) for v in row])


def to_xlsx(views: list[ChartView]) -> bytes:
    """One sheet per measure (write-only, streamed), and a first sheet describing the measures."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    about = wb.create_sheet("Measures")
    about.append(
        [
            "measure",
            "type",
            "kind of data",
            "unit",
            "improvement direction",
            "target",
            "chart",
            "rules",
            "definition",
        ]
    )
    for v in views:
        m = v.measure
        _append(
            about,
            [
                m.name,
                m.get_measure_type_display(),
                m.get_data_kind_display(),
                m.unit,
                m.get_direction_display(),
                m.target,
                v.chart_label,
                v.rule_set_label,
                m.definition,
            ],
        )
    taken = {"measures"}
    for v in views:
        ws = wb.create_sheet(_sheet_title(v.measure.name, taken))
        ws.append(HEADERS)
        for row in measure_rows(v):
            _append(ws, row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
