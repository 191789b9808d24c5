"""CSV and XLSX exports of a measure (with its centre line, limits and signals) and of a whole project.

The columns start with those the importer reads (period, value or numerator and denominator, note), so an
exported file can be imported again. Text that a spreadsheet would run as a formula is written with a
leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .charting import ChartView
from .presenters import table_rows

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


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _raw(v) -> float | None:
    return None if v is None else float(v)


def measure_rows(view: ChartView) -> Iterable[list]:
    for p, r in zip(view.rows, table_rows(view), strict=True):
        yield [
            p.period,
            None if view.measure.has_denominator else _raw(p.value),
            _raw(p.numerator),
            _raw(p.denominator),
            _safe(p.note),
            "yes" if p.excluded else "",
            _safe(p.exclusion_reason),
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
                yield [_safe(m.name), m.get_measure_type_display(), m.unit, *row]

    return to_csv(PROJECT_HEADERS, rows())


def _sheet_title(name: str, taken: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Measure"
    title, k = base, 2
    while title.lower() in taken:
        title = f"{base[:25]} ({k})"
        k += 1
    taken.add(title.lower())
    return title


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
        about.append(
            [
                _safe(m.name),
                m.get_measure_type_display(),
                m.get_data_kind_display(),
                m.unit,
                m.get_direction_display(),
                m.target,
                v.chart_label,
                v.rule_set_label,
                _safe(m.definition),
            ]
        )
    taken = {"measures"}
    for v in views:
        ws = wb.create_sheet(_sheet_title(v.measure.name, taken))
        ws.append(HEADERS)
        for row in measure_rows(v):
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
