"""What a library download may be, declared once, and the check every upload passes before it is stored.

Accepted: PDF, slides (.pptx, .odp), documents (.docx, .odt) and spreadsheets (.xlsx, .ods), up to
``MAX_LIBRARY_BYTES`` (the same limit as workshop materials; the request itself is bounded by
``core.uploads.bounded_uploads``). The content must be what the name says: a PDF starts ``%PDF-``; an Office Open
XML file is a zip archive holding ``[Content_Types].xml`` and its own part folder (``ppt/``, ``word/``, ``xl/``);
an OpenDocument file is a zip archive whose ``mimetype`` entry names its type. A file whose content is another
accepted type (a workbook named .pptx) is refused naming what it really is; macro-enabled content is refused.
The type the browser declared is not trusted either way: the content decides, and a download is served with
the type declared here for its extension, as an attachment, never inline (``views.download``).
"""

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from shiftpractice.cohorts.uploads import MAX_MATERIAL_BYTES, extension_of

MAX_LIBRARY_BYTES = MAX_MATERIAL_BYTES
_MIMETYPE_MAX = 100  # an OpenDocument mimetype entry is a few dozen bytes; anything larger is not one


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    family: str  # "pdf", "ooxml", "odf"
    marker: str  # OOXML: the part folder; ODF: the mimetype entry's text


TYPES = {
    "pdf": FileType("PDF", "application/pdf", "pdf", ""),
    "pptx": FileType(
        "PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ooxml",
        "ppt/",
    ),
    "docx": FileType(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ooxml",
        "word/",
    ),
    "xlsx": FileType(
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ooxml",
        "xl/",
    ),
    "odp": FileType(
        "OpenDocument presentation",
        "application/vnd.oasis.opendocument.presentation",
        "odf",
        "application/vnd.oasis.opendocument.presentation",
    ),
    "odt": FileType(
        "OpenDocument text document",
        "application/vnd.oasis.opendocument.text",
        "odf",
        "application/vnd.oasis.opendocument.text",
    ),
    "ods": FileType(
        "OpenDocument spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        "odf",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
}
ACCEPT = ",".join(f".{ext}" for ext in TYPES)
ALLOWED_PHRASE = "a PDF, slides (.pptx or .odp), a document (.docx or .odt) or a spreadsheet (.xlsx or .ods)"


def content_type_of(ext: str) -> str:
    kind = TYPES.get(ext)
    return kind.content_type if kind else "application/octet-stream"


def _zip_type(data) -> str | None:
    """The extension the zip archive's content says it is, or None for a zip that is none of ours."""
    try:
        archive = zipfile.ZipFile(data)
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return "macros"
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size <= _MIMETYPE_MAX:
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
            for ext, kind in TYPES.items():
                if kind.family == "odf" and kind.marker == declared:
                    return ext
        return None
    if "[Content_Types].xml" in names:
        for ext, kind in TYPES.items():
            if kind.family == "ooxml" and any(name.startswith(kind.marker) for name in names):
                return ext
    return None


def real_type(upload) -> str | None:
    """What the file's content is (an extension of ``TYPES``, "macros", or None when none of ours)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            data = io.BytesIO(upload.read())  # bounded: the size was checked first
        finally:
            upload.seek(0)
        return _zip_type(data)
    return None


def _a(label: str) -> str:
    return f"an {label}" if label[0] in "AEIOU" else f"a {label}"


def check_library_file(upload) -> str:
    """The checked extension of ``upload``; ``ValidationError`` with a message for the form otherwise."""
    name = upload.name or ""
    ext = extension_of(name)
    kind = TYPES.get(ext)
    if kind is None:
        raise ValidationError(
            f"“{name}” cannot be uploaded: the file must be {ALLOWED_PHRASE}.", code="extension"
        )
    if upload.size is None or upload.size > MAX_LIBRARY_BYTES:
        raise ValidationError(
            f"The file must be smaller than {filesizeformat(MAX_LIBRARY_BYTES)}.", code="size"
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    found = real_type(upload)
    if found == ext:
        return ext
    if found == "macros":
        raise ValidationError(
            "The file contains macros, which the library does not publish: save it without macros.",
            code="macros",
        )
    if found in TYPES:
        raise ValidationError(
            f"The file is named .{ext} but its content is {_a(TYPES[found].label)} (.{found}): "
            f"give it its real extension, or upload the {kind.label} you meant.",
            code="misleading",
        )
    raise ValidationError(
        f"The file is named .{ext} but its content is not {_a(kind.label)}: upload a real {kind.label}.",
        code="content",
    )
