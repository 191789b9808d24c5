"""The library in a real browser, as an anonymous visitor: browse the demo's materials, filter by a lens, search
by words, open an item (cite this, the licence, what it allows), download the workshop guide (a PDF, as an
attachment), a training pack and the facilitator pack; axe passes on every library page; and at a phone's width
(390 pixels) no library page scrolls sideways."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_mobile import OVERFLOWING, PHONE

pytestmark = [pytest.mark.browser]

LIBRARY_PAGES = [
    "/library/",
    "/library/?q=run+chart",
    "/library/licences/",
    "/library/packs/",
    "/library/visuals/",
]


def test_an_anonymous_visitor_browses_searches_opens_and_downloads(page, live_server, demo):
    base = live_server.url
    page.goto(f"{base}/library/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The library")
    expect(
        page.get_by_role("link", name="Plan-Do-Study-Act: testing a change on a small scale")
    ).to_be_visible()
    assert_accessible(page)

    # Filter by a lens, then search by words.
    page.get_by_text("Filter", exact=True).click()
    page.get_by_label("Lens").select_option(label="Ecology")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile(r"\d+ items? found"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Sustainable value"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Peer support"))).to_have_count(0)
    page.goto(f"{base}/library/")
    page.get_by_label("Search the library").fill("run charts")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Run charts: seeing change over time")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Run charts: seeing change over time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run charts: seeing change over time")
    expect(
        page.get_by_text(re.compile(r"The Shifting mindsets pilot team \(\d{4}\)\. Run charts"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile("Anyone may copy, share and adapt it"))).to_be_visible()
    assert (
        page.locator('meta[property="og:title"]').get_attribute("content")
        == "Run charts: seeing change over time"
    )
    assert_accessible(page)

    # The workshop guide is a PDF, downloaded, never shown in the browser.
    page.goto(f"{base}/library/?q=workshop+agenda")
    page.get_by_role("link", name=re.compile("Running a workshop")).click()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Download the PDF")).click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert_accessible(page)

    # The facilitator pack.
    page.goto(f"{base}/library/packs/")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the facilitator pack (ZIP)").click()
    with open(info.value.path(), "rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert "README.md" in names and "instruments.md" in names
    assert any(name.startswith("workshop-1/") for name in names)

    for path in ("/library/licences/", "/library/visuals/"):
        page.goto(f"{base}{path}")
        assert_accessible(page)


def test_the_library_fits_a_phone(browser, live_server, demo):
    from shiftpractice.library.models import LibraryItem

    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    phone = context.new_page()
    phone.set_default_timeout(20_000)
    item = LibraryItem.objects.filter(kind="page", status="published").order_by("id").first()
    try:
        for path in [*LIBRARY_PAGES, item.get_absolute_url()]:
            phone.goto(f"{live_server.url}{path}")
            assert phone.evaluate(OVERFLOWING) == [], path
    finally:
        context.close()
