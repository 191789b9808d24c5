"""Most significant change in a real browser: the lead adds a domain; a participant writes their story; the lead
opens a cohort selection round with a critical friend on the panel; the critical friend reads the story without
its author's name and chooses it with reasons; the lead closes the round; the participant is told and reads the
results. Axe passes on every page."""

import re

import pytest
from playwright.sync_api import expect

from shiftpractice.msc.models import Round

from .conftest import assert_accessible
from .test_coaching_journey import log_out
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]

SLUG = "shifting-mindsets"
DOMAIN_NAME = "Changes in how I lead"  # a domain the demo does not have
TITLE = "Greener inhalers, better technique"
REASONS = "A habit any prescriber could change tomorrow, with patients in the decision."


def test_a_story_is_written_chosen_by_the_panel_and_its_results_sent_back(page, live_server, demo):
    demo.SITE_URL = live_server.url
    base = live_server.url

    # The lead defines a domain.
    log_in(page, base, "lead")
    page.goto(f"{base}/significant-change/{SLUG}/domains/")
    assert_accessible(page)
    page.get_by_label("Name").fill(DOMAIN_NAME)
    page.get_by_role("button", name="Add domain").click()
    expect(page.get_by_text(f"Domain “{DOMAIN_NAME}” added.")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # A participant of cohort 1 writes their story, without their name for the panel.
    log_in(page, base, "gp", check_accessibility=False)
    page.goto(f"{base}/significant-change/{SLUG}/")
    assert_accessible(page)
    page.get_by_role("link", name="Your stories").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Write your story in {DOMAIN_NAME}").click()
    assert_accessible(page)
    page.get_by_label("A title for your story").fill(TITLE)
    page.get_by_label(re.compile("most significant change")).fill(
        "I asked every asthma patient at review whether a dry powder inhaler would suit them."
    )
    page.get_by_label("Why is this change significant to you?").fill("Small choices add up.")
    page.get_by_role("button", name="Save your story").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()  # consent is needed
    assert_accessible(page)
    page.get_by_label(re.compile("I agree that a selection panel")).check()
    page.get_by_role("button", name="Save your story").click()
    expect(page.get_by_text(TITLE)).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # The lead opens a round for cohort 1 with a critical friend on the panel.
    log_in(page, base, "lead", check_accessibility=False)
    page.goto(f"{base}/significant-change/{SLUG}/rounds/")
    assert_accessible(page)
    page.get_by_role("button", name="Open a selection round").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Cohort 1 panel")
    page.get_by_label("Cohort (optional)").select_option(label="Cohort 1")
    page.get_by_label("Margaret Doyle").check()
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohort 1 panel")
    assert_accessible(page)
    round_ = Round.objects.get(title="Cohort 1 panel")
    log_out(page)

    # The critical friend reads the story as "Story A" and chooses it.
    log_in(page, base, "friend1", check_accessibility=False)
    page.goto(f"{base}/significant-change/{SLUG}/rounds/")
    page.get_by_role("link", name="Open the round Cohort 1 panel").click()
    expect(page.get_by_role("heading", name=re.compile(f"Story A: {TITLE}"))).to_be_visible()
    expect(page.get_by_text("Storyteller not named")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Choose story A in {DOMAIN_NAME}").click()
    assert_accessible(page)
    page.get_by_label("Why the panel chose this story").fill(REASONS)
    page.get_by_role("button", name="Choose this story").click()
    expect(page.get_by_text(f"Chosen in “{DOMAIN_NAME}”")).to_be_visible()
    log_out(page)

    # The lead closes the round: the storytellers are told.
    log_in(page, base, "lead", check_accessibility=False)
    page.goto(f"{base}/significant-change/rounds/{round_.public_id}/")
    page.get_by_role("button", name="Close the round and send the results").click()
    assert_accessible(page)
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Cohort 1 panel")
    log_out(page)

    # The participant finds the news and reads the result with the panel's reasons.
    log_in(page, base, "gp", check_accessibility=False)
    page.goto(f"{base}/notifications/")
    page.get_by_role("button", name=re.compile("choices in “Cohort 1 panel”")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Cohort 1 panel")
    expect(page.get_by_text(REASONS)).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assert_accessible(page)
