"""CSV and XLSX imports: streamed, checked row by row, previewed, then written all at once or not at all.

The file is read within the upload limits (``uploads``) before it is stored, and read as a bounded stream
each time after (``csv`` over the text, openpyxl in read-only mode), so a 100,000-row file never sits in
memory as rows. ``check`` finds every problem (the first ``MAX_ERRORS`` are kept, with the row number, the
column and what is wrong) and counts the new, changed and unchanged periods; nothing is written until the
person confirms, and ``commit`` then writes every row in one transaction, in batches, after checking the
file again.

Checking and writing are claimed with a lease (``lease_token``, ``lease_expires``): only the holder of the
current token may record a result, the check renews its lease as it goes, and a claim whose lease has run
out (a worker that died) is picked up again or given back to the person (``recover``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from shiftpractice.core.audit import audit

from .choices import ImportStatus
from .models import DataImport, DataPoint, DataPointChange, Measure
from .periods import PERIOD_NAMES, normalise_period, period_problem
from .services import check_values, touch
from .uploads import CHUNK, FileRefused, cell_text, check_table, limits, open_table, sniff, too_large_message

logger = logging.getLogger(__name__)

# The limits on the file itself (size, unpacked size, cells, columns, rows) are settings.UPLOAD_LIMITS.
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


def open_rows(data_import: DataImport) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """The header row and an iterator of (row number, cells) for the stored file, streamed within the
    upload limits (``uploads.open_table``). A stored file that has gone (``prune_imports``) raises
    FileNotFoundError."""
    # Through the storage, not the FieldFile (which reopens a cached handle): a missing file is then
    # always FileNotFoundError.
    f = data_import.file.storage.open(data_import.file.name, "rb")
    try:
        return open_table(f, data_import.file_format)
    except BaseException:
        f.close()
        raise


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
        return None, f"a date ({cell_text(v)}) is in a number column"
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


def parse_date(v, fmt_seen: list[str]) -> tuple[date | None, str]:
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
        period, problem = parse_date(cell("period"), fmt_seen)
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
            note = cell_text(cell("note")).strip()
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


def existing_points(measure: Measure) -> dict[date, tuple]:
    """The measure's saved points by period: (id, value, numerator, denominator, note); the import and paste
    compare rows with them."""
    return {
        row[0]: row[1:]
        for row in DataPoint.objects.filter(measure=measure).values_list(
            "period", "id", "value", "numerator", "denominator", "note"
        )
    }


def differs(row: ParsedRow, old: tuple) -> bool:
    """Whether saving this row would change the saved point (a blank note keeps the saved one)."""
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
        existing = existing_points(measure)
        for row in parse_rows(measure, headers, rows, data_import.mapping, result, progress):
            old = existing.get(row.period)
            if old is None:
                result.new += 1
            elif differs(row, old):
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
                        "action": "new" if old is None else ("change" if differs(row, old) else "same"),
                    }
                )
    except FileRefused as exc:
        result.add_error(exc.row or 0, exc.column_name, exc.problem)
    except FileNotFoundError:
        result.add_error(0, "file", GONE)
    if not result.error_count and not result.rows_total:
        result.add_error(0, "file", "The file has column names but no rows of data.")
    return result


# Services ----------------------------------------------------------------------------------------------

GONE = "The uploaded file is no longer stored (files are removed after a few days). Upload it again."
WRITE_INTERRUPTED = (
    "Importing stopped before it finished (the background work was interrupted) and nothing was written. "
    "Import the file again, or cancel."
)
CHECK_GAVE_UP = (
    "Checking the file stopped before it finished, {n} times (the background work was interrupted). "
    "Nothing was imported: upload the file again, and ask the programme team if it happens again."
)
TAKEN_OVER = "This import was given back or cancelled while it was being written: this attempt wrote nothing."
CANCEL_REFUSED = {
    ImportStatus.DONE: "This import has already been written, so it cannot be cancelled. To undo it, change or "
    "delete the periods in the data table.",
    ImportStatus.IMPORTING: "This file is being imported now and cannot be stopped part way: it will be imported "
    "whole or, if anything goes wrong, not at all. Refresh the page in a minute to see which.",
    ImportStatus.CANCELLED: "This import was already cancelled: nothing was imported.",
}


class _ClaimLost(Exception):
    """The lease on this work was given to someone else (or the import was cancelled): stop, record nothing."""


def _lease_until(now):
    return now + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)


def _lease_fields(token, now, attempts=1) -> dict:
    return {"lease_token": token, "claimed_at": now, "lease_expires": _lease_until(now), "attempts": attempts}


def _released() -> dict:
    return {"lease_token": None, "lease_expires": None}


def _apply(data_import: DataImport, fields: dict) -> None:
    for name, value in fields.items():
        setattr(data_import, name, value)


def _stale_q(now) -> Q:
    return Q(lease_expires__lte=now) | Q(lease_expires__isnull=True)


def _noticed(notices: list[str], notice: str) -> list[str]:
    return notices if notices and notices[-1] == notice else [*notices, notice]


class _Borrowed(io.RawIOBase):
    """The uploaded file as a stream the readers may close without closing the upload itself."""

    def __init__(self, f):
        self.f = f

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.f.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.f.seek(offset, whence)

    def tell(self) -> int:
        return self.f.tell()


def import_upload(*, measure: Measure, uploaded, actor) -> DataImport:
    """Read an uploaded file within the upload limits, then store it for checking.

    Refuses (FileRefused, naming the row and column where there is one) a file that is too large, not
    CSV/XLSX, or breaks any limit of ``settings.UPLOAD_LIMITS``: nothing is stored for a refused file."""
    lim = limits()
    name = (getattr(uploaded, "name", "") or "upload").rsplit("/", 1)[-1][:200]
    size = uploaded.size
    if size > lim.max_bytes:
        raise FileRefused(too_large_message(size))
    if size == 0:
        raise FileRefused("The file is empty.")
    uploaded.seek(0)
    file_format = sniff(name, uploaded.read(4096))
    uploaded.seek(0)
    headers = check_table(io.BufferedReader(_Borrowed(uploaded), CHUNK), file_format, lim)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    now = timezone.now()
    data_import = DataImport(
        measure=measure,
        created_by=actor,
        original_name=name,
        file_format=file_format,
        size=size,
        sha256=digest.hexdigest(),
        headers=headers,
        mapping=guess_mapping(headers),
        status=ImportStatus.CHECKING,
        **_lease_fields(uuid.uuid4(), now),
    )
    data_import.file.save(data_import.public_id.hex, uploaded, save=False)
    data_import.save()
    audit(actor=actor, verb="measure.import_uploaded", obj=measure, file=name, size=size)
    return data_import


def claim_check(data_import: DataImport, mapping: dict[str, str] | None = None) -> uuid.UUID:
    """Claim a (new) check of the file, with this column mapping: a lease the check renews as it goes.

    A newer claim replaces an older one, whose check then stops and records nothing."""
    if mapping is not None:
        data_import.mapping = {k: v for k, v in mapping.items() if k in FIELDS and v in data_import.headers}
    fields = {"status": ImportStatus.CHECKING, "rows_checked": 0, "mapping": data_import.mapping}
    fields |= _lease_fields(uuid.uuid4(), timezone.now())
    checkable = (ImportStatus.CHECKING, ImportStatus.READY, ImportStatus.INVALID)
    if not DataImport.objects.filter(pk=data_import.pk, status__in=checkable).update(**fields):
        raise ValidationError(
            "This file is being imported, has been imported or was cancelled: it cannot be checked."
        )
    _apply(data_import, fields)
    return fields["lease_token"]


def import_check(
    data_import: DataImport, mapping: dict[str, str] | None = None, *, token: uuid.UUID | None = None
) -> DataImport:
    """Check the stored file (again, with this column mapping), recording the preview and the problems.

    With ``token`` (the task worker) the claim made by ``claim_check`` is used; without, a new one is made."""
    if token is None:
        token = claim_check(data_import, mapping)
    data_import.lease_token = token
    claimed = DataImport.objects.filter(pk=data_import.pk, status=ImportStatus.CHECKING, lease_token=token)

    def progress(n: int) -> None:
        # The heartbeat: renews the lease, and stops the check if the claim has gone to someone else.
        if not claimed.update(rows_checked=n, lease_expires=_lease_until(timezone.now())):
            raise _ClaimLost

    try:
        result = check(data_import, progress)
    except _ClaimLost:
        data_import.refresh_from_db()
        return data_import
    fields = {
        "status": ImportStatus.INVALID if result.error_count else ImportStatus.READY,
        "rows_total": result.rows_total,
        "rows_checked": result.rows_total,
        "rows_new": result.new,
        "rows_changed": result.changed,
        "rows_unchanged": result.unchanged,
        "error_count": result.error_count,
        "errors": [e.as_dict() for e in result.errors],
        "preview": result.preview,
        "notices": result.notices,
        **_released(),
    }
    if claimed.update(**fields):
        _apply(data_import, fields)
    else:
        data_import.refresh_from_db()  # cancelled, or checked again meanwhile: that result stands
    return data_import


def _file_unchanged(data_import: DataImport) -> bool:
    digest = hashlib.sha256()
    with data_import.file.storage.open(data_import.file.name, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest() == data_import.sha256


def claim(data_import: DataImport) -> bool:
    """Move a READY import to IMPORTING with a lease, atomically: True for exactly one of several people
    (or clicks). The token on ``data_import`` is then the one that may write it."""
    fields = {"status": ImportStatus.IMPORTING, **_lease_fields(uuid.uuid4(), timezone.now())}
    claimed = DataImport.objects.filter(pk=data_import.pk, status=ImportStatus.READY).update(**fields) == 1
    if claimed:
        _apply(data_import, fields)
    return claimed


def import_commit(*, data_import: DataImport, actor, claimed: bool = False) -> DataImport:
    """Write every row of a checked file in one transaction: all of it, or (on any problem) none of it.

    The import is first claimed (READY -> IMPORTING in one UPDATE, with a lease token), so two requests
    cannot both write it; the task worker gets an import the page has already claimed (``claimed=True``,
    with the token on ``data_import``). The rows and the import's DONE are written in one transaction,
    and only while the token is still the import's: an attempt whose claim was given back (its lease ran
    out) or cancelled meanwhile rolls back, so nothing is ever written twice.
    """
    if claimed:
        token = data_import.lease_token
        mine = DataImport.objects.filter(pk=data_import.pk, status=ImportStatus.IMPORTING, lease_token=token)
        if token is None or not mine.exists():
            raise ValidationError("This import is not waiting to be written.")
    elif not claim(data_import):
        raise ValidationError(
            "Only a file that has been checked without problems can be imported, and only once."
        )
    token = data_import.lease_token
    try:
        unchanged = bool(data_import.file) and _file_unchanged(data_import)
    except FileNotFoundError:
        _finish(data_import, token, ImportStatus.FAILED, notices=[*data_import.notices, GONE])
        raise ValidationError(GONE) from None
    if not unchanged:
        message = "The stored file has changed since it was checked. Upload it again."
        _finish(data_import, token, ImportStatus.FAILED, notices=[*data_import.notices, message])
        raise ValidationError(message)
    # The heartbeat before the write; the write itself is one transaction, and while it runs the measure
    # is locked, which ``recover`` respects, so a slow write is never taken over.
    renewed = DataImport.objects.filter(pk=data_import.pk, status=ImportStatus.IMPORTING, lease_token=token)
    if not renewed.update(lease_expires=_lease_until(timezone.now())):
        raise ValidationError(TAKEN_OVER)
    try:
        counts = _write_all(data_import, actor, token)
    except _ClaimLost:
        raise ValidationError(TAKEN_OVER) from None
    except FileNotFoundError:
        _finish(data_import, token, ImportStatus.FAILED, notices=[*data_import.notices, GONE])
        raise ValidationError(GONE) from None
    except ValidationError as exc:
        _finish(data_import, token, ImportStatus.INVALID, notices=[*data_import.notices, *exc.messages])
        raise
    except Exception:
        logger.exception("import %s failed", data_import.public_id)
        _finish(
            data_import,
            token,
            ImportStatus.FAILED,
            notices=[*data_import.notices, "The import failed and nothing was written. Try again."],
        )
        raise
    data_import.rows_new, data_import.rows_changed, data_import.rows_unchanged = counts
    data_import.status = ImportStatus.DONE
    _apply(data_import, _released())
    if data_import.file:
        data_import.file.delete(save=False)
        DataImport.objects.filter(pk=data_import.pk).update(file="")
    return data_import


def _finish(data_import: DataImport, token, status: str, notices: list[str] | None = None) -> bool:
    """Record how an attempt ended, if it still holds the claim."""
    fields = {"status": status, "finished_at": timezone.now(), **_released()}
    if notices is not None:
        fields["notices"] = notices
    mine = DataImport.objects.filter(pk=data_import.pk, status=ImportStatus.IMPORTING, lease_token=token)
    if mine.update(**fields):
        _apply(data_import, fields)
        return True
    data_import.refresh_from_db()
    return False


def recover(data_import: DataImport, *, now=None) -> bool:
    """Deal with a claim whose lease has run out (its worker died, or the process was stopped).

    A check is picked up again by the next worker (at most ``IMPORT_MAX_ATTEMPTS`` tries, then it fails
    with a message). A write is given back to the person (READY, with a notice that nothing was written),
    never re-run behind their back; a write still in progress holds the measure's lock and is left alone.
    Nothing was written by the dead attempt, since its rows and its DONE are one transaction. True when
    something changed."""
    now = now or timezone.now()
    if not data_import.in_progress or (data_import.lease_expires and data_import.lease_expires > now):
        return False
    stale = DataImport.objects.filter(
        _stale_q(now), pk=data_import.pk, status=data_import.status, lease_token=data_import.lease_token
    )
    if data_import.status == ImportStatus.IMPORTING:
        fields = {
            "status": ImportStatus.READY,
            "notices": _noticed(data_import.notices, WRITE_INTERRUPTED),
            "claimed_at": None,
            **_released(),
        }
        try:
            with transaction.atomic():
                if connection.features.has_select_for_update_nowait:
                    list(Measure.objects.select_for_update(nowait=True).filter(pk=data_import.measure_id))
                changed = stale.update(**fields)
        except DatabaseError:  # the measure is locked: a write is still going on (SQLite: the database is)
            return False
    elif data_import.attempts < settings.IMPORT_MAX_ATTEMPTS:
        token = uuid.uuid4()
        fields = {**_lease_fields(token, now, attempts=data_import.attempts + 1), "rows_checked": 0}
        changed = stale.update(**{**fields, "attempts": F("attempts") + 1})
        if changed:
            from . import tasks

            pk = data_import.pk
            transaction.on_commit(lambda: tasks.check_import.enqueue(import_id=pk, token=str(token)))
    else:
        notice = CHECK_GAVE_UP.format(n=data_import.attempts)
        fields = {
            "status": ImportStatus.FAILED,
            "finished_at": now,
            "notices": _noticed(data_import.notices, notice),
        }
        fields |= _released()
        changed = stale.update(**fields)
    if not changed:
        return False
    _apply(data_import, fields)
    logger.warning("import %s: a stale claim was %s", data_import.public_id, data_import.status)
    return True


def recover_stale_imports(now=None) -> int:
    """``recover`` every import whose claim has run out; how many changed (``prune_imports`` runs it)."""
    now = now or timezone.now()
    stale = DataImport.objects.filter(
        _stale_q(now), status__in=(ImportStatus.CHECKING, ImportStatus.IMPORTING)
    )
    return sum(recover(data_import, now=now) for data_import in stale.iterator(chunk_size=200))


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
def _write_all(data_import: DataImport, actor, token) -> tuple[int, int, int]:
    measure = Measure.objects.select_for_update().get(pk=data_import.measure_id)
    existing = existing_points(measure)
    result = CheckResult()
    headers, rows = open_rows(data_import)
    writer = _Writer(data_import, actor, timezone.now())
    counts = [0, 0, 0]
    for row in parse_rows(measure, headers, rows, data_import.mapping, result):
        old = existing.get(row.period)
        if old is None:
            counts[0] += 1
            writer.add(row, None)
        elif differs(row, old):
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
    # DONE in the same transaction as the rows, and only while this attempt holds the claim.
    done = DataImport.objects.filter(
        pk=data_import.pk, status=ImportStatus.IMPORTING, lease_token=token
    ).update(
        status=ImportStatus.DONE,
        finished_at=timezone.now(),
        rows_new=counts[0],
        rows_changed=counts[1],
        rows_unchanged=counts[2],
        **_released(),
    )
    if not done:
        raise _ClaimLost
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


def import_cancel(*, data_import: DataImport, actor, now=None) -> None:
    """Cancel an import that is not written: checked, checking (the check stops), failed, or a write whose
    lease has run out. A write in progress cannot be stopped part way, and a written one cannot be
    cancelled: the message says which."""
    now = now or timezone.now()
    cancellable = Q(
        status__in=(ImportStatus.CHECKING, ImportStatus.READY, ImportStatus.INVALID, ImportStatus.FAILED)
    ) | (Q(status=ImportStatus.IMPORTING) & _stale_q(now))
    # Checked in the same UPDATE, so a write claimed meanwhile is never cancelled under it.
    fields = {"status": ImportStatus.CANCELLED, "finished_at": now, **_released()}
    if not DataImport.objects.filter(cancellable, pk=data_import.pk).update(**fields):
        current = DataImport.objects.filter(pk=data_import.pk).values_list("status", flat=True).first()
        raise ValidationError(CANCEL_REFUSED.get(current, CANCEL_REFUSED[ImportStatus.IMPORTING]))
    if data_import.file:
        data_import.file.delete(save=False)
    _apply(data_import, fields)
    DataImport.objects.filter(pk=data_import.pk).update(file="")
    audit(
        actor=actor, verb="measure.import_cancelled", obj=data_import.measure, file=data_import.original_name
    )


def content_file(text: str, name: str) -> ContentFile:
    """A file from text, for tests and the demo loader."""
    return ContentFile(text.encode(), name=name)
