"""The upload limits (``settings.UPLOAD_LIMITS``), the refusal that names where a file breaks one, and the
checks every reader shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl.utils import get_column_letter

CHUNK = 64 * 1024
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked_bytes: int
    max_part_bytes: int
    max_zip_members: int
    max_xml_token_bytes: int
    max_cell_chars: int
    max_header_chars: int
    max_columns: int
    max_rows: int

    @property
    def max_record_chars(self) -> int:
        """The longest CSV row that can hold ``max_columns`` cells of ``max_cell_chars`` (quoted)."""
        return self.max_columns * (self.max_cell_chars + 3) + 2


def limits() -> Limits:
    return Limits(**{key.lower(): value for key, value in settings.UPLOAD_LIMITS.items()})


def megabytes(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"


class FileRefused(ValidationError):
    """The file cannot be read within the limits, or at all; ``row`` and ``column`` say where, when known."""

    def __init__(self, message: str, *, row: int | None = None, column: int | None = None):
        self.row, self.column = row, column
        self.problem = message  # without the row and column, for a table of problems that has them
        where = ""
        if row is not None and column is not None:
            where = f"Row {row:,}, column {get_column_letter(column)}: "
        elif row is not None:
            where = f"Row {row:,}: "
        super().__init__(where + message)

    @property
    def column_name(self) -> str:
        if self.column:
            return f"column {get_column_letter(self.column)}"
        return "" if self.row else "file"


def check_headers(headers: list, lim: Limits) -> list[str]:
    texts = [cell_text(h).strip() for h in headers]
    while texts and not texts[-1]:
        texts.pop()  # a spreadsheet's trailing empty columns are not columns
    if len(texts) > lim.max_columns:
        raise FileRefused(
            f"The file has {len(texts)} columns; at most {lim.max_columns} can be read. Keep the period, the "
            "values and the note, and delete the other columns."
        )
    for i, text in enumerate(texts, start=1):
        if len(text) > lim.max_header_chars:
            raise FileRefused(
                f"the column name is {len(text):,} characters long; a column name can have at most "
                f"{lim.max_header_chars}. Shorten it and upload the file again.",
                row=1,
                column=i,
            )
    return texts


EMPTY = (None, "")


def too_many_rows(lim: Limits) -> str:
    return (
        f"The file has more than {lim.max_rows:,} rows; at most {lim.max_rows:,} can be imported at once. "
        "Split it into smaller files."
    )


def too_many_columns(lim: Limits) -> str:
    return f"there is a value beyond the first {lim.max_columns} columns, the most that can be read."


def cell_too_long(length: int | None, lim: Limits) -> str:
    if length is None:  # the reading stopped at the limit, so the cell's length is not known
        return (
            f"this cell holds more than {lim.max_cell_chars:,} characters, the most a cell can hold here. "
            "Shorten it and upload the file again."
        )
    return (
        f"this cell holds {length:,} characters; a cell can hold at most {lim.max_cell_chars:,} here. Shorten "
        "it and upload the file again."
    )


def cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
