"""Bounded uploads: zip bombs, oversized cells, too many columns and broken quotes are refused before anything
is stored, naming the row and column; no generated upload makes the process read past the limits."""

import csv
import io
import tracemalloc
import zipfile
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import client_for
from shiftpractice.measures import imports, uploads
from shiftpractice.measures.models import DataImport, DataPoint

from .conftest import make_measure

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _parts(shared: bool) -> dict[str, bytes]:
    overrides = [
        f'<Override PartName="/xl/workbook.xml" ContentType="{SML}.sheet.main+xml"/>',
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SML}.worksheet+xml"/>',
    ]
    rels = [f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>']
    if shared:
        overrides.append(
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SML}.sharedStrings+xml"/>'
        )
        rels.append(f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
    return {
        "[Content_Types].xml": (
            f'<?xml version="1.0"?><Types xmlns="{CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>"
        ).encode(),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}">' + "".join(rels) + "</Relationships>"
        ).encode(),
    }


def _cell(ref: str, value) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, tuple):  # ("s", index): a shared string
        return f'<c r="{ref}" t="s"><v>{value[1]}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: list[list], start_row: int = 1) -> bytes:
    from openpyxl.utils import get_column_letter

    body = "".join(
        f'<row r="{r}">'
        + "".join(
            _cell(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(cells, start=1) if v is not None
        )
        + "</row>"
        for r, cells in enumerate(rows, start=start_row)
    )
    return (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'.encode()
    )


def xlsx(sheet: bytes, shared: list[str] | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A workbook built part by part, so that each part can be made as hostile as a test needs."""
    parts = _parts(shared is not None)
    parts["xl/worksheets/sheet1.xml"] = sheet
    if shared is not None:
        items = "".join(f"<si><t>{s}</t></si>" for s in shared)
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst xmlns="{MAIN}">{items}</sst>'.encode()
    parts |= extra or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def bomb(unpacked: int) -> bytes:
    """The reported file: a small workbook whose first cell (a shared string) unpacks to ``unpacked`` bytes.

    Written through zipfile's streaming writer a megabyte at a time, so the test never holds it whole."""
    parts = _parts(shared=True)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml([[("s", 0), "value"], ["2021-01-01", 1]])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        with zf.open("xl/sharedStrings.xml", "w") as member:
            member.write(f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>'.encode())
            block = b"A" * (1 << 20)
            for _ in range(unpacked // len(block)):
                member.write(block)
            member.write(b"</t></si></sst>")
    return out.getvalue()


class Pulled:
    """Counts the bytes that come out of every zip member's decompressor, and the largest single member read."""

    def __init__(self):
        self.total = 0

    @contextmanager
    def counting(self, monkeypatch):
        real = zipfile.ZipExtFile.read

        def read(member, n=-1):
            data = real(member, n)
            self.total += len(data)
            return data

        with monkeypatch.context() as m:
            m.setattr(zipfile.ZipExtFile, "read", read)
            yield self


def _upload_service(project, measure, name, content):
    return imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile(name, content), actor=project.owner
    )


def _nothing_stored(settings, measure, points_before=0):
    assert not DataImport.objects.exists()
    assert DataPoint.objects.filter(measure=measure).count() == points_before
    stored = settings.MEDIA_ROOT / "measure-imports"
    assert not stored.exists() or not any(stored.iterdir())


def _post(client, measure, name, content):
    return client.post(
        reverse("measures:upload", args=[measure.public_id]), {"file": SimpleUploadedFile(name, content)}
    )


def test_the_reported_zip_bomb_is_refused_without_unpacking_it(client, project, settings, monkeypatch):
    """A 300 MB first cell in a file of a few hundred KB: refused from the zip's directory, nothing unpacked."""
    content = bomb(300 * 1024 * 1024)
    assert len(content) < 1024 * 1024
    measure = make_measure(project, values=[1])
    client_for(client, project.owner)
    # Templates compiled and modules loaded first, so that the peak below is the upload's own.
    _post(client, measure, "warm.xlsx", xlsx(sheet_xml([["period", "value" * 30]])))
    pulled = Pulled()
    tracemalloc.start()
    try:
        with pulled.counting(monkeypatch):
            response = _post(client, measure, "bomb.xlsx", content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "The workbook unpacks to more than 100 MB (its parts add up to 300 MB)" in body
    assert pulled.total == 0
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    _nothing_stored(settings, measure, points_before=1)


def test_a_bomb_that_lies_about_its_size_is_stopped_at_the_limit(project, settings, monkeypatch):
    """Declared sizes small, real contents large: what comes out of the decompressor is counted."""
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_UNPACKED_BYTES": 2 * 1024 * 1024}
    big = sheet_xml([["period", "value"], *(["2021-01-01", 1] for _ in range(2))])
    honest = xlsx(big, extra={f"xl/media/pad{i}.bin": b"\0" * (900 * 1024) for i in range(4)})
    measure = make_measure(project, values=[])
    pulled = Pulled()
    with pulled.counting(monkeypatch), pytest.raises(uploads.FileRefused, match="unpacks to more than 2 MB"):
        _upload_service(project, measure, "pad.xlsx", honest)
    assert pulled.total == 0  # the declared sizes already add up to more
    # Now the same parts, each declaring 1 KB: zipfile stops at the declared size, and the check of the
    # member's real contents (its CRC) fails, so it is refused as damaged, having unpacked 1 KB a part.
    lying = _shrink_declared_sizes(honest, "xl/media/", 1024)
    pulled = Pulled()
    with pulled.counting(monkeypatch), pytest.raises(uploads.FileRefused, match="could not be opened"):
        _upload_service(project, measure, "pad.xlsx", lying)
    assert pulled.total < 64 * 1024
    _nothing_stored(settings, measure)


def _shrink_declared_sizes(data: bytes, prefix: str, size: int) -> bytes:
    """Rewrite the uncompressed size that the local and central headers declare for members under prefix."""
    buf = bytearray(data)
    declared = size.to_bytes(4, "little")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = {i.filename for i in zf.infolist() if i.filename.startswith(prefix)}
        for info in zf.infolist():
            if info.filename in names:
                buf[info.header_offset + 22 : info.header_offset + 26] = declared  # local header
    at = buf.find(b"PK\x01\x02")
    while at >= 0:  # central directory records
        name_len = int.from_bytes(buf[at + 28 : at + 30], "little")
        if bytes(buf[at + 46 : at + 46 + name_len]).decode() in names:
            buf[at + 24 : at + 28] = declared
        at = buf.find(b"PK\x01\x02", at + 46)
    return bytes(buf)


def test_parts_that_add_up_past_the_limit_are_refused_each_within_its_own(project, settings, monkeypatch):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_UNPACKED_BYTES": 1024 * 1024}
    measure = make_measure(project, values=[])
    sheet = sheet_xml([["period", "value"], ["2021-01-01", 1]])
    content = xlsx(sheet, extra={f"xl/media/pad{i}.bin": b"\0" * (300 * 1024) for i in range(4)})
    pulled = Pulled()
    with pulled.counting(monkeypatch), pytest.raises(uploads.FileRefused, match="unpacks to more than 1 MB"):
        _upload_service(project, measure, "pad.xlsx", content)
    assert pulled.total == 0
    # Within the limit, the same kind of workbook is read.
    content = xlsx(sheet, extra={f"xl/media/pad{i}.bin": b"\0" * (300 * 1024) for i in range(3)})
    assert _upload_service(project, measure, "pad.xlsx", content).headers == ["period", "value"]


def test_what_comes_out_of_a_member_is_counted_whatever_zipfile_does(project, settings, monkeypatch):
    """If zipfile ever gave more than a member declares, the count of what comes out still stops it."""
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_UNPACKED_BYTES": 1024 * 1024}
    measure = make_measure(project, values=[])
    sheet = sheet_xml([["period", "value"], ["2021-01-01", 1]])
    content = xlsx(sheet, extra={"xl/media/pad.bin": b"\0" * (600 * 1024)})
    real = zipfile.ZipExtFile.read

    def generous(member, n=-1):
        data = real(member, n)
        return data + data if member.name.startswith("xl/media/") else data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", generous)
    with pytest.raises(uploads.FileRefused, match=r"pad\.bin unpacks to more than it declares"):
        _upload_service(project, measure, "pad.xlsx", content)
    assert not DataImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "an oversized cell in the sheet",
            lambda: xlsx(
                sheet_xml(
                    [["period", "value", "note"], ["2021-01-01", 1, "ok"], ["2021-02-01", 2, "n" * 5000]]
                )
            ),
            "Row 3, column C: this cell holds more than 1,000 characters, the most a cell can hold here.",
        ),
        (
            "an oversized shared string",
            lambda: xlsx(
                sheet_xml([["period", "value"], ["2021-01-01", 1], ["2021-02-01", ("s", 1)]]),
                shared=["unused", "9" * 50_000],
            ),
            "Row 3, column B: this cell holds more than 1,000 characters",
        ),
        (
            "a value beyond the last column",
            lambda: xlsx(sheet_xml([["period", "value"], ["2021-01-01", 1, *([None] * 49), "far"]])),
            "Row 2, column AZ: there is a value beyond the first 50 columns, the most that can be read.",
        ),
        (
            "a column name that is too long",
            lambda: xlsx(sheet_xml([["period", "v" * 150], ["2021-01-01", 1]])),
            "Row 1, column B: the column name is 150 characters long; a column name can have at most 100.",
        ),
        (
            "a shared column name that is too long",
            lambda: xlsx(sheet_xml([[("s", 0), ("s", 1)], ["2021-01-01", 1]]), shared=["period", "w" * 300]),
            "Row 1, column B: the column name is 300 characters long",
        ),
        (
            "a document type (entity expansion)",
            lambda: xlsx(
                b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                + sheet_xml([["period", "value"], ["2021-01-01", "&b;"]])[21:]
            ),
            "declares a document type",
        ),
        (
            "a tag two megabytes long",
            lambda: xlsx(
                sheet_xml([["period", "value"]]).replace(
                    b"<sheetData>", b'<sheetData x="' + b"y" * (2 << 20) + b'">'
                )
            ),
            "has one tag or text longer than 1 MB",
        ),
    ],
)
def test_workbooks_that_break_a_limit_are_refused_naming_the_row_and_column(
    client, project, settings, name, make, message
):
    measure = make_measure(project, values=[1])
    client_for(client, project.owner)
    response = _post(client, measure, "data.xlsx", make())
    body = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and "There is a problem" in body
    assert message in body, name
    _nothing_stored(settings, measure, points_before=1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'period,value,note\n2021-01-01,1,fine\n2021-02-01,2,"starts here\n2021-03-01,3,swallowed\n',
            'Row 3: a quote mark (") opens a cell that is never closed, so the rest of the file would be read as '
            "one cell. Add the closing quote mark",
        ),
        (
            'period,value,note\n2021-01-01,1,"two\nlines"\n2021-02-01,2,"open\n'
            + "".join(f"2021-03-{d:02d},3,x\n" for d in range(1, 29)) * 2000,
            'Row 3: a quote mark (") opens a cell that is not closed within 50,152 characters (it starts on line 4 '
            "of the file)",
        ),
        ('period,value,note\n2021-01-01,1,"a"b\n', 'Row 2: a quote mark (") closes a cell in the middle.'),
        (
            "period,value,note\n2021-01-01,1," + "n" * 1500 + "\n",
            "Row 2, column C: this cell holds 1,500 characters; a cell can hold at most 1,000 here.",
        ),
        (
            "period,value,note\n2021-01-01,1," + "n" * 60_000 + "\n",
            "Row 2, column C: this cell holds more than 1,000 characters",
        ),
        (
            "period,value\n2021-01-01,1\n2021-02-01,2" + "," * 60 + "x\n",
            "Row 3, column BJ: there is a value beyond the first 50 columns",
        ),
        (
            "period," + "v" * 101 + "\n2021-01-01,1\n",
            "Row 1, column B: the column name is 101 characters long",
        ),
    ],
    ids=[
        "unterminated quote",
        "quote swallowing the file",
        "stray quote",
        "long cell",
        "huge line",
        "columns",
        "header",
    ],
)
def test_csv_files_that_break_a_limit_are_refused_naming_the_row(client, project, settings, text, message):
    measure = make_measure(project, values=[1])
    client_for(client, project.owner)
    response = _post(client, measure, "data.csv", text.encode())
    body = response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert response.status_code == 200 and "There is a problem" in body, body[:200]
    assert message in body
    _nothing_stored(settings, measure, points_before=1)


