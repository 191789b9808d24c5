"""Shared by the library's tests: files of each kind (real and misleading), and published items."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from shiftpractice.library import services
from shiftpractice.library.choices import ItemKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MARKERS = {
    "pptx": ("ppt/presentation.xml", None),
    "docx": ("word/document.xml", None),
    "xlsx": ("xl/workbook.xml", None),
    "odp": (None, "application/vnd.oasis.opendocument.presentation"),
    "odt": (None, "application/vnd.oasis.opendocument.text"),
    "ods": (None, "application/vnd.oasis.opendocument.spreadsheet"),
}


def office_bytes(kind: str, *, macros: bool = False) -> bytes:
    """A minimal archive whose structure is that of ``kind`` (pptx, docx, xlsx, odp, odt, ods)."""
    part, mimetype = MARKERS[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(part, "<x/>")
            if macros:
                archive.writestr(part.split("/")[0] + "/vbaProject.bin", b"\x00" * 10)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "guide.pdf") -> SimpleUploadedFile:
    return upload(name, PDF, "application/pdf")


PAGE = {
    "title": "Run charts in plain words",
    "summary": "How to read a run chart and when to call a change real.",
    "body": "## What a run chart shows\n\nPlot your measure over time and mark the **median**.",
    "licence": "cc-by-4.0",
    "attribution": "Dr A. Example, Riverside Surgery",
    "lenses": ["systems"],
    "stages": ["stage.test"],
    "topics": "Run charts, measurement",
    "setting": "primary_care",
    "region": "north_west",
    "workshop": 1,
}


def page_item(programme, actor, *, publish: bool = True, **overrides):
    item = services.item_create(
        programme=programme, kind=ItemKind.PAGE, data={**PAGE, **overrides}, actor=actor
    )
    if publish:
        item = services.item_publish(item=item, actor=actor)
    return item


def file_item(programme, actor, *, publish: bool = True, **overrides):
    data = {**PAGE, "title": "Driver diagram worksheet", "summary": "A worksheet to print.", **overrides}
    data.pop("body", None)
    item = services.item_create(programme=programme, kind=ItemKind.FILE, data=data, upload=pdf(), actor=actor)
    if publish:
        item = services.item_publish(item=item, actor=actor)
    return item
