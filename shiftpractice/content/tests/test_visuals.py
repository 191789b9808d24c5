"""The framework visuals: drawn from each version's own content, escaped, in three formats, cached once
published, and as private as the version they belong to."""

import re
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from django.urls import reverse

from conftest import client_for
from shiftpractice.content import services, visuals
from tests.factories import UserFactory

pytestmark = pytest.mark.world_per_module

SVG_NS = "{http://www.w3.org/2000/svg}"
SLUGS = [
    "model",
    "worksheet-driver-diagram",
    "worksheet-influence-map",
    "worksheet-pdsa",
    "worksheet-sustainable-value",
]
NOTE = "Visual test: a new stage and a renamed one."
SOURCE = [{"citation": "Our own", "url": "https://example.org", "accessed": "2026-01-01"}]


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own drawing, parsed to prove it is well-formed)


def drawn_text(svg: bytes) -> str:
    """Every text the picture draws (not its <title> or <desc>), lines joined, spaces collapsed."""
    root = parse(svg)
    parts = [el.text or "" for el in root.iter() if el.tag in {f"{SVG_NS}text", f"{SVG_NS}tspan"}]
    return re.sub(r"\s+", " ", " ".join(parts))


def svg_of(version, slug="model") -> bytes:
    return visuals.visual_file(version, slug, "svg")[0]


def test_the_model_picture_draws_every_pillar_lens_and_stage_in_order(v1):
    from shiftpractice.content.selectors import model_view

    view = model_view(v1)
    text = drawn_text(svg_of(v1))
    for item in [*view.pillars, *view.lenses]:
        assert item.title in text, item.title
    positions = [text.index(stage.title) for stage in view.stages]
    assert positions == sorted(positions) and len(positions) == 8
    assert "Influence and activism: a thread through every stage" in text
    assert "Sustainable development" in text and "Ways of working" in text
    root = parse(svg_of(v1))
    assert root.get("role") == "img"
    assert root.find(f"{SVG_NS}title").text and len(root.find(f"{SVG_NS}desc").text) > 200


def test_a_new_version_draws_its_own_stages(v1, lead):
    draft = services.version_draft(actor=lead, source=v1, name="v2 with a new stage")
    services.item_revise(version=draft, slug="stage.design", actor=lead, title="Design together")
    services.item_add(
        version=draft,
        actor=lead,
        kind="stage",
        slug="stage.celebrate",
        title="Celebrate and rest",
        schema={"order": 9, "prompts": [], "tools": []},
        sources=SOURCE,
    )
    services.version_update(version=draft, actor=lead, name=draft.name, dated=draft.dated, change_note=NOTE)
    v2 = services.version_publish(version=draft, actor=lead)
    new, old = drawn_text(svg_of(v2)), drawn_text(svg_of(v1))
    assert "Design together" in new and "Celebrate and rest" in new
    assert new.index("Design together") < new.index("Celebrate and rest")
    assert "Celebrate and rest" not in old and "Design together" not in old
    (model,) = [v for v in visuals.framework_visuals(v2) if v.slug == "model"]
    assert "9. Celebrate and rest" in model.description


