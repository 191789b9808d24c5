"""XLSX uploads: the zip and its XML read as bounded streams before openpyxl opens the workbook."""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from xml.parsers import expat

from openpyxl.utils import get_column_letter

from .limits import (
    CHUNK,
    EMPTY,
    FileRefused,
    Limits,
    cell_too_long,
    check_headers,
    limits,
    megabytes,
    too_many_columns,
    too_many_rows,
)


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


class _Budget:
    """Bytes unpacked from the whole zip, counted as they come out of the decompressor."""

    def __init__(self, lim: Limits):
        self.lim, self.used = lim, 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.lim.max_unpacked_bytes:
            raise FileRefused(_unpacks_to_more(self.lim))


def _unpacks_to_more(lim: Limits, declared: int | None = None) -> str:
    said = f" (its parts add up to {megabytes(declared)})" if declared else ""
    return (
        f"The workbook unpacks to more than {megabytes(lim.max_unpacked_bytes)}{said}, more than can be read. "
        "Save the sheet of data on its own as .xlsx or .csv and upload that."
    )


DAMAGED = "The workbook could not be opened: save it again as .xlsx and upload it."
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError)
_ZIP_ERRORS += (RuntimeError, NotImplementedError, KeyError, struct.error)


def _zip_member_count(f) -> int:
    """The number of members the zip's end record declares, read before zipfile loads the whole directory."""
    f.seek(0, io.SEEK_END)
    size = f.tell()
    tail = min(size, 22 + 65535)
    f.seek(size - tail)
    data = f.read(tail)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or len(data) - at < 22:
        raise FileRefused(DAMAGED)
    # 0xFFFF means a zip64 archive: more members than any workbook of data has, refused as such.
    return struct.unpack("<H", data[at + 10 : at + 12])[0]


class _XmlPart:
    """One XML part fed to expat in chunks, with the document type refused and every pending token bounded.

    ``CurrentByteIndex`` after a chunk is where expat's unfinished token starts, so ``fed - index`` is what
    it holds waiting for the token's end (a tag, a comment); text is reported as it arrives and counted by
    the handlers."""

    def __init__(self, name: str, lim: Limits):
        self.name, self.lim = name, lim
        self.fed = 0
        p = expat.ParserCreate(namespace_separator=" ")
        if hasattr(p, "SetReparseDeferralEnabled"):
            p.SetReparseDeferralEnabled(
                False
            )  # keep the pending token what it is, not a buffer kept for speed
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._doctype
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.text
        p.buffer_text = True  # one call per text (up to 8 KB at a time), not one per line of it
        self.parser = p
        self.text_chars = 0

    def _doctype(self, *args):
        raise FileRefused(f"{DAMAGED} (part {self.name} declares a document type, which workbooks do not)")

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            raise FileRefused(f"{DAMAGED} (part {self.name}: {exc})") from exc
        self.fed += len(chunk)
        pending = self.fed - max(self.parser.CurrentByteIndex, 0)
        if not final and pending > self.lim.max_xml_token_bytes:
            raise FileRefused(
                f"{DAMAGED} (part {self.name} has one tag or text longer than "
                f"{megabytes(self.lim.max_xml_token_bytes)})"
            )

    def start(self, name, attrs):
        self.text_chars = 0

    def end(self, name):
        self.text_chars = 0

    def text(self, data):
        self.text_chars += len(data)
        if self.text_chars > self.lim.max_xml_token_bytes:
            raise FileRefused(
                f"{DAMAGED} (part {self.name} has one text longer than "
                f"{megabytes(self.lim.max_xml_token_bytes)})"
            )


class _Relationships(_XmlPart):
    def __init__(self, name, lim):
        super().__init__(name, lim)
        self.rels: dict[str, tuple[str, str]] = {}

    def start(self, name, attrs):
        super().start(name, attrs)
        if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
            self.rels[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))


class _Workbook(_XmlPart):
    def __init__(self, name, lim):
        super().__init__(name, lim)
        self.sheet_ids: list[str] = []

    def start(self, name, attrs):
        super().start(name, attrs)
        if _local(name) == "sheet" and len(self.sheet_ids) < 10_000:
            self.sheet_ids.extend(v for k, v in attrs.items() if _local(k) == "id")


class _SharedStrings(_XmlPart):
    """Shared strings: the indices of those longer than a cell may be (the sheet scan says where they are)."""

    KEEP = 1000

    def __init__(self, name, lim):
        super().__init__(name, lim)
        self.index = -1
        self.chars = 0
        self.oversized: set[int] = set()
        self.more_oversized = False

    def start(self, name, attrs):
        if _local(name) == "si":
            self.index += 1
            self.chars = 0
        super().start(name, attrs)

    def end(self, name):
        if _local(name) == "si" and self.chars > self.lim.max_cell_chars:
            if len(self.oversized) < self.KEEP:
                self.oversized.add(self.index)
            else:
                self.more_oversized = True
        super().end(name)

    def text(self, data):
        self.chars += len(data)  # only counted: a long one is refused by the sheet, naming the cell using it


