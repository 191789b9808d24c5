"""CSV uploads read as a bounded stream: lines of bounded length, records of bounded size, strict quoting."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .limits import FileRefused, Limits, cell_too_long, check_headers


class _RecordTooLong(Exception):
    pass


class _Lines:
    """The lines csv.reader reads: each line read with a bounded ``readline``, each record bounded in total."""

    def __init__(self, text, max_chars: int):
        self.text, self.max_chars = text, max_chars
        self.record_chars = 0
        self.record_lines = 0
        self.last = ""

    def new_record(self) -> None:
        self.record_chars = self.record_lines = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.max_chars - self.record_chars + 1)
        if not line:
            raise StopIteration
        self.record_chars += len(line)
        self.record_lines += 1
        self.last = line
        if self.record_chars > self.max_chars:
            raise _RecordTooLong
        return line


def csv_rows(f, lim: Limits) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """Column names and (row number, cells) of a UTF-8 CSV, streamed, every line and record bounded."""
    text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
    lines = _Lines(text, lim.max_record_chars)
    reader = csv.reader(lines, strict=True)

    def records():
        number = 0
        try:
            while True:
                number += 1
                first_line = reader.line_num + 1
                lines.new_record()
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError as exc:
                    raise FileRefused(
                        "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”."
                    ) from exc
                except csv.Error as exc:
                    raise _csv_refusal(exc, number, first_line) from exc
                except _RecordTooLong:
                    raise _too_long_record(lines, number, first_line, lim) from None
                for i, cell in enumerate(cells, start=1):
                    if len(cell) > lim.max_cell_chars:
                        raise FileRefused(cell_too_long(len(cell), lim), row=number, column=i)
                yield number, cells
        finally:
            f.close()

    rows = records()
    try:
        first = next(rows, None)
    except FileRefused:
        rows.close()
        raise
    if not first:
        rows.close()
        raise FileRefused("The file is empty: it needs a row of column names and then one row per period.")
    try:
        headers = check_headers(first[1], lim)
    except FileRefused:
        rows.close()
        raise
    return headers, rows


def _line_note(number: int, first_line: int) -> str:
    return "" if number == first_line else f" (it starts on line {first_line:,} of the file)"


def _csv_refusal(exc: csv.Error, number: int, first_line: int) -> FileRefused:
    message = str(exc)
    if "unexpected end of data" in message:
        return FileRefused(
            'a quote mark (") opens a cell that is never closed, so the rest of the file would be read as '
            f"one cell{_line_note(number, first_line)}. Add the closing quote mark, or remove the opening one, "
            "and upload the file again.",
            row=number,
        )
    if "expected after" in message:
        return FileRefused(
            'a quote mark (") closes a cell in the middle. Put the whole cell in quote marks and write a '
            'quote mark inside it as two ("").',
            row=number,
        )
    if "NUL" in message or "null byte" in message:
        return FileRefused("the row holds a null character: the file is not plain text.", row=number)
    return FileRefused(f"the row could not be read as CSV ({message}).", row=number)


def _too_long_record(lines: _Lines, number: int, first_line: int, lim: Limits) -> FileRefused:
    if lines.record_lines > 1:
        return FileRefused(
            'a quote mark (") opens a cell that is not closed within '
            f"{lim.max_record_chars:,} characters{_line_note(number, first_line)}, so the rest of the file "
            "would be read as one cell. Add the closing quote mark, or remove the opening one, and upload "
            "the file again.",
            row=number,
        )
    # One line longer than any row can be: say which cell, from the part that was read.
    cells = next(csv.reader([lines.last]), [])
    for i, cell in enumerate(cells, start=1):
        if len(cell) > lim.max_cell_chars:
            return FileRefused(cell_too_long(None, lim), row=number, column=i)
    return FileRefused(
        f"the row is longer than {lim.max_record_chars:,} characters, the longest that can be read.",
        row=number,
    )
