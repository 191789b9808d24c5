"""Pasting many periods at once: text copied from a spreadsheet (or typed) read into rows, previewed, and
saved through the import.

The text is read here into the import's own columns (period, value or numerator and denominator, note),
checked row by row by the import's checker (``imports.parse_rows``: the same dates, numbers, duplicate
periods and value rules as a file), and saved by writing those rows as a CSV import and committing it
(``imports.import_upload``, ``import_check``, ``import_commit``): one write path, all rows or none, each
change recorded against the import like any other.

How the text is read (the page's hint says the same):
- Columns are split at tabs (what a spreadsheet copies) if the text has any; else at semicolons if it has
  any; else at commas (quotes keep a comma inside a cell).
- A comma inside a number separates thousands when three digits follow it (``1,234`` is 1234,
  ``12,345,678.5`` too) and is a decimal point otherwise (``3,5`` is 3.5, ``0,25`` is 0.25). On a measure of
  single values, a line of comma-separated text that is one such number is one number, not two columns.
- Blank lines are skipped. A first line whose cells are neither numbers nor a date is the column names: it
  is not saved, and names the import recognises (period, value, numerator, denominator, note) choose the
  columns.
- Without column names the columns are read by how many there are: one value, or period and value (and a
  note); numerator and denominator, or period, numerator and denominator (and a note). Values without
  periods are given consecutive periods from the first period the person names (or the period after the
  latest one saved).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max

from . import imports
from .choices import Frequency, ImportStatus
from .imports import FIELD_LABELS, CheckResult, ParsedRow, guess_mapping, parse_rows
from .models import DataImport, DataPoint, Measure
from .periods import normalise_period
from .uploads import limits

# A textarea saved while the person waits (its text is bounded like every form's, FORM_TEXT_MAX_LENGTH); longer
# series go through a file import.
PASTE_MAX_ROWS = 1000
FILE_NAME = "pasted-data.csv"
PREVIEW_ALL = (
    200  # a preview lists every row up to this many; beyond, the first PREVIEW_FIRST and every problem
)
PREVIEW_FIRST = 100

THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def max_rows() -> int:
    """At most this many rows are pasted at once: the paste's own bound, and never more than a file's."""
    return min(PASTE_MAX_ROWS, limits().max_rows)


def number_text(cell: str) -> str:
    """The cell as the import reads numbers: thousands commas dropped, a decimal comma made a point.
    Anything else is left as typed, for the import's checker to name."""
    text = cell.strip().replace("\u00a0", "").replace("\u202f", "")
    if THOUSANDS.match(text):
        return text.replace(",", "")
    if DECIMAL_COMMA.match(text):
        return text.replace(",", ".")
    return text


def _is_number(cell: str) -> bool:
    return bool(NUMBER.match(number_text(cell)))


def _is_date(cell: str) -> bool:
    return bool(imports.parse_date(cell, [])[0])


@dataclass
class PreviewRow:
    line: int
    period: date | None = None
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None
    action: str = ""  # new, change, same; blank for a row with a problem
    old: str = ""  # what a changed period holds now
    problems: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(
        default_factory=dict
    )  # what the preview shows, by column: as read, or as typed


@dataclass
class PasteResult:
    rows: list[PreviewRow] = field(default_factory=list)
    parsed: list[ParsedRow] = field(default_factory=list)
    problems: list[imports.RowError] = field(default_factory=list)
    problem_count: int = 0
    field_errors: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problem_count and not self.field_errors and bool(self.parsed)

    @property
    def shown(self) -> list[PreviewRow]:
        """The rows the preview lists: all of a short paste; of a long one the first rows and every row with
        a problem."""
        if len(self.rows) <= PREVIEW_ALL:
            return self.rows
        return [row for i, row in enumerate(self.rows) if i < PREVIEW_FIRST or row.problems]

    @property
    def has_notes(self) -> bool:
        return any(row.note for row in self.rows)


def split_lines(text: str, single_values: bool) -> list[tuple[int, list[str]]]:
    """(line number, cells) for every line that is not blank, split as the module says."""
    lines = text.splitlines()
    if "\t" in text:
        rows = [line.split("\t") for line in lines]
    elif ";" in text:
        rows = [line.split(";") for line in lines]
    else:
        rows = []
        for line in lines:
            if single_values and (THOUSANDS.match(line.strip()) or DECIMAL_COMMA.match(line.strip())):
                rows.append([line])
            else:
                rows.append(next(csv.reader([line]), []))
    out = []
    for number, cells in enumerate(rows, start=1):
        cells = [c.strip() for c in cells]
        while cells and not cells[-1]:
            cells.pop()  # spreadsheets copy empty cells at the end of a row
        if cells:
            out.append((number, cells))
    return out


