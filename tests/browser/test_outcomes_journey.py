"""An outcome from the field to the harvest, in a real browser: a participant records an outcome on their project;
the programme lead asks someone outside the programme to substantiate it; that person answers from the emailed
link with JavaScript off and no account; the link then refuses a second answer; the lead finds the outcome
agreed in the cohort's harvest. Axe passes on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from shiftpractice.home.demo import PROGRAMME_SLUG
from shiftpractice.outcomes.models import Outcome
from shiftpractice.projects.models import ChangeProject

from .conftest import assert_accessible
from .test_coaching_journey import log_out
from .test_foundation_journeys import DOMAIN, log_in

pytestmark = [pytest.mark.browser]

WHO = "The hospital's linen services team"
WHAT = (
    "Linen services now collect unused bed packs from the ward for re-use instead of sending them to laundry."
)


def test_an_outcome_is_recorded_substantiated_by_link_and_harvested(page, page_without_js, live_server, demo):
    demo.SITE_URL = live_server.url
    base = live_server.url
    project = ChangeProject.objects.filter(owner__email=f"ward-sister@{DOMAIN}").order_by("id").first()

    # The participant records an outcome on their project.
    log_in(page, base, "ward-sister", check_accessibility=False)
    page.goto(f"{base}/outcomes/project/{project.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes")
    assert_accessible(page)
    page.get_by_role("link", name="Record an outcome").click()
    assert_accessible(page)
    page.get_by_label("Who changed", exact=True).fill(WHO)
    page.get_by_label("Practice", exact=True).check()
    page.get_by_label("What changed", exact=True).fill(WHAT)
    page.get_by_label("When", exact=True).fill("September 2021")
    page.get_by_label("Where").fill("Acute medical unit")
    page.get_by_label("How the project contributed").fill("Our waste audit counted the unopened packs.")
    page.get_by_label("Why it matters").fill("Less laundering, water and energy for linen nobody used.")
    page.get_by_role("checkbox", name="Ecology", exact=True).check()
    page.get_by_role("checkbox", name=re.compile("^Carbon saved by projects")).check()
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("Outcome recorded.")).to_be_visible()
    expect(page.get_by_text("Not substantiated yet")).to_be_visible()
    assert_accessible(page)
    outcome = Outcome.objects.get(who_changed=WHO)
    assert outcome.lenses == ["ecology"] and outcome.indicators.count() == 1
    log_out(page)

    # The lead asks a person outside the programme who saw the change.
    log_in(page, base, "lead", check_accessibility=False)
    page.goto(f"{base}{outcome.get_absolute_url()}")
    assert_accessible(page)
    page.get_by_role("link", name="Ask someone outside the programme who saw it").click()
    assert_accessible(page)
    page.get_by_label("Their name").fill("Dev Patel")
    page.get_by_label("Their email address").fill("dev.patel@linen.example")
    page.get_by_label("Their role and organisation").fill("Linen services manager, the trust")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("We have emailed Dev Patel")).to_be_visible()
    log_out(page)

    # The outside person answers from the email, with JavaScript off and no account.
    message = next(m for m in mail.outbox if "dev.patel@linen.example" in m.to)
    link = re.search(r"(http://\S+/outcomes/substantiate/\S+/)", message.body).group(1)
    page.goto(link)  # axe needs JavaScript: the same page, checked in the other browser first
    expect(page.get_by_text(WHAT)).to_be_visible()
    assert_accessible(page)
    answerer = page_without_js
    answerer.goto(link)
    expect(answerer.get_by_role("heading", level=1)).to_have_text("Did this change happen as described?")
    answerer.get_by_label("I agree", exact=True).check()
    answerer.get_by_label("Comment").fill("We collect about forty packs a week from the ward now.")
    answerer.get_by_label("Your name").fill("Dev Patel")
    answerer.get_by_role("button", name="Send my answer").click()
    expect(answerer.get_by_role("heading", level=1)).to_have_text("Thank you")
    answerer.goto(link)
    expect(answerer.get_by_text("already been given")).to_be_visible()
    page.goto(link)
    assert_accessible(page)

    # The lead finds it agreed in the cohort's harvest.
    log_in(page, base, "lead", check_accessibility=False)
    page.goto(f"{base}/outcomes/programme/{PROGRAMME_SLUG}/?cohort={project.cohort.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome harvest")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=WHO))
    expect(row).to_contain_text("Agreed")
    page.get_by_label("Substantiation").select_option("agree")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name=WHO)).to_be_visible()
    assert_accessible(page)