_LETTERS = re.compile(r"^\$?([A-Za-z]{1,3})")


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


class _Sheet(_XmlPart):
    """The sheet that is imported: each cell's text, the columns with values, the rows, as they stream past.

    The handlers run for each of a large sheet's millions of elements, so they do little: a cell's column
    is worked out from its reference only when it has a value (or to name it in an error)."""

    def __init__(self, name, lim, oversized: set[int]):
        super().__init__(name, lim)
        self.oversized = oversized
        self.tags: dict[str, str] = {}
        self.row = 0
        self.col = 0  # the position of the last cell without a reference
        self.ref = None
        self.in_cell = False
        self.collecting = False
        self.cell_type = ""
        self.cell_chars = 0
        self.has_value = False
        self.index_text = ""
        self.max_row = lim.max_rows + 1
        self.last_letters = get_column_letter(lim.max_columns)

    def _tag(self, name: str) -> str:
        tag = self.tags[name] = _local(name)
        return tag

    def start(self, name, attrs):
        tag = self.tags.get(name) or self._tag(name)
        if tag == "c":
            self.ref = attrs.get("r")
            self.col += 1
            self.in_cell = True
            self.cell_type = attrs.get("t", "")
            self.cell_chars = 0
            self.has_value = False
            self.index_text = ""
        elif tag == "v" or tag == "t" or tag == "f":
            self.collecting = self.in_cell
        elif tag == "row":
            r = attrs.get("r")
            self.row = int(r) if r and r.isdigit() else self.row + 1
            self.col = 0
            if self.row > self.max_row:
                raise FileRefused(too_many_rows(self.lim))

    def end(self, name):
        tag = self.tags[name]
        if tag == "c":
            self.in_cell = self.collecting = False
            if self.has_value or self.cell_type == "s":
                self._cell_done()
        elif tag == "v" or tag == "t" or tag == "f":
            self.collecting = False

    def text(self, data):
        if not self.collecting:
            return
        self.cell_chars += len(data)
        if self.cell_chars > self.lim.max_cell_chars:
            raise FileRefused(cell_too_long(None, self.lim), row=self.row, column=self.column())
        if not self.has_value and not data.isspace():
            self.has_value = True
        if self.cell_type == "s" and len(self.index_text) < 12:
            self.index_text += data.strip()

    def column(self) -> int:
        match = _LETTERS.match(self.ref or "")
        if match:
            self.col = _column_index(match[1])
        return self.col

    def _beyond_columns(self) -> bool:
        if self.ref:
            letters = self.ref.rstrip("0123456789").lstrip("$").rstrip("$").upper()
            return len(letters) > len(self.last_letters) or (
                len(letters) == len(self.last_letters) and letters > self.last_letters
            )
        return self.col > self.lim.max_columns

    def _cell_done(self):
        lim = self.lim
        if self.cell_type == "s" and self.index_text.isdigit() and int(self.index_text) in self.oversized:
            raise FileRefused(cell_too_long(None, lim), row=self.row, column=self.column())
        if not self.has_value:
            return
        if self._beyond_columns():
            raise FileRefused(too_many_columns(lim), row=self.row, column=self.column())
        if self.row == 1 and self.cell_chars > lim.max_header_chars and self.cell_type != "s":
            raise FileRefused(
                f"the column name is {self.cell_chars:,} characters long; a column name can have at most "
                f"{lim.max_header_chars}. Shorten it and upload the file again.",
                row=1,
                column=self.column(),
            )


def _resolve(base_dir: str, target: str) -> str:
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(base_dir, target)
    return posixpath.normpath(path)


def check_xlsx(f, lim: Limits | None = None) -> None:
    """Refuse a workbook that would unpack or parse beyond the limits, reading it as a bounded stream.

    Called before openpyxl sees the file. Members are read through zipfile's streaming reader, which
    decompresses a chunk at a time and stops at each member's declared size; the bytes that come out are
    counted against the declared sizes and the limits as they come."""
    lim = lim or limits()
    try:
        members = _zip_member_count(f)
        if members > lim.max_zip_members:
            raise FileRefused(
                f"The workbook has {members:,} parts; a workbook of data has far fewer (at most "
                f"{lim.max_zip_members:,} can be read). Save the sheet of data on its own and upload that."
            )
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            _check_zip(zf, lim)
    except FileRefused:
        raise
    except _ZIP_ERRORS as exc:
        raise FileRefused(DAMAGED) from exc
    finally:
        f.seek(0)