def _columns(measure: Measure, width: int, header: list[str]) -> list[str] | None:
    """The import's field for each column, from the column names or else from how many columns there are."""
    numbers = ["numerator", "denominator"] if measure.has_denominator else ["value"]
    if header:
        mapping = guess_mapping(header)
        if all(n in mapping for n in numbers):
            by_column = {col: name for name, col in mapping.items()}
            return [by_column.get(h, "") for h in header]
    layouts = {len(numbers): numbers, len(numbers) + 1: ["period", *numbers]}
    layouts[len(numbers) + 2] = ["period", *numbers, "note"]
    return layouts.get(width)


def _next_period(frequency: str, d: date) -> date:
    if frequency == Frequency.DAY:
        return d + timedelta(days=1)
    if frequency == Frequency.WEEK:
        return d + timedelta(weeks=1)
    months = 3 if frequency == Frequency.QUARTER else 1
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def continue_from(measure: Measure) -> date | None:
    """The period after the latest one saved: where values pasted without periods start by default."""
    latest = DataPoint.objects.filter(measure=measure).aggregate(latest=Max("period"))["latest"]
    if latest is None or measure.frequency == Frequency.EVENT:
        return None
    return _next_period(measure.frequency, normalise_period(measure.frequency, latest))


def _layout_problem(measure, width, layout, first_line) -> str:
    if layout is not None:
        return ""
    if measure.has_denominator and width == 1:
        return (
            "this line has one number: this measure needs a numerator and a denominator on every line, "
            "separated by a tab or a comma"
        )
    return (
        f"this line has {width} columns; paste "
        + (
            "numerator and denominator, or period, numerator and denominator"
            if measure.has_denominator
            else "a column of values, or period and value"
        )
        + (" (and a note)" if first_line else "")
    )


def read_paste(measure: Measure, text: str, first_period: date | None = None) -> PasteResult:
    """What saving this text would do, or what is wrong with it, row by row. Writes nothing."""
    result = PasteResult()
    lines = split_lines(text, single_values=not measure.has_denominator)
    if lines and not any(_is_number(c) or _is_date(c) for c in lines[0][1]):
        result.header = lines[0][1]
        lines = lines[1:]
    if not lines:
        result.field_errors["text"] = "Paste or type at least one row of data."
        return result
    if len(lines) > max_rows():
        result.field_errors["text"] = (
            f"You pasted {len(lines):,} rows; at most {max_rows():,} can be pasted at once. Paste them in parts, "
            f"or import them as a CSV or Excel file (up to {limits().max_rows:,} rows)."
        )
        return result
    layout = _columns(measure, len(lines[0][1]), result.header)
    problem = _layout_problem(measure, len(lines[0][1]), layout, True)
    if problem:
        result.field_errors["text"] = f"Line {lines[0][0]}: {problem}."
        return result
    if result.header:
        result.notices.append(
            f"The first line ({', '.join(result.header)}) was read as column names and not saved."
        )
    if "period" not in layout:
        if measure.frequency == Frequency.EVENT:
            result.field_errors["text"] = (
                "This measure is recorded for each event, so every line needs its date: paste the dates and "
                "the values in two columns."
            )
            return result
        if first_period is None:
            result.field_errors["first_period"] = (
                "Enter the period of the first row: the rows you pasted have no dates."
            )
            return result
    _check_rows(measure, lines, layout, first_period, result)
    return result


def _rows_for_import(measure, lines, layout, first_period, result: PasteResult):
    """(line number, cells) in the columns of ``layout`` (plus a period where the text has none), for the
    import's checker; lines of the wrong width become problems here."""
    period = None
    if first_period is not None and "period" not in layout:
        period = normalise_period(measure.frequency, first_period)
    for number, cells in lines:
        row = PreviewRow(number)
        result.rows.append(row)
        if len(cells) > len(layout):
            row.cells["period"] = ", ".join(cells)
            _problem(result, row, "Line", _layout_problem(measure, len(cells), None, False))
            continue
        by_name = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(layout) if name}
        row.cells = dict(by_name)
        for name in ("value", "numerator", "denominator"):
            if name in by_name:
                by_name[name] = number_text(by_name[name])
        if period is not None:
            by_name["period"] = period.isoformat()
            period = _next_period(measure.frequency, period)
        yield number, by_name


