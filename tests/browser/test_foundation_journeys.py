"""A person in a real browser: every demo role logs in, reaches their home page, opens a workshop and
downloads its calendar file; axe checks every page on the way."""

import icalendar
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from shiftpractice.home.demo import DEMO_PASSWORD, DOMAIN

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser]

ROLES = {
    "lead": "Programme dashboard",
    "admin": "Programme dashboard",
    "coach1": "People you support",
    "gp": "Your cohort",
    "friend1": "Cohorts you follow as a critical friend",
}


def log_in(page, base_url: str, who: str, *, check_accessibility: bool = True) -> None:
    page.goto(f"{base_url}/")
    # A visitor meets the public front door; everything else is private until they log in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Change at work, tested and shared")
    if check_accessibility:  # axe needs JavaScript
        assert_accessible(page)
    page.get_by_role("banner").get_by_role("link", name="Log in").click()
    page.wait_for_url("**/accounts/login/**")
    if check_accessibility:
        assert_accessible(page)
    page.get_by_label("Email address").fill(f"{who}@{DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("who", ROLES)
def test_each_role_reaches_home_opens_a_workshop_and_downloads_its_ics(page, live_server, demo, who):
    log_in(page, live_server.url, who)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=ROLES[who])).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="My workshops").click()
    expect(page.get_by_role("heading", name="Your workshops")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Programmes").click()
    page.get_by_role("link", name="Shifting mindsets, shifting practice").click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Shared learning workshop for cohorts 1 and 2", exact=True).click()
    expect(page.get_by_role("heading", name="Shared learning workshop for cohorts 1 and 2")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    path = download_info.value.path()
    events = list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [
        "Shifting mindsets, shifting practice: Shared learning workshop for cohorts 1 and 2"
    ]


def test_lead_pages_and_a_form_error_are_accessible_with_the_keyboard(page, live_server, demo):
    log_in(page, live_server.url, "lead")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + reverse("cohorts:programme", args=["shifting-mindsets"]))
    expect(page.get_by_role("img", name="Programme timeline")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/cohorts/cohort-1/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/cohorts/cohort-1/edit/")
    capacity = page.get_by_label("Capacity")
    capacity.fill("2")
    capacity.press("Enter")  # submit from the keyboard
    summary = page.get_by_role("alert")
    assert "already has 5 participants" in summary.inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/cohorts/cohort-1/members/")
    assert_accessible(page)
    page.goto(live_server.url + reverse("cohorts:workshop_add", args=["shifting-mindsets"]))
    assert_accessible(page)


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"


def test_calendar_link_reset_is_swapped_in_place_with_htmx(page, live_server, demo):
    log_in(page, live_server.url, "gp")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + reverse("cohorts:my_calendar"))
    old = page.locator("#calendar-link code").inner_text()
    page.get_by_role("button", name="Get a new calendar link").click()
    page.get_by_text("You have a new calendar link.").wait_for()
    assert page.locator("#calendar-link code").inner_text() != old
    assert page.url == live_server.url + reverse("cohorts:my_calendar")
    assert_accessible(page)


def test_core_journey_works_without_javascript(page_without_js, live_server, demo):
    page = page_without_js
    log_in(page, live_server.url, "lead", check_accessibility=False)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Programme dashboard")).to_be_visible()
    page.goto(live_server.url + reverse("cohorts:my_calendar"))
    old = page.locator("#calendar-link code").inner_text()
    page.get_by_role("button", name="Get a new calendar link").click()
    page.wait_for_load_state()
    assert page.locator("#calendar-link code").inner_text() != old  # full-page fallback
    page.goto(f"{live_server.url}/cohorts/cohort-1/edit/")
    page.get_by_label("Capacity").fill("1")
    page.get_by_role("button", name="Save").click()
    assert "already has 5 participants" in page.get_by_role("alert").inner_text()
