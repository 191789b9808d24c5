"""The demo's library: ten published materials across the journey stages, one an uploaded PDF; loading twice
changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shiftpractice.content import selectors as content_selectors
from shiftpractice.library.choices import ItemKind, ItemStatus
from shiftpractice.library.demo import load_demo_library
from shiftpractice.library.models import LibraryItem
from shiftpractice.library.uploads import check_library_file

pytestmark = pytest.mark.django_db


def test_ten_materials_across_the_stages_and_idempotent(world):
    version = content_selectors.current_version()
    lead = world.people["lead"]
    assert load_demo_library(programme=world.programme, lead=lead, version=version) == 10
    assert load_demo_library(programme=world.programme, lead=lead, version=version) == 0
    items = list(LibraryItem.objects.all())
    assert len(items) == 10 and all(i.status == ItemStatus.PUBLISHED for i in items)
    stages = {s for i in items for s in i.stages}
    assert len(stages) >= 7 and stages <= {s.slug for s in content_selectors.model_view(version).stages}
    (download,) = [i for i in items if i.kind == ItemKind.FILE]
    with download.file.open("rb") as handle:
        data = handle.read()
    assert check_library_file(SimpleUploadedFile("guide.pdf", data)) == "pdf" and len(data) == download.size
