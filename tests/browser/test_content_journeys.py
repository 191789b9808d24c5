"""The model in a real browser: a lead drafts v3 from the current version, changes a lens, reads the diff and
publishes; an anonymous visitor reads the model, a lens and the attribution page. axe checks every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from shiftpractice.home.demo import DEMO_PASSWORD, DOMAIN

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser]


def test_lead_drafts_v3_changes_a_lens_reads_the_diff_and_publishes(page, live_server, demo):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(f"lead@{DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/model/versions/")
    expect(page.get_by_role("link", name="v2 after reflections", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Draft a new version from v2 after reflections").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("v3 after shared learning")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", name="v3 after shared learning", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Edit lens: Resilience").click()
    assert_accessible(page)
    questions = page.get_by_label("Key questions")
    questions.fill(
        questions.input_value() + "\nWhich relationships would still hold if funding stopped tomorrow?"
    )
    page.get_by_label("What changed in this item").fill(
        "A question on relationships, from the shared workshop."
    )
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("Saved Resilience as lens.resilience@2")).to_be_visible()

    page.get_by_role("link", name="Check and publish v3 after shared learning").click()
    expect(page.get_by_text("Write what changed and why before publishing.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish v3 after shared learning").click()
    expect(
        page.get_by_role("alert").get_by_text("Write what changed and why")
    ).to_be_visible()  # nothing published
    assert_accessible(page)
    page.get_by_role("link", name="Back to the draft").click()
    page.get_by_role("link", name="Change the name, date or change note").click()
    page.get_by_label("What changed and why").fill(
        "The resilience lens asks about relationships, after cohorts 1 and 2 met."
    )
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="See every change against v2 after reflections").click()
    expect(
        page.get_by_text("Which relationships would still hold if funding stopped tomorrow?")
    ).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Check and publish v3 after shared learning").click()
    page.get_by_role("button", name="Publish v3 after shared learning").click()
    expect(page.get_by_text("is published").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}/model/lenses/resilience/")
    expect(
        page.get_by_text("Which relationships would still hold if funding stopped tomorrow?")
    ).to_be_visible()
    page.goto(f"{base}/cohorts/cohort-1/")
    expect(page.get_by_role("link", name="v1 pilot")).to_be_visible()  # cohort 1 keeps the version it used
    page.goto(base + reverse("cohorts:programme", args=["shifting-mindsets"]))
    expect(page.get_by_role("heading", name="Versions of the model")).to_be_visible()
    assert_accessible(page)


def test_anonymous_visitor_reads_the_model_a_lens_and_the_sources(page, live_server, demo):
    base = live_server.url
    page.goto(f"{base}/model/")
    expect(page.get_by_role("heading", name="The activist workplace change model")).to_be_visible()
    expect(page.get_by_role("img", name="The pillars and lenses of the model")).to_be_visible()
    expect(page.get_by_role("heading", name="The picture in words")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Systems", exact=True).first.click()
    expect(page.get_by_role("heading", name="Systems", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Key questions")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    expect(
        page.get_by_text("Who sees this problem differently from you")
    ).to_be_visible()  # v2, the current version
    assert_accessible(page)

    page.goto(f"{base}/model/attribution/")
    expect(page.get_by_role("heading", name="Sources and licences")).to_be_visible()
    expect(page.get_by_text("Mortimer F, Isherwood J").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}/model/versions/v1-pilot/")
    assert_accessible(page)
    page.goto(f"{base}/model/versions/v2-after-reflections/changes/")
    expect(page.get_by_text("Who sees this problem differently from you")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/model/versions/v1-pilot/items/instrument.ihi-progress-scale/")
    assert_accessible(page)
