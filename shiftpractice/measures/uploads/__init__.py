"""Bounded reading of uploaded files: every limit is checked while the file is read, before anything is stored.

Measure imports read uploaded tables; ``bounded_uploads`` (from ``core.uploads``, which every view that accepts
files uses) wraps their view. The limits are the ``UPLOAD_LIMITS`` setting, in one place:

- the request itself: ``LimitedUploadHandler`` stops taking a file past ``MAX_BYTES``;
- an XLSX: ``check_xlsx`` reads the zip's directory (member count, declared sizes) and then every member as
  a stream, counting the bytes it really unpacks (a zip bomb stops at ``MAX_UNPACKED_BYTES``), and parses
  the XML parts with expat fed in small chunks: no document type (so no entity expansion), no tag, comment
  or text pending longer than ``MAX_XML_TOKEN_BYTES``, no cell or shared string longer than
  ``MAX_CELL_CHARS``, no value beyond ``MAX_COLUMNS``, no more than ``MAX_ROWS`` rows. Only then does
  openpyxl open the workbook, so what it holds in memory is bounded too;
- a CSV: ``csv_rows`` reads lines of bounded length, refuses a record longer than the longest row allowed
  (an unterminated quote would otherwise swallow the rest of the file into one cell) and an unterminated
  quote at the end of the file (``strict`` csv), and checks every cell, the column names and the columns.

A refusal is a ``FileRefused`` naming the row and column where there is one.
"""

from __future__ import annotations

from collections.abc import Iterator

from shiftpractice.core.uploads import LimitedUploadHandler, bounded_uploads

from .delimited import csv_rows
from .limits import (
    CHUNK,
    EMPTY,
    MB,
    FileRefused,
    Limits,
    cell_text,
    cell_too_long,
    limits,
    megabytes,
    too_many_columns,
    too_many_rows,
)
from .workbook import check_xlsx, xlsx_rows

__all__ = [
    "CHUNK",
    "FileRefused",
    "LimitedUploadHandler",
    "Limits",
    "bounded_uploads",
    "cell_text",
    "check_table",
    "check_xlsx",
    "csv_rows",
    "limits",
    "megabytes",
    "open_table",
    "sniff",
    "too_large_message",
]


# The request: bounded by ``core.uploads`` (shared with every other upload) ------------------------------


def too_large_message(size: int | None = None) -> str:
    limit = megabytes(limits().max_bytes)
    if size is None:
        return f"The file is larger than {limit}, the largest file that can be imported."
    return f"The file is {size / MB:.1f} MB; the largest file that can be imported is {limit}."


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


# Tables: the column names and the rows, bounded ----------------------------------------------------------


def open_table(
    f, file_format: str, lim: Limits | None = None
) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """The column names and an iterator of (row number, cells), every limit checked while reading.

    The caller closes ``f`` (or exhausts or closes the iterator, which closes it)."""
    lim = lim or limits()
    if file_format == "xlsx":
        check_xlsx(f, lim)
        f.seek(0)
        headers, rows = xlsx_rows(f, lim)
    else:
        headers, rows = csv_rows(f, lim)
    return headers, _bounded(rows, lim)


def check_table(f, file_format: str, lim: Limits | None = None) -> list[str]:
    """Read the whole file within the limits (FileRefused at the first problem); its column names.

    A CSV is read to its end; a workbook has been read whole by ``check_xlsx`` (every cell, column and row),
    so openpyxl gives only its column names."""
    headers, rows = open_table(f, file_format, lim)
    try:
        if file_format == "csv":
            for _ in rows:
                pass
        else:
            next(rows, None)  # started, so that closing it closes the workbook and the file
    finally:
        rows.close()
    return headers


def _bounded(rows: Iterator[tuple[int, list]], lim: Limits) -> Iterator[tuple[int, list]]:
    try:
        for count, (number, cells) in enumerate(rows, start=1):
            if count > lim.max_rows:
                raise FileRefused(too_many_rows(lim))
            while cells and cells[-1] in EMPTY:
                cells.pop()  # trailing empty cells are not columns
            if len(cells) > lim.max_columns:
                raise FileRefused(too_many_columns(lim), row=number, column=len(cells))
            for i, cell in enumerate(cells, start=1):
                if isinstance(cell, str) and len(cell) > lim.max_cell_chars:
                    raise FileRefused(cell_too_long(len(cell), lim), row=number, column=i)
            yield number, cells
    finally:
        rows.close()
