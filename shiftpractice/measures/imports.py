"""CSV and XLSX imports: streamed, checked row by row, previewed, then written all at once or not at all.

The file is stored when it is uploaded and read as a stream each time (``csv`` over the text, openpyxl in
read-only mode), so a 100,000-row file never sits in memory as rows. ``check`` finds every problem (the
first ``MAX_ERRORS`` are kept, with the row number, the column and what is wrong) and counts the new,
changed and unchanged periods; nothing is written until the person confirms, and ``commit`` then writes
every row in one transaction, in batches, after checking the file again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from shiftpractice.core.audit import audit

from .choices import ImportStatus
from .models import DataImport, DataPoint, DataPointChange, Measure
from .periods import PERIOD_NAMES, normalise_period, period_problem
from .services import check_values, touch

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000  # rows of data in one file (a 10 MB file of short rows could otherwise hold millions)
MAX_COLUMNS = 50
MAX_ERRORS = 200
PREVIEW_ROWS = 10
BATCH = 2000
PROGRESS_EVERY = 5000
INLINE_BYTES = 256 * 1024  # smaller files are checked and imported while the person waits

FIELDS = ("period", "value", "numerator", "denominator", "note")
FIELD_LABELS = {
    "period": "Period (date)",
    "value": "Value",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "note": "Note",
}
ALIASES = {
    "period": {
        "period",
        "date",
        "week",
        "month",
        "day",
        "x",
        "period start",
        "week starting",
        "week commencing",
    },
    "value": {"value", "y", "count", "result", "measure"},
    "numerator": {"numerator", "num", "events", "yes"},
    "denominator": {"denominator", "den", "denom", "n", "total", "out of"},
    "note": {"note", "notes", "comment", "comments", "annotation"},
}

# Date formats accepted in text, tried in this order. UK order: 03/04/2021 is 3 April.
DATE_FORMATS = (
    ("%Y-%m-%d", "2021-04-03"),
    ("%d/%m/%Y", "03/04/2021"),
    ("%d-%m-%Y", "03-04-2021"),
    ("%d %b %Y", "3 Apr 2021"),
    ("%d %B %Y", "3 April 2021"),
    ("%Y-%m", "2021-04"),
    ("%b %Y", "Apr 2021"),
    ("%B %Y", "April 2021"),
)
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class FileRefused(ValidationError):
    """The file as a whole cannot be read (wrong type, too large, not UTF-8, a broken spreadsheet)."""


@dataclass
class RowError:
    row: int
    column: str
    problem: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "problem": self.problem}


@dataclass
class CheckResult:
    rows_total: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def add_error(self, row: int, column: str, problem: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, problem))


@dataclass
class ParsedRow:
    row: int
    period: date
    value: float | None
    numerator: float | None
    denominator: float | None
    note: str | None  # None when the file has no note column: existing notes are kept


# Reading -----------------------------------------------------------------------------------------------


def sniff(name: str, head: bytes) -> str:
    """'csv' or 'xlsx', or FileRefused saying why the file is neither."""
    lower = name.lower()
    is_zip = head.startswith(b"PK\x03\x04")
    if lower.endswith(".xlsx"):
        if not is_zip:
            raise FileRefused(
                "This file is called .xlsx but is not an Excel workbook. Save it again as .xlsx or .csv."
            )
        return "xlsx"
    if lower.endswith(".xls"):
        raise FileRefused(
            "Old Excel files (.xls) cannot be read. Save the sheet as .xlsx or .csv and upload that."
        )
    if lower.endswith((".csv", ".txt")):
        if is_zip or b"\x00" in head:
            raise FileRefused(
                "This file is called .csv but is not text. Save it again as CSV (comma separated)."
            )
        return "csv"
    raise FileRefused("Upload a CSV file (.csv) or an Excel workbook (.xlsx).")


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def open_rows(data_import: DataImport) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """The header row and an iterator of (row number, cells) for the stored file, streamed.

    Refuses (FileRefused) a file with more than ``MAX_COLUMNS`` columns; the rows iterator refuses one with
    more than ``MAX_ROWS`` rows when it gets there, so the file is never read further than that. A stored
    file that has gone (``prune_imports``) raises FileNotFoundError.
    """
    _f, headers, rows = _open(data_import)
    return headers, _bounded(rows)


def read_headers(data_import: DataImport) -> list[str]:
    """The file's column names (checking it can be read at all), closing the file again."""
    f, headers, rows = _open(data_import)
    rows.close()
    f.close()  # closing a generator that has not started does not run its ``finally``
    return headers


