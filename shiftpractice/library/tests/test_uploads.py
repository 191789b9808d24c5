"""What a download may be: each accepted type passes when its content is what its name says; the wrong type, an
empty or too large file, a misleading extension and macros are refused with a message that says why, on the
lead's form as in the check itself; nothing is stored for a refused file."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from shiftpractice.library.models import LibraryItem
from shiftpractice.library.uploads import MAX_LIBRARY_BYTES, TYPES, check_library_file

from .helpers import PDF, office_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_module]


def content_of(ext: str) -> bytes:
    return PDF if ext == "pdf" else office_bytes(ext)


@pytest.mark.parametrize("ext", sorted(TYPES))
def test_every_accepted_type_passes_with_its_real_content(ext):
    assert check_library_file(upload(f"worksheet.{ext}", content_of(ext))) == ext


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("run.exe", b"MZ\x90\x00", "the file must be a PDF, slides"),
        ("page.html", b"<html><script>alert(1)</script>", "the file must be a PDF"),
        ("noextension", PDF, "the file must be a PDF"),
        ("empty.pdf", b"", "The file is empty"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "its content is not a PDF"),
        ("renamed.pdf", b"MZ\x90\x00\x03", "its content is not a PDF"),
        ("slides.pptx", office_bytes("xlsx"), "its content is an Excel workbook (.xlsx)"),
        ("slides.odp", office_bytes("odt"), "its content is an OpenDocument text document (.odt)"),
        ("doc.docx", PDF, "its content is a PDF (.pdf)"),
        ("sheet.xlsx", b"PK\x03\x04 not really a zip", "its content is not an Excel workbook"),
        ("macros.pptx", office_bytes("pptx", macros=True), "contains macros"),
    ],
)
def test_refusals_say_why(name, content, message):
    with pytest.raises(ValidationError) as exc:
        check_library_file(upload(name, content))
    assert message in exc.value.messages[0]


def test_a_file_over_the_limit_is_refused_by_the_check():
    big = upload("big.pdf", PDF)
    big.size = MAX_LIBRARY_BYTES + 1
    with pytest.raises(ValidationError, match="must be smaller than"):
        check_library_file(big)


def form_data(**overrides) -> dict:
    data = {
        "title": "A worksheet",
        "summary": "To print.",
        "licence": "cc-by-4.0",
        "attribution": "The team",
        "topics": "",
    }
    data.update(overrides)
    return data


def test_the_form_refuses_a_misleading_extension_and_keeps_what_was_typed(client, world):
    client_for(client, world.people["lead"])
    url = reverse("library:new", args=[world.programme.slug, "file"])
    response = client.post(url, form_data(file=upload("slides.pptx", office_bytes("docx"))))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "its content is a Word document (.docx)" in page
    assert 'value="A worksheet"' in page
    assert not LibraryItem.objects.exists()


def test_the_form_refuses_a_file_too_large_while_it_is_read(client, world, settings):
    client_for(client, world.people["lead"])
    url = reverse("library:new", args=[world.programme.slug, "file"])
    response = client.post(url, form_data(file=upload("huge.pdf", PDF + b"0" * (MAX_LIBRARY_BYTES + 1))))
    assert response.status_code == 400
    assert "the largest file the library takes is" in response.content.decode()
    assert not LibraryItem.objects.exists()


def test_a_download_needs_a_file(client, world):
    client_for(client, world.people["lead"])
    url = reverse("library:new", args=[world.programme.slug, "file"])
    response = client.post(url, form_data())
    assert response.status_code == 400 and "This field is required" in response.content.decode()