def _check_zip(zf: zipfile.ZipFile, lim: Limits) -> None:
    infos = zf.infolist()
    if len(infos) > lim.max_zip_members:
        raise FileRefused(DAMAGED)
    declared = sum(i.file_size for i in infos)
    if declared > lim.max_unpacked_bytes:
        raise FileRefused(_unpacks_to_more(lim, declared))
    by_name = {i.filename: i for i in infos}
    budget = _Budget(lim)
    done: set[str] = set()

    def part(name: str, scanner_type: Callable[..., _XmlPart], *extra) -> _XmlPart:
        info = by_name.get(name)
        if info is None:
            raise FileRefused(DAMAGED)
        scanner = scanner_type(name, lim, *extra)
        _pump(zf, info, budget, lim, scanner, big=scanner_type in (_SharedStrings, _Sheet))
        done.add(name)
        return scanner

    # Find the first worksheet and the shared strings as openpyxl will: package -> workbook -> its parts.
    package = part("_rels/.rels", _Relationships)
    office = [t for kind, t in package.rels.values() if kind.endswith("/officeDocument")]
    if not office:
        raise FileRefused(DAMAGED)
    workbook_name = _resolve("", office[0])
    base = posixpath.dirname(workbook_name)
    rels_name = posixpath.join(base, "_rels", posixpath.basename(workbook_name) + ".rels")
    workbook_rels = part(rels_name, _Relationships).rels
    workbook = part(workbook_name, _Workbook)
    sheets = [
        _resolve(base, workbook_rels[i][1])
        for i in workbook.sheet_ids
        if i in workbook_rels and workbook_rels[i][0].endswith("/worksheet")
    ]
    strings = [_resolve(base, t) for kind, t in workbook_rels.values() if kind.endswith("/sharedStrings")]
    if not sheets:
        raise FileRefused("The workbook has no sheet of data.")
    oversized: set[int] = set()
    more_oversized = False
    if strings and strings[0] in by_name:
        shared = part(strings[0], _SharedStrings)
        oversized, more_oversized = shared.oversized, shared.more_oversized
    # Every other member: its real size counted, its XML parsed within the limits.
    for info in infos:
        if info.filename in done or info.filename == sheets[0]:
            continue
        is_xml = info.filename.endswith((".xml", ".rels"))
        scanner = _XmlPart(info.filename, lim) if is_xml else None
        big = "worksheets/" in info.filename  # other sheets are only streamed past by openpyxl
        _pump(zf, info, budget, lim, scanner, big=big)
    part(sheets[0], _Sheet, oversized)
    if oversized or more_oversized:
        raise FileRefused(
            f"The workbook holds a text longer than {lim.max_cell_chars:,} characters on another sheet. "
            "Save the sheet of data on its own and upload that."
        )


def _pump(zf, info, budget: _Budget, lim: Limits, scanner: _XmlPart | None, *, big: bool) -> None:
    """Unpack one member a chunk at a time, counting what comes out; feed its XML to ``scanner``."""
    cap = lim.max_unpacked_bytes if big else lim.max_part_bytes
    if info.file_size > cap:
        raise FileRefused(_part_too_big(info.filename, info.file_size, cap, lim))
    got = 0
    with zf.open(info) as member:
        while chunk := member.read(CHUNK):
            got += len(chunk)
            if got > info.file_size:  # more than it declares: refused however zipfile behaves
                raise FileRefused(f"{DAMAGED} (part {info.filename} unpacks to more than it declares)")
            budget.take(len(chunk))
            if scanner is not None:
                scanner.feed(chunk)
    if scanner is not None:
        scanner.feed(b"", final=True)


def _part_too_big(name: str, size: int, cap: int, lim: Limits) -> str:
    if cap == lim.max_unpacked_bytes:
        return _unpacks_to_more(lim, size)
    return (
        f"The workbook's part {name} unpacks to more than {megabytes(cap)}, more than can be read. "
        "Save the sheet of data on its own as .xlsx or .csv and upload that."
    )


def xlsx_rows(f, lim: Limits) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """Rows of the first sheet through openpyxl (read-only, streamed), after ``check_xlsx`` has passed."""
    from openpyxl import load_workbook

    try:
        # data_only=False so that a formula comes back as its text ("=SUM(...)") and can be refused.
        wb = load_workbook(f, read_only=True, data_only=False)
    except (*_ZIP_ERRORS, TypeError) as exc:
        f.close()
        raise FileRefused(DAMAGED) from exc
    ws = wb.worksheets[0]
    # Never wider than the limit (a row padded to a declared XFD column would be 16,384 cells), and the
    # declared last row is not trusted: rows come as the sheet has them.
    width = min(ws.max_column or lim.max_columns + 1, lim.max_columns + 1)
    ws.reset_dimensions()
    it = ws.iter_rows(values_only=True, max_col=width)
    headers = next(it, None)
    if not headers or not any(h not in EMPTY for h in headers):
        wb.close()
        f.close()
        raise FileRefused(
            "The first sheet is empty: it needs a row of column names and then one row per period."
        )
    try:
        texts = check_headers(list(headers), lim)
    except FileRefused:
        wb.close()
        f.close()
        raise

    def rows():
        try:
            for number, cells in enumerate(it, start=2):
                yield number, list(cells)
        finally:
            wb.close()
            f.close()

    return texts, rows()
