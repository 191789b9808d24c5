"""What a workshop material file may be, declared once: its extension, the content types a browser may send
for it, how its first bytes must look, and the largest size. Files pass ``check_material_file`` before they are
stored and are only ever served as downloads (``views.material_download``)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_MATERIAL_BYTES = 20 * 1024 * 1024

_ZIP = (b"PK\x03\x04",)  # Office Open XML files are zip archives
_ANY = ()  # plain text has no signature


@dataclass(frozen=True)
class Kind:
    label: str
    content_types: frozenset[str]
    starts_with: tuple[bytes, ...]


_OCTET = "application/octet-stream"  # what some browsers send for any file they do not recognise

ALLOWED = {
    "pdf": Kind("PDF", frozenset({"application/pdf", _OCTET}), (b"%PDF-",)),
    "docx": Kind(
        "Word document",
        frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document", _OCTET}),
        _ZIP,
    ),
    "pptx": Kind(
        "PowerPoint presentation",
        frozenset({"application/vnd.openxmlformats-officedocument.presentationml.presentation", _OCTET}),
        _ZIP,
    ),
    "xlsx": Kind(
        "Excel workbook",
        frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _OCTET}),
        _ZIP,
    ),
    "png": Kind("PNG image", frozenset({"image/png"}), (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("JPEG image", frozenset({"image/jpeg"}), (b"\xff\xd8\xff",)),
    "jpeg": Kind("JPEG image", frozenset({"image/jpeg"}), (b"\xff\xd8\xff",)),
    "txt": Kind("text file", frozenset({"text/plain"}), _ANY),
    "csv": Kind("CSV file", frozenset({"text/csv", "text/plain", "application/vnd.ms-excel"}), _ANY),
}

ACCEPT = ",".join(f".{ext}" for ext in ALLOWED)  # for the file input's accept attribute
ALLOWED_PHRASE = "PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), PNG, JPEG, text or CSV"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_material_file(upload) -> Kind:
    """Refuse a file that is too large, of a type not listed, or whose content does not match its name."""
    ext = extension_of(upload.name or "")
    kind = ALLOWED.get(ext)
    if kind is None:
        raise ValidationError(f"The file must be a {ALLOWED_PHRASE} file.", code="extension")
    if upload.size is None or upload.size > MAX_MATERIAL_BYTES:
        raise ValidationError(
            f"The file must be smaller than {filesizeformat(MAX_MATERIAL_BYTES)}.", code="size"
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in kind.content_types:
        raise ValidationError(
            f"The file is named .{ext} but was sent as {content_type or 'an unknown type'}: "
            f"upload a real {kind.label}.",
            code="content_type",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if kind.starts_with and not any(head.startswith(sig) for sig in kind.starts_with):
        raise ValidationError(
            f"The file's content is not a {kind.label}, although it is named .{ext}.", code="content"
        )
    if not kind.starts_with and b"\x00" in head:
        raise ValidationError(f"The file's content is not a {kind.label}.", code="content")
    return kind