def _check_rows(measure, lines, layout, first_period, result: PasteResult) -> None:
    numbers = ["numerator", "denominator"] if measure.has_denominator else ["value"]
    names = ["period", *numbers] + (["note"] if "note" in layout else [])
    check = CheckResult()
    rows = (
        (number, [cells.get(n, "") for n in names])
        for number, cells in _rows_for_import(measure, lines, layout, first_period, result)
    )
    parsed = {row.row: row for row in parse_rows(measure, names, rows, {n: n for n in names}, check)}
    by_line = {row.line: row for row in result.rows}
    for error in check.errors:
        row = by_line.get(error.row)
        if row is not None:
            _problem(result, row, FIELD_LABELS.get(error.column, error.column), error.problem)
    result.problem_count += check.error_count - len(check.errors)
    result.notices += [n for n in check.notices if not n.startswith("Columns not imported")]
    existing = imports.existing_points(measure)
    for line, row in parsed.items():
        preview = by_line[line]
        preview.period, preview.note = row.period, row.note
        preview.value, preview.numerator, preview.denominator = row.value, row.numerator, row.denominator
        for name in numbers:
            preview.cells[name] = plain(getattr(row, name))
        result.parsed.append(row)
        old = existing.get(row.period)
        if old is None:
            preview.action, result.new = "new", result.new + 1
        elif imports.differs(row, old):
            preview.action, result.changed = "change", result.changed + 1
            preview.old = _words(measure, old)
        else:
            preview.action, result.unchanged = "same", result.unchanged + 1
    if result.problem_count:
        result.field_errors["text"] = (
            f"{result.problem_count} problem{'s' if result.problem_count != 1 else ''} in what you pasted: "
            "see the rows below. Nothing has been saved."
        )


def _problem(result: PasteResult, row: PreviewRow, column: str, problem: str) -> None:
    result.problem_count += 1
    row.problems.append(f"{column}: {problem}" if column != "Line" else problem)
    result.problems.append(imports.RowError(row.line, column, problem))


def plain(number: float) -> str:
    """A number as typed into a spreadsheet: no exponent, no thousands commas, no trailing zeros."""
    return f"{number:.6f}".rstrip("0").rstrip(".")


def _words(measure: Measure, old: tuple) -> str:
    _id, value, numerator, denominator, _note = old
    if measure.has_denominator:
        return f"{plain(numerator)} out of {plain(denominator)}"
    return plain(value)


def fingerprint(measure: Measure, text: str, first_period: date | None) -> str:
    """What a preview was made from: the text, the first period and the measure's data version. Saving
    asks for the same, so what is saved is what was previewed."""
    parts = [text, first_period.isoformat() if first_period else "", measure.updated_at.isoformat()]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def as_csv(measure: Measure, rows: list[ParsedRow]) -> bytes:
    """The checked rows as a CSV in the import's columns."""
    numbers = ["numerator", "denominator"] if measure.has_denominator else ["value"]
    with_note = any(row.note is not None for row in rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", *numbers] + (["note"] if with_note else []))
    for row in rows:
        cells = [row.period.isoformat(), *(repr(getattr(row, n)) for n in numbers)]
        writer.writerow(cells + ([row.note or ""] if with_note else []))
    return out.getvalue().encode()


def paste_save(*, measure: Measure, text: str, first_period: date | None, actor) -> DataImport:
    """Save the pasted rows, all of them or none: checked here, then written by the import (upload, check
    and commit of the rows as a CSV), so every rule and record of a file import applies."""
    result = read_paste(measure, text, first_period)
    if not result.ok:
        message = next(iter(result.field_errors.values()), "Nothing to save.")
        raise ValidationError(message)
    content = as_csv(measure, result.parsed)
    data_import = imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile(FILE_NAME, content, "text/csv"), actor=actor
    )
    imports.import_check(data_import)
    if data_import.status != ImportStatus.READY:
        first = data_import.errors[0]["problem"] if data_import.errors else "the rows could not be checked"
        imports.import_cancel(data_import=data_import, actor=actor)
        raise ValidationError(f"Nothing was saved: {first}.")
    return imports.import_commit(data_import=data_import, actor=actor)
