"""The framework visuals in a real browser, on a phone: an anonymous visitor goes from the model page to the
visuals, opens the model picture and a worksheet, and downloads each in PDF, PNG and SVG. axe checks every page,
and no page scrolls sideways at 390 pixels."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
SIGNATURES = {"PDF": b"%PDF-", "PNG": b"\x89PNG\r\n\x1a\n"}


@pytest.fixture
def phone(browser):
    context = browser.new_context(accept_downloads=True, viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)  # a first download draws its file
    yield page
    context.close()


def fits_the_phone(page) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} scrolls sideways: {scroll} > {inner}"


def downloads(page, title: str) -> None:
    for fmt in ("PDF", "PNG", "SVG"):
        with page.expect_download() as info:
            page.get_by_role("link", name=f"Download {title} as {fmt}").click()
        body = Path(info.value.path()).read_bytes()
        assert info.value.suggested_filename.endswith(f".{fmt.lower()}")
        if fmt == "SVG":
            assert ET.fromstring(body).tag.endswith("svg")  # noqa: S314 (our own drawing)
        else:
            assert body.startswith(SIGNATURES[fmt]) and len(body) > 5000


def test_an_anonymous_visitor_opens_and_downloads_the_visuals_on_a_phone(phone, live_server, demo):
    page = phone
    page.goto(f"{live_server.url}/model/")
    page.get_by_role("link", name="Pictures and worksheets to download").click()
    expect(page.get_by_role("heading", name="Framework visuals", level=1)).to_be_visible()
    assert_accessible(page)
    fits_the_phone(page)

    page.get_by_role("link", name="The model at a glance", exact=True).click()
    picture = page.get_by_role("img", name="The activist workplace change model")
    expect(picture).to_be_visible()
    # The SVG drew (waited for: a busy machine may still be loading it).
    page.wait_for_function("document.querySelector('figure img').complete")
    assert page.evaluate("document.querySelector('figure img').naturalWidth") > 0
    expect(page.get_by_role("heading", name="The picture in words")).to_be_visible()
    assert_accessible(page)
    fits_the_phone(page)
    downloads(page, "The model at a glance")

    page.get_by_role("link", name="All the visuals of").click()
    page.get_by_role("link", name="PDSA worksheet", exact=True).click()
    expect(page.get_by_role("heading", name="The worksheet in words")).to_be_visible()
    assert_accessible(page)
    fits_the_phone(page)
    downloads(page, "PDSA worksheet")