def test_a_workbook_with_too_many_rows_is_refused_as_it_streams(project, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_ROWS": 3}
    measure = make_measure(project, values=[])
    rows = [["period", "value"], *([f"2021-0{m}-01", m] for m in range(1, 4))]
    assert _upload_service(project, measure, "ok.xlsx", xlsx(sheet_xml(rows))).headers == ["period", "value"]
    with pytest.raises(uploads.FileRefused, match="The file has more than 3 rows"):
        _upload_service(project, measure, "long.xlsx", xlsx(sheet_xml([*rows, ["2021-04-01", 4]])))
    # A row far down the sheet counts as the rows before it (openpyxl would give each as an empty row).
    with pytest.raises(uploads.FileRefused, match="The file has more than 3 rows"):
        _upload_service(project, measure, "far.xlsx", xlsx(sheet_xml([["2021-01-01", 1]], start_row=900_000)))
    assert DataImport.objects.count() == 1


def test_the_upload_view_still_checks_csrf(project):
    """The upload handler has to be set before CSRF reads the body; the check itself is still made."""
    from django.test import Client

    measure = make_measure(project, values=[])
    client = Client(enforce_csrf_checks=True)
    client_for(client, project.owner)
    url = reverse("measures:upload", args=[measure.public_id])
    refused = client.post(url, {"file": SimpleUploadedFile("d.csv", b"period,value\n2021-01-01,1\n")})
    assert refused.status_code == 403
    token = client.get(url).context["csrf_token"]
    accepted = client.post(
        url,
        {"file": SimpleUploadedFile("d.csv", b"period,value\n2021-01-01,1\n"), "csrfmiddlewaretoken": token},
    )
    assert accepted.status_code == 302
    assert DataImport.objects.count() == 1


def test_an_unterminated_quote_is_never_swallowed_into_a_note(project):
    """Before, csv's lenient mode read the rest of the file into the note of row 3 and imported it."""
    measure = make_measure(project, values=[])
    text = 'period,value,note\n2021-01-01,1,\n2021-02-01,2,"oops\n2021-03-01,3,\n'
    with pytest.raises(uploads.FileRefused) as refused:
        _upload_service(project, measure, "d.csv", text.encode())
    assert refused.value.row == 3
    assert not DataImport.objects.exists() and not DataPoint.objects.exists()


def test_a_stored_file_is_read_within_the_limits_again_when_it_is_checked(project, settings):
    """The limits hold on every read: a file stored before a limit was lowered is refused by row at the check."""
    measure = make_measure(project, values=[])
    imp = _upload_service(project, measure, "d.csv", b"period,value,note\n2021-01-01,1,a fairly long note\n")
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_CELL_CHARS": 10}
    imports.import_check(imp)
    assert imp.status == "invalid"
    assert imp.errors == [{"row": 2, "column": "column C", "problem": imp.errors[0]["problem"]}]
    assert "a cell can hold at most 10 here" in imp.errors[0]["problem"]


def test_an_ordinary_workbook_made_part_by_part_imports(project):
    """The hand-made workbooks above are real ones: the same builder, within the limits, imports."""
    measure = make_measure(project, values=[])
    content = xlsx(
        sheet_xml([[("s", 0), ("s", 1)], ["2021-01-01", 4], ["2021-02-01", 5]]), shared=["period", "value"]
    )
    imp = _upload_service(project, measure, "ok.xlsx", content)
    imports.import_check(imp)
    assert imp.status == "ready", imp.errors
    imports.import_commit(data_import=imp, actor=project.owner)
    assert list(DataPoint.objects.filter(measure=measure).values_list("value", flat=True)) == [4, 5]


# Generated uploads never read past the limits ----------------------------------------------------------

SMALL = {
    "MAX_BYTES": 256 * 1024,
    "MAX_UNPACKED_BYTES": 512 * 1024,
    "MAX_PART_BYTES": 64 * 1024,
    "MAX_ZIP_MEMBERS": 30,
    "MAX_XML_TOKEN_BYTES": 32 * 1024,
    "MAX_CELL_CHARS": 200,
    "MAX_HEADER_CHARS": 40,
    "MAX_COLUMNS": 12,
    "MAX_ROWS": 40,
}
# Memory the reading may use, whatever the file: a few parts' worth of chunks and parsed rows, far below the
# sizes the files below claim or unpack to (up to 64 times the unpacked limit).
PEAK = 6 * 1024 * 1024

names = st.sampled_from(["period", "value", "note", "", "date", "count"])
header_cell = st.one_of(
    names, names, st.text(alphabet="abc", max_size=8), st.integers(36, 44).map(lambda n: "h" * n)
)  # some around the column-name limit
body_cell = st.one_of(
    st.text(alphabet="abc 019-/é", max_size=30),
    st.integers(150, 260).map(lambda n: "x" * n),  # around the cell limit
    st.just('"'),  # a quote that may never close
)
table = st.tuples(
    st.lists(header_cell, min_size=1, max_size=15),
    st.lists(st.lists(body_cell, max_size=15), max_size=50),
).map(lambda t: [t[0], *t[1]])
sizes = st.sampled_from([0, 150, 250, 200_000, 700_000, 5_000_000, 32_000_000])


def _csv_bytes(rows) -> bytes:
    return ("\n".join(",".join(cells) for cells in rows) + "\n").encode()


def _xlsx_bytes(rows, blob: int, shared_blob: bool, declared_pad: int, parts: int) -> bytes:
    """A workbook of the table, with a highly compressible blob in one cell (inline or shared), a padding
    part and a number of small parts, of generated sizes up to many times the limits."""
    filler = "B" * blob
    extra = {f"xl/media/p{i}.bin": b"p" for i in range(parts)}
    if declared_pad:
        extra["xl/media/pad.bin"] = b"\0" * declared_pad
    cells = [list(r) for r in rows]
    if shared_blob:
        cells[-1].append(("s", 0))
        return xlsx(sheet_xml(cells), shared=[filler], extra=extra)
    cells[-1].append(filler)
    return xlsx(sheet_xml(cells), extra=extra)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=table,
    kind=st.sampled_from(["csv", "xlsx"]),
    blob=sizes,
    shared_blob=st.booleans(),
    declared_pad=sizes,
    parts=st.sampled_from([0, 0, 0, 5, 40]),
)
def test_no_generated_upload_reads_past_the_limits(
    project, monkeypatch, settings, rows, kind, blob, shared_blob, declared_pad, parts
):
    settings.UPLOAD_LIMITS = SMALL
    lim = uploads.limits()
    uploads.check_table(io.BytesIO(xlsx(sheet_xml([["period"]]))), "xlsx")  # modules loaded before measuring
    DataImport.objects.all().delete()
    measure = project.measures.first() or make_measure(project, values=[])
    content = _csv_bytes(rows) if kind == "csv" else _xlsx_bytes(rows, blob, shared_blob, declared_pad, parts)
    pulled = Pulled()
    tracemalloc.start()
    try:
        with pulled.counting(monkeypatch):
            try:
                imp = _upload_service(project, measure, f"g.{kind}", content)
            except uploads.FileRefused as exc:
                imp, refused = None, exc
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The scan unpacks at most the limit (and a chunk past it, then stops); openpyxl reads again only what the
    # scan passed, so at most the limit once more.
    assert pulled.total <= 2 * lim.max_unpacked_bytes + uploads.CHUNK
    assert peak < PEAK, f"peak {peak / 1e6:.1f} MB for a {len(content)}-byte {kind}"
    event(f"{kind}: " + (refused.problem[:70] if imp is None else "accepted"))
    if imp is None:
        assert refused.messages[0]
        assert not DataImport.objects.exists()
        return
    # What was accepted and stored is within the limits.
    assert len(content) <= lim.max_bytes
    assert len(imp.headers) <= lim.max_columns and all(len(h) <= lim.max_header_chars for h in imp.headers)
    if kind == "csv":
        records = list(csv.reader(io.StringIO(content.decode(), newline="")))
    else:
        records, blob_cell = rows, "B" * blob
        assert len(blob_cell) <= lim.max_cell_chars
    assert len(records) - 1 <= lim.max_rows
    assert all(len(c) <= lim.max_cell_chars for r in records for c in r)


def test_the_request_stops_taking_a_file_past_the_limit(client, project, settings, monkeypatch):
    """The upload handler reads past the rest of an oversized file without keeping it anywhere."""
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_BYTES": 64 * 1024}
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    kept = {"bytes": 0}
    real = TemporaryFileUploadHandler.receive_data_chunk

    def counting(handler, raw, start):
        kept["bytes"] += len(raw)
        return real(handler, raw, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file, so it can be counted
    measure = make_measure(project, values=[])
    client_for(client, project.owner)
    content = b"period,value\n" + b"2021-01-01,1\n" * 200_000  # 2.6 MB
    response = _post(client, measure, "big.csv", content)
    assert "The file is larger than 64 KB" in response.content.decode()
    assert kept["bytes"] <= 64 * 1024
    assert not DataImport.objects.exists()
