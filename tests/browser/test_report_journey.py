"""An evaluation report from start to publication, in a real browser: the lead starts the interim report for
Cohort 2 with its milestone; a critical friend writes the commentary and judges an indicator; the lead publishes
it and downloads its PDF; a participant follows the milestone's link on the programme page to the published
version. Axe passes on every page. (The outcome and most significant change steps before it are journeys of
their own: test_outcomes_journey.py and test_msc_journey.py.)"""

from datetime import date

import pytest
from playwright.sync_api import expect

from shiftpractice.home.demo import PROGRAMME_SLUG
from shiftpractice.programmes.models import Milestone, Programme

from .conftest import assert_accessible
from .test_coaching_journey import log_out
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]

COMMENTARY = "Cohort 2 tested changes faster than Cohort 1, helped by the refined workshops."


def test_the_lead_publishes_an_interim_report_and_the_milestone_links_to_it(page, live_server, demo):
    demo.SITE_URL = live_server.url
    base = live_server.url
    programme = Programme.objects.get(slug=PROGRAMME_SLUG)
    Milestone.objects.create(
        programme=programme, title="Interim report for Cohort 2", due_date=date(2022, 2, 28)
    )

    # The lead starts the report from the list of the programme's reports.
    log_in(page, base, "lead", check_accessibility=False)
    page.goto(f"{base}/reports/programme/{PROGRAMME_SLUG}/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a report").click()
    page.get_by_label("Interim evaluation report (a cohort)").check()
    page.get_by_label("Cohort (for an interim report)").select_option(label="Cohort 2")
    page.get_by_label("Title").fill("Interim evaluation report: Cohort 2")
    page.get_by_label("Milestone it reaches").select_option(label="28 Feb 2022: Interim report for Cohort 2")
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interim evaluation report: Cohort 2")
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    assert_accessible(page)
    report_url = page.url
    log_out(page)

    # A critical friend writes the commentary.
    log_in(page, base, "friend1", check_accessibility=False)
    page.goto(report_url)
    page.get_by_role("link", name="Write “Critical friends' commentary”").click()
    assert_accessible(page)
    page.get_by_label("Text").fill(COMMENTARY)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(COMMENTARY)).to_be_visible()
    log_out(page)

    # The lead publishes it (the limitations are not written: the page says so) and downloads the PDF.
    log_in(page, base, "lead", check_accessibility=False)
    page.goto(report_url)
    page.get_by_role("link", name="Publish a version").click()
    expect(page.get_by_text("Limitations")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. Everyone in the programme is told")).to_be_visible()
    expect(page.get_by_text(COMMENTARY)).to_be_visible()
    assert_accessible(page)
    version_url = page.url
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    log_out(page)

    # A participant of the cohort finds it from the milestone on the programme page.
    log_in(page, base, "practice-nurse", check_accessibility=False)
    page.goto(f"{base}{programme.get_absolute_url()}")
    page.get_by_role("link", name="Interim evaluation report: Cohort 2, version 1").click()
    page.wait_for_url(version_url)
    expect(page.get_by_text(COMMENTARY)).to_be_visible()
    assert_accessible(page)