def test_text_from_content_is_escaped_everywhere(v1, lead, client):
    draft = services.version_draft(actor=lead, source=v1, name="v2 hostile")
    hostile = '<script>alert(1)</script> & "Lens" <b>'
    services.item_revise(version=draft, slug="lens.systems", actor=lead, title=hostile)
    services.item_revise(version=draft, slug="tool.pdsa-worksheet", actor=lead, summary=hostile)
    for slug in ("model", "worksheet-pdsa"):
        svg = svg_of(draft, slug)
        assert b"<script" not in svg and b"<b>" not in svg
        assert hostile in drawn_text(svg) or hostile in parse(svg).find(f"{SVG_NS}desc").text
    client_for(client, lead)
    page = client.get(reverse("content:visual", args=[draft.slug, "model"])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize("slug", SLUGS)
def test_every_visual_downloads_in_every_format(client, v1, slug):
    for fmt, content_type in visuals.FORMATS.items():
        response = client.get(reverse("content:visual_file", args=[v1.slug, slug, fmt]))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert (
            response["Content-Disposition"] == f'attachment; filename="shiftpractice-v1-pilot-{slug}.{fmt}"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        body = response.content
        assert len(body) > 5000
        if fmt == "png":
            assert body.startswith(b"\x89PNG\r\n\x1a\n")
        elif fmt == "pdf":
            assert body.startswith(b"%PDF-") and b"%%EOF" in body[-32:]
        else:
            assert parse(body).tag == f"{SVG_NS}svg"
            policy = response["Content-Security-Policy"]
            assert "default-src 'none'" in policy and "script-src" not in policy and "sandbox" in policy


def test_the_pdf_carries_the_long_description_and_its_pages(v1):
    pypdf = pytest.importorskip("pypdf")
    import io

    model = pypdf.PdfReader(io.BytesIO(visuals.visual_file(v1, "model", "pdf")[0]))
    words = " ".join(page.extract_text() for page in model.pages)
    assert "the picture in words" in words and "Orient: why me, why now" in words
    sheet = pypdf.PdfReader(io.BytesIO(visuals.visual_file(v1, "worksheet-pdsa", "pdf")[0]))
    assert len(sheet.pages) == 1
    box = sheet.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210 and round(float(box.height) / 72 * 25.4) == 297


def test_unknown_visuals_and_formats_are_404(client, v1):
    for args in ([v1.slug, "nothing", "svg"], [v1.slug, "model", "gif"]):
        assert client.get(reverse("content:visual_file", args=args)).status_code == 404
    assert client.get(reverse("content:visual", args=[v1.slug, "nothing"])).status_code == 404
    with pytest.raises(KeyError):
        visuals.visual_file(v1, "model", "jpeg")


def test_a_second_download_is_served_from_the_cache(client, v1):
    url = reverse("content:visual_file", args=[v1.slug, "worksheet-driver-diagram", "pdf"])
    png = reverse("content:visual_file", args=[v1.slug, "worksheet-driver-diagram", "png"])
    with (
        mock.patch.object(visuals, "print_pdf", wraps=visuals.print_pdf) as printer,
        mock.patch.object(visuals, "rasterize", wraps=visuals.rasterize) as rasterizer,
        mock.patch.object(visuals, "render_svg", wraps=visuals.render_svg) as drawer,
    ):
        first = client.get(url).content
        client.get(png)
        drawn = drawer.call_count
        second = client.get(url).content
        client.get(png)
    assert first == second
    assert printer.call_count == 1 and rasterizer.call_count == 1 and drawer.call_count == drawn


def test_a_drafts_files_are_drawn_afresh(v1, lead):
    draft = services.version_draft(actor=lead, source=v1, name="v2 changing")
    before = svg_of(draft)
    services.item_revise(version=draft, slug="stage.orient", actor=lead, title="Orient: who, why, now")
    assert svg_of(draft) != before and "Orient: who, why, now" in drawn_text(svg_of(draft))


def test_query_counts_are_bounded(client, v1, django_assert_max_num_queries):
    client.get(reverse("content:visual_file", args=[v1.slug, "model", "svg"]))  # drawn once
    with django_assert_max_num_queries(4):
        assert client.get(reverse("content:visuals")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("content:visual", args=[v1.slug, "model"])).status_code == 200
    with django_assert_max_num_queries(2):  # the version; the file comes from the cache
        assert client.get(reverse("content:visual_file", args=[v1.slug, "model", "svg"])).status_code == 200


def test_the_model_page_links_to_the_visuals(client, v1):
    page = client.get(reverse("content:model")).content.decode()
    assert reverse("content:visuals") in page
    index = client.get(reverse("content:visuals")).content.decode()
    for slug in SLUGS:
        assert reverse("content:visual", args=[v1.slug, slug]) in index


# Who sees what --------------------------------------------------------------------------------------------

ALL = ["lead", "coach", "participant", "other_participant", "critical_friend", "outsider", "anonymous"]


@pytest.fixture
def people(world, v1):
    world.people["outsider"] = UserFactory(email="outsider-visuals@example.org")
    world.draft = services.version_draft(actor=world.people["lead"], source=v1, name="v2 visuals draft")
    return world


def _urls(slug: str) -> list[str]:
    return [
        reverse("content:version_visuals", args=[slug]),
        reverse("content:visual", args=[slug, "worksheet-pdsa"]),
        reverse("content:visual_file", args=[slug, "model", "svg"]),
    ]


@pytest.mark.parametrize("persona", ALL)
def test_published_visuals_are_public_and_drafts_only_for_editors(client, people, persona):
    user = people.people.get(persona) if persona != "anonymous" else None
    if user is not None:
        client_for(client, user)
    assert client.get(reverse("content:visuals")).status_code == 200
    for url in _urls("v1-pilot"):
        assert client.get(url).status_code == 200, url
    expected = 200 if persona == "lead" else 404
    for url in _urls(people.draft.slug):
        assert client.get(url).status_code == expected, url


def test_a_drafts_file_is_not_kept_by_shared_caches(client, people):
    client_for(client, people.people["lead"])
    response = client.get(reverse("content:visual_file", args=[people.draft.slug, "model", "svg"]))
    assert "no-store" in response["Cache-Control"]


def test_a_pdf_that_cannot_be_drawn_says_so(client, v1):
    with mock.patch.object(visuals, "print_pdf", side_effect=OSError("no Pango")):
        response = client.get(reverse("content:visual_file", args=[v1.slug, "worksheet-pdsa", "pdf"]))
    assert response.status_code == 503 and b"SVG and PNG" in response.content