def _open(data_import: DataImport):
    # Through the storage, not the FieldFile (which reopens a cached handle): a missing file is then
    # always FileNotFoundError.
    f = data_import.file.storage.open(data_import.file.name, "rb")
    headers, rows = _xlsx_rows(f) if data_import.file_format == "xlsx" else _csv_rows(f)
    while headers and not headers[-1]:
        headers.pop()  # a spreadsheet's trailing empty columns are not columns
    if len(headers) > MAX_COLUMNS:
        rows.close()
        f.close()
        raise FileRefused(
            f"The file has {len(headers)} columns; at most {MAX_COLUMNS} can be read. Keep the period, the "
            "values and the note, and delete the other columns."
        )
    return f, headers, rows


def _bounded(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    try:
        for count, (number, cells) in enumerate(rows, start=1):
            if count > MAX_ROWS:
                raise FileRefused(
                    f"The file has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} can be imported at once. "
                    "Split it into smaller files."
                )
            while len(cells) > MAX_COLUMNS and cells[-1] in _EMPTY:
                cells.pop()  # trailing empty cells are not columns
            if len(cells) > MAX_COLUMNS:
                raise FileRefused(
                    f"Row {number} has {len(cells)} cells; at most {MAX_COLUMNS} columns can be read."
                )
            yield number, cells
    finally:
        rows.close()


_EMPTY = (None, "")


def _csv_rows(f) -> tuple[list[str], Iterator[tuple[int, list]]]:
    text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        headers = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        f.close()
        raise FileRefused(_csv_problem(exc)) from exc
    if not headers:
        f.close()
        raise FileRefused("The file is empty: it needs a row of column names and then one row per period.")

    def rows():
        try:
            yield from enumerate(reader, start=2)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise FileRefused(_csv_problem(exc)) from exc
        finally:
            f.close()

    return [h.strip() for h in headers], rows()


def _csv_problem(exc) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”."
    return f"The file could not be read as CSV ({exc})."


def _xlsx_rows(f) -> tuple[list[str], Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        # data_only=False so that a formula comes back as its text ("=SUM(...)") and can be refused.
        wb = load_workbook(f, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        f.close()
        raise FileRefused("The workbook could not be opened: save it again as .xlsx and upload it.") from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    headers = next(it, None)
    if not headers:
        wb.close()
        f.close()
        raise FileRefused(
            "The first sheet is empty: it needs a row of column names and then one row per period."
        )

    def rows():
        try:
            for number, cells in enumerate(it, start=2):
                yield number, list(cells)
        finally:
            wb.close()
            f.close()

    return [_cell_text(h).strip() for h in headers], rows()


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Our field -> the file's column, matched by name (case and spaces ignored)."""
    mapping: dict[str, str] = {}
    for header in headers:
        key = " ".join(header.lower().replace("_", " ").split())
        for name, aliases in ALIASES.items():
            if name not in mapping and key in aliases:
                mapping[name] = header
    return mapping


# Checking ----------------------------------------------------------------------------------------------


def _parse_number(v) -> tuple[float | None, str]:
    """(number or None when blank, problem)."""
    if v is None:
        return None, ""
    if isinstance(v, bool):
        return None, f"“{v}” is not a number"
    if isinstance(v, int | float):
        return (float(v), "") if math.isfinite(v) else (None, "is not a finite number")
    if isinstance(v, datetime | date):
        return None, f"a date ({_cell_text(v)}) is in a number column"
    text = str(v).strip()
    if not text:
        return None, ""
    if THOUSANDS.match(text):
        text = text.replace(",", "")
    if not NUMBER.match(text):
        return None, f"“{_short(text)}” is not a number"
    number = float(text)
    if not math.isfinite(number):
        return None, f"“{_short(text)}” is not a finite number"
    return number, ""


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def _parse_date(v, fmt_seen: list[str]) -> tuple[date | None, str]:
    """(date, problem); the first row's way of writing dates is the file's, and every row must follow it."""
    if isinstance(v, datetime | date):
        got, how = (v.date() if isinstance(v, datetime) else v), "a date cell"
    else:
        text = str(v).strip() if v is not None else ""
        if not text:
            return None, "the period is blank"
        got = how = None
        for fmt, example in DATE_FORMATS:
            try:
                got, how = datetime.strptime(text, fmt).date(), f"text like {example}"
                break
            except ValueError:
                continue
        if got is None:
            return None, f"“{_short(text)}” is not a date; write dates like 2021-04-03 or 03/04/2021"
    if not fmt_seen:
        fmt_seen.append(how)
    elif how != fmt_seen[0]:
        return None, (
            f"dates are written in more than one way: this row has {how}, the first row {fmt_seen[0]}; "
            "write every date the same way"
        )
    return got, ""


def _is_formula(v) -> bool:
    if isinstance(v, str):
        return v.lstrip().startswith("=")
    return not isinstance(v, int | float | str | date | datetime | type(None))  # openpyxl's formula objects


def parse_rows(
    measure: Measure, headers: list[str], rows, mapping: dict[str, str], result: CheckResult, progress=None
):
    """Yield each valid row; record every problem in ``result``. Checks the whole file, however many errors."""
    column_of = {name: headers.index(col) for name, col in mapping.items() if col in headers}
    needs = ("numerator", "denominator") if measure.has_denominator else ("value",)
    missing = [n for n in ("period", *needs) if n not in column_of]
    if missing:
        for name in missing:
            result.add_error(
                1,
                FIELD_LABELS[name],
                f"No column for the {FIELD_LABELS[name].lower()}: name a column “{name}”, or choose one below.",
            )
        return
    unused = [h for h in headers if h and h not in mapping.values()]
    if unused:
        result.notices.append(f"Columns not imported: {', '.join(unused)}.")
    seen: dict[date, int] = {}
    fmt_seen: list[str] = []
    period_name = PERIOD_NAMES.get(measure.frequency)
    moved = 0
    for number, cells in rows:
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue  # blank rows are skipped
        result.rows_total += 1
        if progress is not None and result.rows_total % PROGRESS_EVERY == 0:
            progress(result.rows_total)
        ok = True
        for i, c in enumerate(cells):
            if _is_formula(c):
                col = headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"
                result.add_error(number, col, "a formula is not imported: enter the value it gives instead")
                ok = False

        def cell(name, cells=cells):
            i = column_of.get(name)
            return cells[i] if i is not None and i < len(cells) else None

        if not ok:
            continue
        period, problem = _parse_date(cell("period"), fmt_seen)
        if not problem:
            problem = period_problem(period)
        if problem:
            result.add_error(number, mapping["period"], problem.rstrip("."))
            ok = False
        elif (start := normalise_period(measure.frequency, period)) != period:
            period = start
            moved += 1
        numbers = {}
        for name in ("value", "numerator", "denominator"):
            if name not in column_of:
                numbers[name] = None
                continue
            numbers[name], problem = _parse_number(cell(name))
            if problem:
                result.add_error(number, mapping[name], problem)
                ok = False
        note = None
        if "note" in column_of:
            note = _cell_text(cell("note")).strip()
            if len(note) > 300:
                result.add_error(number, mapping["note"], "the note is longer than 300 characters")
                ok = False
        if not ok:
            continue
        if measure.has_denominator:
            numbers["value"] = None
        else:
            numbers["numerator"] = numbers["denominator"] = None
        for name, problem in check_values(measure.data_kind, **numbers).items():
            result.add_error(number, mapping.get(name, FIELD_LABELS[name]), problem.rstrip("."))
            ok = False
        if period in seen:
            result.add_error(
                number,
                mapping["period"],
                f"{period:%-d %b %Y} is also on row {seen[period]}: one row per period"
                + (f" (each date is read as {period_name})" if period_name else ""),
            )
            ok = False
        else:
            seen[period] = number
        if ok:
            yield ParsedRow(
                number, period, numbers["value"], numbers["numerator"], numbers["denominator"], note
            )
    if moved:
        result.notices.append(
            f"{moved} date{'s' if moved != 1 else ''} moved to {period_name} "
            f"(a {measure.get_frequency_display().lower()} measure)."
        )


def _existing(measure: Measure) -> dict[date, tuple]:
    return {
        row[0]: row[1:]
        for row in DataPoint.objects.filter(measure=measure).values_list(
            "period", "id", "value", "numerator", "denominator", "note"
        )
    }


def _differs(row: ParsedRow, old: tuple) -> bool:
    _id, value, numerator, denominator, note = old
    return (row.value, row.numerator, row.denominator) != (value, numerator, denominator) or (
        row.note is not None and row.note != note
    )


def check(data_import: DataImport, progress: Callable[[int], None] | None = None) -> CheckResult:
    """Read the whole file and say what importing it would do, or what is wrong with it. Writes nothing."""
    result = CheckResult()
    measure = data_import.measure
    try:
        headers, rows = open_rows(data_import)
        existing = _existing(measure)
        for row in parse_rows(measure, headers, rows, data_import.mapping, result, progress):
            old = existing.get(row.period)
            if old is None:
                result.new += 1
            elif _differs(row, old):
                result.changed += 1
            else:
                result.unchanged += 1
            if len(result.preview) < PREVIEW_ROWS:
                result.preview.append(
                    {
                        "row": row.row,
                        "period": row.period.isoformat(),
                        "value": row.value,
                        "numerator": row.numerator,
                        "denominator": row.denominator,
                        "note": row.note or "",
                        "action": "new" if old is None else ("change" if _differs(row, old) else "same"),
                    }
                )
    except FileRefused as exc:
        result.add_error(0, "file", exc.messages[0])
    except FileNotFoundError:
        result.add_error(0, "file", GONE)
    if not result.error_count and not result.rows_total:
        result.add_error(0, "file", "The file has column names but no rows of data.")
    return result


# Services ----------------------------------------------------------------------------------------------


def import_upload(*, measure: Measure, uploaded, actor) -> DataImport:
    """Store an uploaded file for checking. Refuses files that are too large or not CSV/XLSX."""
    name = (getattr(uploaded, "name", "") or "upload").rsplit("/", 1)[-1][:200]
    size = uploaded.size
    if size > MAX_BYTES:
        raise FileRefused(
            f"The file is {size / 1_048_576:.1f} MB; the largest file that can be imported is 10 MB."
        )
    if size == 0:
        raise FileRefused("The file is empty.")
    uploaded.seek(0)
    head = uploaded.read(4096)
    file_format = sniff(name, head)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    data_import = DataImport(
        measure=measure,
        created_by=actor,
        original_name=name,
        file_format=file_format,
        size=size,
        sha256=digest.hexdigest(),
    )
    data_import.file.save(data_import.public_id.hex, uploaded, save=False)
    try:
        headers = read_headers(data_import)
    except FileRefused:
        data_import.file.delete(save=False)
        raise
    data_import.headers = headers
    data_import.mapping = guess_mapping(headers)
    data_import.save()
    audit(actor=actor, verb="measure.import_uploaded", obj=measure, file=name, size=size)
    return data_import


def import_check(data_import: DataImport, mapping: dict[str, str] | None = None) -> DataImport:
    """Check the stored file (again, with this column mapping), recording the preview and the problems."""
    if mapping is not None:
        data_import.mapping = {k: v for k, v in mapping.items() if k in FIELDS and v in data_import.headers}
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.CHECKING, rows_checked=0, mapping=data_import.mapping
    )

    def progress(n: int) -> None:
        DataImport.objects.filter(pk=data_import.pk).update(rows_checked=n)

    result = check(data_import, progress)
    data_import.status = ImportStatus.INVALID if result.error_count else ImportStatus.READY
    data_import.rows_total = data_import.rows_checked = result.rows_total
    data_import.rows_new, data_import.rows_changed, data_import.rows_unchanged = (
        result.new,
        result.changed,
        result.unchanged,
    )
    data_import.error_count = result.error_count
    data_import.errors = [e.as_dict() for e in result.errors]
    data_import.preview = result.preview
    data_import.notices = result.notices
    data_import.save()
    return data_import


def _file_unchanged(data_import: DataImport) -> bool:
    digest = hashlib.sha256()
    with data_import.file.storage.open(data_import.file.name, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest() == data_import.sha256


GONE = "The uploaded file is no longer stored (files are removed after a few days). Upload it again."


def claim(data_import: DataImport) -> bool:
    """Move a READY import to IMPORTING, atomically: True for exactly one of several people (or clicks)."""
    claimed = (
        DataImport.objects.filter(pk=data_import.pk, status=ImportStatus.READY).update(
            status=ImportStatus.IMPORTING
        )
        == 1
    )
    if claimed:
        data_import.status = ImportStatus.IMPORTING
    return claimed


def import_commit(*, data_import: DataImport, actor, claimed: bool = False) -> DataImport:
    """Write every row of a checked file in one transaction: all of it, or (on any problem) none of it.

    The import is first claimed (READY -> IMPORTING in one UPDATE), so two requests cannot both write it;
    the task worker gets an import the page has already claimed (``claimed=True``).
    """
    if claimed:
        current = DataImport.objects.filter(pk=data_import.pk).values_list("status", flat=True).first()
        if current != ImportStatus.IMPORTING:
            raise ValidationError("This import is not waiting to be written.")
    elif not claim(data_import):
        raise ValidationError(
            "Only a file that has been checked without problems can be imported, and only once."
        )
    try:
        unchanged = bool(data_import.file) and _file_unchanged(data_import)
    except FileNotFoundError:
        _finish(data_import, ImportStatus.FAILED, notices=[*data_import.notices, GONE])
        raise ValidationError(GONE) from None
    if not unchanged:
        message = "The stored file has changed since it was checked. Upload it again."
        _finish(data_import, ImportStatus.FAILED, notices=[*data_import.notices, message])
        raise ValidationError(message)
    try:
        counts = _write_all(data_import, actor)
    except FileNotFoundError:
        _finish(data_import, ImportStatus.FAILED, notices=[*data_import.notices, GONE])
        raise ValidationError(GONE) from None
    except ValidationError as exc:
        _finish(data_import, ImportStatus.INVALID, notices=[*data_import.notices, *exc.messages])
        raise
    except Exception:
        logger.exception("import %s failed", data_import.public_id)
        _finish(
            data_import,
            ImportStatus.FAILED,
            notices=[*data_import.notices, "The import failed and nothing was written. Try again."],
        )
        raise
    data_import.rows_new, data_import.rows_changed, data_import.rows_unchanged = counts
    _finish(data_import, ImportStatus.DONE)
    return data_import


def _finish(data_import: DataImport, status: str, notices: list[str] | None = None) -> None:
    data_import.status = status
    data_import.finished_at = timezone.now()
    if notices is not None:
        data_import.notices = notices
    if status == ImportStatus.DONE and data_import.file:
        data_import.file.delete(save=False)
    data_import.save()


class _Writer:
    """Inserts and updates in batches with ``executemany``: the ORM's per-field preparation in
    ``bulk_create`` costs more than the database itself on a 100,000-row file. Values are adapted once per
    column with the backend's own adapters, so the SQL is the same on SQLite and PostgreSQL."""

    def __init__(self, data_import: DataImport, actor, now):
        ops = connection.ops
        self.cursor = connection.cursor()
        self.adapt_date = ops.adapt_datefield_value
        self.now = ops.adapt_datetimefield_value(now)
        self.json = DataPointChange._meta.get_field("new")
        self.actor_id = getattr(actor, "pk", None)
        self.measure_id = data_import.measure_id
        self.import_id = data_import.pk
        self.inserts: list[tuple] = []
        self.updates: list[tuple] = []
        self.changes: list[tuple] = []
        qn = ops.quote_name
        point, change = DataPoint._meta.db_table, DataPointChange._meta.db_table
        # Table names come from the models, values go as parameters.
        self.insert_sql = (
            f"INSERT INTO {qn(point)} (measure_id, period, value, numerator, denominator, note, excluded, "  # noqa: S608
            "exclusion_reason, created_at, updated_at, updated_by_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        self.update_sql = (
            f"UPDATE {qn(point)} SET value = %s, numerator = %s, denominator = %s, note = %s, updated_at = %s, "  # noqa: S608
            "updated_by_id = %s WHERE id = %s"
        )
        self.change_sql = (
            f"INSERT INTO {qn(change)} (measure_id, period, action, old, new, changed_by_id, changed_at, source_id) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        )

    def _json(self, value):
        return self.json.get_db_prep_save(value, connection)

    def add(self, row: ParsedRow, old: tuple | None) -> None:
        period = self.adapt_date(row.period)
        record = {"value": row.value, "numerator": row.numerator, "denominator": row.denominator}
        if old is None:
            note = row.note or ""
            self.inserts.append(
                (
                    self.measure_id,
                    period,
                    row.value,
                    row.numerator,
                    row.denominator,
                    note,
                    False,
                    "",
                    self.now,
                    self.now,
                    self.actor_id,
                )
            )
            action, before, after = "created", None, {**record, "note": note}
        else:
            pk, value, numerator, denominator, old_note = old
            note = old_note if row.note is None else row.note
            self.updates.append(
                (row.value, row.numerator, row.denominator, note, self.now, self.actor_id, pk)
            )
            action = "changed"
            before = {"value": value, "numerator": numerator, "denominator": denominator, "note": old_note}
            after = {**record, "note": note}
        self.changes.append(
            (
                self.measure_id,
                period,
                action,
                self._json(before),
                self._json(after),
                self.actor_id,
                self.now,
                self.import_id,
            )
        )
        if len(self.changes) >= BATCH:
            self.flush()

    def flush(self) -> None:
        for sql, rows in (
            (self.insert_sql, self.inserts),
            (self.update_sql, self.updates),
            (self.change_sql, self.changes),
        ):
            if rows:
                _executemany(self.cursor, sql, rows)
                rows.clear()


def _executemany(cursor, sql: str, rows: list[tuple]) -> None:
    cursor.executemany(sql, rows)


@transaction.atomic
def _write_all(data_import: DataImport, actor) -> tuple[int, int, int]:
    measure = Measure.objects.select_for_update().get(pk=data_import.measure_id)
    existing = _existing(measure)
    result = CheckResult()
    headers, rows = open_rows(data_import)
    writer = _Writer(data_import, actor, timezone.now())
    counts = [0, 0, 0]
    for row in parse_rows(measure, headers, rows, data_import.mapping, result):
        old = existing.get(row.period)
        if old is None:
            counts[0] += 1
            writer.add(row, None)
        elif _differs(row, old):
            counts[1] += 1
            writer.add(row, old)
        else:
            counts[2] += 1
    if result.error_count:
        first = result.errors[0]
        raise ValidationError(
            f"The file has {result.error_count} problem{'s' if result.error_count != 1 else ''} now "
            f"(first: row {first.row}, {first.column}: {first.problem}). Nothing was imported."
        )
    writer.flush()
    if counts[0] or counts[1]:
        touch(measure)
    audit(
        actor=actor,
        verb="measure.imported",
        obj=measure,
        file=data_import.original_name,
        new=counts[0],
        changed=counts[1],
        unchanged=counts[2],
    )
    return counts[0], counts[1], counts[2]


def import_cancel(*, data_import: DataImport, actor) -> None:
    now = timezone.now()
    cancelled = (
        DataImport.objects.filter(pk=data_import.pk)
        .exclude(status__in=(ImportStatus.DONE, ImportStatus.IMPORTING))
        .update(status=ImportStatus.CANCELLED, finished_at=now)
    )
    if not cancelled:  # checked in the same UPDATE, so a commit claimed meanwhile is never cancelled
        raise ValidationError("This import has already been written.")
    if data_import.file:
        data_import.file.delete(save=False)
    data_import.status = ImportStatus.CANCELLED
    data_import.finished_at = now
    data_import.save(update_fields=["file", "status", "finished_at"])
    audit(
        actor=actor, verb="measure.import_cancelled", obj=data_import.measure, file=data_import.original_name
    )


def content_file(text: str, name: str) -> ContentFile:
    """A file from text, for tests and the demo loader."""
    return ContentFile(text.encode(), name=name)
