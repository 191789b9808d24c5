"""The library's pages for every persona. Anyone, anonymous visitors included, reads what is published; only the
programme's leads see a draft, by any URL, search, feed, sitemap or pack; a withdrawn item answers "withdrawn"
(410) and leaves every list at once; only leads reach the forms, publish and withdraw."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PERSONAS, client_for
from shiftpractice.library import services
from shiftpractice.library.choices import ItemStatus
from shiftpractice.library.models import LibraryItem

from .helpers import file_item, page_item, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_module]

READERS = ["coach", "participant", "other_participant", "critical_friend", "outsider", "anonymous"]


@pytest.fixture
def items(world):
    lead = world.people["lead"]
    published = page_item(world.programme, lead, title="Published guide to PDSA", body="Plan do study act")
    download = file_item(world.programme, lead, title="Printable PDSA worksheet")
    draft = page_item(
        world.programme, lead, publish=False, title="Secret draft about PDSA", body="PDSA draft"
    )
    gone = page_item(world.programme, lead, title="Withdrawn PDSA notes", body="PDSA withdrawn")
    services.item_withdraw(item=gone, actor=lead)
    return {"published": published, "download": download, "draft": draft, "gone": gone}


def client_as(world, persona) -> Client:
    return client_for(Client(), world.user(persona))


def public_texts(client) -> str:
    """Everything a visitor can read in bulk: the list, a search, the feed, the sitemap and every pack."""
    out = []
    for url, params in [
        (reverse("library:index"), {}),
        (reverse("library:index"), {"q": "PDSA"}),
        (reverse("library:index"), {"lens": "systems"}),
        (reverse("library:feed"), {}),
        (reverse("library:sitemap"), {}),
        ("/sitemap.xml", {}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 200, url
        out.append(response.content.decode())
    for url in [
        reverse("library:stage_pack", args=["test"]),
        reverse("library:workshop_pack", args=[1]),
        reverse("library:facilitator_pack"),
    ]:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        out.append(" ".join(archive.namelist()))
        out.extend(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return "\n".join(out)


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_items_for_everyone_drafts_and_withdrawn_for_nobody_in_bulk(world, items, persona):
    text = public_texts(client_as(world, persona))
    assert "Published guide to PDSA" in text and "Printable PDSA worksheet" in text
    assert items["published"].slug in text
    for hidden in ("draft", "gone"):
        assert items[hidden].title not in text and items[hidden].slug not in text, persona


@pytest.mark.parametrize("persona", PERSONAS)
def test_item_pages_by_persona(world, items, persona):
    client = client_as(world, persona)
    lead = persona == "lead"
    expected = {
        reverse("library:item", args=[items["published"].slug]): 200,
        reverse("library:download", args=[items["download"].slug]): 200,
        reverse("library:item", args=[items["draft"].slug]): 200 if lead else 404,
        reverse("library:item", args=[items["gone"].slug]): 410,
        reverse("library:download", args=[items["gone"].slug]): 410,
        reverse("library:licences"): 200,
        reverse("library:visuals"): 200,
        reverse("library:packs"): 200,
        "/robots.txt": 200,
    }
    got = {url: client.get(url).status_code for url in expected}
    assert got == expected


def expected_write_status(persona: str, *, draft: bool) -> int:
    if persona == "lead":
        return 200
    if persona == "anonymous":
        return 302
    return 404 if draft else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_lead_pages_by_persona(world, items, persona):
    client = client_as(world, persona)
    slug = world.programme.slug
    member = persona in ("coach", "participant", "other_participant", "critical_friend")
    programme_status = 200 if persona == "lead" else 302 if persona == "anonymous" else 403 if member else 404
    assert client.get(reverse("library:manage", args=[slug])).status_code == programme_status
    assert client.get(reverse("library:new", args=[slug, "page"])).status_code == programme_status
    published = expected_write_status(persona, draft=False)
    assert client.get(reverse("library:edit", args=[items["published"].slug])).status_code == published
    assert client.get(reverse("library:withdraw", args=[items["published"].slug])).status_code == published
    draft = expected_write_status(persona, draft=True)
    assert client.get(reverse("library:edit", args=[items["draft"].slug])).status_code == draft


@pytest.mark.parametrize("persona", READERS)
def test_no_one_but_a_lead_publishes_withdraws_or_writes(world, items, persona):
    client = client_as(world, persona)
    client.post(reverse("library:publish", args=[items["draft"].slug]))
    client.post(reverse("library:withdraw", args=[items["published"].slug]), {"confirm": "yes"})
    client.post(reverse("library:edit", args=[items["published"].slug]), {"title": "Changed"})
    client.post(
        reverse("library:new", args=[world.programme.slug, "page"]),
        {"title": "Sneaky", "summary": "x", "body": "x", "licence": "cc-by-4.0", "attribution": "x"},
    )
    statuses = dict(LibraryItem.objects.values_list("slug", "status"))
    assert statuses[items["draft"].slug] == ItemStatus.DRAFT
    assert statuses[items["published"].slug] == ItemStatus.PUBLISHED
    assert LibraryItem.objects.get(pk=items["published"].pk).title == "Published guide to PDSA"
    assert not LibraryItem.objects.filter(title="Sneaky").exists()


def test_a_lead_writes_publishes_and_withdraws_a_page_with_a_confirm_step(client, world):
    client_for(client, world.people["lead"])
    url = reverse("library:new", args=[world.programme.slug, "page"])
    assert "Write the page in markdown" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "The four lenses",
            "summary": "Systems, resilience, equality and ecology.",
            "body": "## Systems\n\nLook at the whole.",
            "licence": "cc-by-sa-4.0",
            "attribution": "The pilot team",
            "lenses": ["systems", "ecology"],
            "stages": ["stage.orient"],
            "topics": "lenses",
            "workshop": "1",
        },
    )
    item = LibraryItem.objects.get(title="The four lenses")
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.status == ItemStatus.DRAFT and item.lenses == ["systems", "ecology"] and item.workshop == 1
    assert client.post(reverse("library:publish", args=[item.slug])).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    withdraw = reverse("library:withdraw", args=[item.slug])
    page = client.get(withdraw).content.decode()
    assert "Withdraw “The four lenses”?" in page and "Yes, withdraw it" in page
    client.post(withdraw, {"reason": "Replaced"})  # no confirmation: nothing happens
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    response = client.post(withdraw, {"confirm": "yes", "reason": "Replaced"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN and item.withdrawn_reason == "Replaced"
    anonymous = Client()
    response = anonymous.get(item.get_absolute_url())
    assert response.status_code == 410 and "This item has been withdrawn" in response.content.decode()
    assert "The four lenses" not in anonymous.get(reverse("library:index"), {"q": "lenses"}).content.decode()
    assert "The four lenses" not in anonymous.get(reverse("library:feed")).content.decode()
    assert item.slug not in anonymous.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize(
    "body,words",
    [
        ("Hello <script>alert(1)</script>", "a script (&lt;script&gt;)"),
        ('<iframe src="https://evil.example"></iframe>', "an embedded frame"),
        ("[click me](javascript:alert(1))", "a javascript: link"),
        ("[click me](JaVa\tScRiPt:alert(1))", "a javascript: link"),
        ('<a href="#" onclick="steal()">x</a>', "an event handler"),
    ],
)
def test_markdown_with_scripts_frames_or_javascript_links_is_refused_with_a_message(
    client, world, body, words
):
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("library:new", args=[world.programme.slug, "page"]),
        {"title": "Risky", "summary": "x", "body": body, "licence": "cc-by-4.0", "attribution": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and words in page and "which a library page cannot hold" in page
    assert 'value="Risky"' in page
    assert not LibraryItem.objects.filter(title="Risky").exists()


def test_an_item_page_shows_cite_this_the_licence_and_opengraph(client, world, items):
    response = client.get(items["published"].get_absolute_url())
    page = response.content.decode()
    assert "Cite this" in page and "Dr A. Example, Riverside Surgery (" in page
    assert "http://testserver/library/items/published-guide-to-pdsa/" in page
    assert "Anyone may copy, share and adapt it" in page
    assert '<meta property="og:title" content="Published guide to PDSA">' in page
    assert (
        '<meta property="og:url" content="http://testserver/library/items/published-guide-to-pdsa/">' in page
    )
    assert 'media="print"' in page
    draft_page = client_as(world, "lead").get(items["draft"].get_absolute_url()).content.decode()
    assert "og:title" not in draft_page and 'content="noindex"' in draft_page


def test_a_download_is_an_attachment_of_a_safe_declared_type(client, items):
    response = client.get(reverse("library:download", args=[items["download"].slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="printable-pdsa-worksheet.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_lead_replaces_a_file_and_the_edit_form_keeps_the_old_one_when_empty(client, world, items):
    client_for(client, world.people["lead"])
    item = items["download"]
    url = reverse("library:edit", args=[item.slug])
    data = {"title": "Renamed worksheet", "summary": "New words", "licence": "ogl-3.0", "attribution": "Team"}
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.title == "Renamed worksheet" and item.file_type == "pdf" and item.licence == "ogl-3.0"
    old = item.file.name
    assert client.post(url, {**data, "file": pdf("v2.pdf")}).status_code == 302
    item.refresh_from_db()
    assert item.filename == "v2.pdf" and item.file.name != old


def test_the_browse_filters_and_search_narrow_and_keep_each_other(client, world, items):
    page = client.get(reverse("library:index"), {"q": "worksheet", "kind": "file"}).content.decode()
    assert "Printable PDSA worksheet" in page and "Published guide to PDSA" not in page
    assert "1 item found" in page
    page = client.get(reverse("library:index"), {"kind": "nonsense", "lens": "nope"}).content.decode()
    assert "Published guide to PDSA" in page  # an unknown filter narrows nothing
    page = client.get(reverse("library:index"), {"licence": "ogl-3.0"}).content.decode()
    assert "Nothing in the library matches" in page


def test_the_licences_page_says_what_each_allows(client):
    page = client.get(reverse("library:licences")).content.decode()
    assert "CC BY-NC 4.0" in page and "but not for commercial purposes" in page and "OGL v3.0" in page


def test_the_facilitator_pack_holds_a_readme_the_model_instruments_and_the_workshop_items(client, items):
    response = client.get(reverse("library:facilitator_pack"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "README.md" in names and "instruments.md" in names
    assert any(name.startswith("model/") and name.endswith(".md") for name in names)
    assert f"workshop-1/{items['published'].slug}.md" in names
    assert f"workshop-1/{items['download'].slug}.pdf" in names
    assert "Cite this:" in archive.read("README.md").decode()
    model = archive.read(next(n for n in names if n.startswith("model/"))).decode()
    assert "Journey stages" in model or "Journey stage" in model
    assert "## " in archive.read("instruments.md").decode()


def test_an_unknown_stage_pack_is_not_found(client):
    assert client.get(reverse("library:stage_pack", args=["nowhere"])).status_code == 404


def test_the_feed_is_atom_with_the_newest_first(client, items):
    response = client.get(reverse("library:feed"))
    text = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert text.index("Printable PDSA worksheet") < text.index("Published guide to PDSA")
    assert f"urn:uuid:{items['published'].public_id}" in text and 'term="Systems"' in text


def test_robots_points_at_the_sitemap(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_a_case_study_page_links_to_the_story_and_its_pdf_and_cannot_be_edited_here(client, world):
    from .test_services import entry

    item = services.case_study_sync(key="case-study:3", entry=entry(key="case-study:3"))
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'href="/stories/case-studies/greener-inhalers/"' in page and "greener-inhalers.pdf" in page
    assert "Gita Green, Riverside Surgery" in page
    lead = client_as(world, "lead")
    assert lead.get(reverse("library:edit", args=[item.slug])).status_code == 403
    services.case_study_sync(key="case-study:3", entry=None)
    assert client.get(item.get_absolute_url()).status_code == 410


def test_a_stage_pack_holds_that_stage_only(client, world, items):
    other = page_item(
        world.programme, world.people["lead"], title="Orienting yourself", stages=["stage.orient"]
    )
    response = client.get(reverse("library:stage_pack", args=["orient"]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["README.md", f"{other.slug}.md"]
    assert response["Content-Disposition"].startswith('attachment; filename="training-pack-orient.zip"')


def test_the_facilitator_pack_adds_the_model_picture_and_worksheets_once_they_can_be_drawn(
    client, monkeypatch
):
    from shiftpractice.content import visuals

    drawn = [
        visuals.FrameworkVisual(slug=slug, title=slug, alt_text="", description="", page_url="/model/")
        for slug in ("model", "worksheet-pdsa")
    ]
    monkeypatch.setattr(visuals, "framework_visuals", lambda version: drawn)
    monkeypatch.setattr(
        visuals,
        "visual_file",
        lambda version, slug, fmt: (b"%PDF-1.4 " + slug.encode(), "application/pdf", f"{slug}.pdf"),
    )
    response = client.get(reverse("library:facilitator_pack"))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert "model/model.pdf" in names and "worksheets/worksheet-pdsa.pdf" in names

    def not_yet(version):
        raise NotImplementedError

    monkeypatch.setattr(visuals, "framework_visuals", not_yet)
    response = client.get(reverse("library:facilitator_pack"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert not any(n.startswith("worksheets/") for n in archive.namelist())
    assert "worksheets are not in this pack yet" in archive.read("README.md").decode()
    assert client.get(reverse("library:visuals")).status_code == 200
