"""The evaluation in a real browser, axe on every page: a critical friend comments on and agrees an indicator,
the lead locks the plan and the milestone shows it, a participant answers the open survey with the keyboard
only, and the lead reads the aggregate with its chart."""

import pytest
from playwright.sync_api import expect

from shiftpractice.evaluation import services
from shiftpractice.evaluation.choices import IndicatorKind
from shiftpractice.evaluation.models import EvaluationPlan, Response
from shiftpractice.programmes.models import Milestone

from .conftest import assert_accessible
from .test_coaching_journey import log_out, submit
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]

NEW_INDICATOR = "Coaching contacts per participant"


def _reopen_the_demo_plan():
    """The demo's plan is agreed and locked; open it again with one new proposed indicator, so the journey can
    agree and lock it (the milestone goes back to planned)."""
    plan = EvaluationPlan.objects.select_related("programme").get()
    milestone = plan.milestone
    EvaluationPlan.objects.filter(pk=plan.pk).update(locked_at=None, locked_by=None, milestone=None)
    Milestone.objects.filter(pk=milestone.pk).update(status="planned", evidence="")
    plan.refresh_from_db()
    lead = plan.programme.leads.order_by("id").first()
    indicator = services.indicator_create(
        plan=plan,
        actor=lead,
        name=NEW_INDICATOR,
        definition="Support contacts logged by coaches, per participant, by the end of each cohort.",
        kind=IndicatorKind.PLATFORM_COUNT,
        platform_count="coaching_contacts",
        source="Coaching records",
        collected_when="End of each cohort",
        success_criterion="At least four contacts each.",
        question=plan.questions.first(),
    )
    services.indicator_propose(indicator=indicator, actor=lead)


def _answer_with_the_keyboard(page) -> int:
    """From the consent box to the submit button with Tab, Space, arrows and typing only; returns answers given."""
    page.get_by_label("I have read how my answers are used").focus()
    page.keyboard.press("Space")
    given = 0
    for _ in range(200):
        page.keyboard.press("Tab")
        active = page.evaluate(
            "() => ({tag: document.activeElement.tagName, type: document.activeElement.type || '', "
            "name: document.activeElement.name || '', value: document.activeElement.value || ''})"
        )
        if active["name"] == "action" and active["value"] == "submit":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return given
        if active["type"] == "radio":
            # Arrow keys move through a group and choose as they go.
            for _ in range(1 + given % 3):
                page.keyboard.press("ArrowRight")
            given += 1
        elif active["tag"] == "TEXTAREA":
            page.keyboard.type("The walking group pilot, and my coach.")
            given += 1
    raise AssertionError("never reached the submit button with Tab")


def test_friend_agrees_lead_locks_participant_answers_lead_reads_results(page, live_server, demo):
    base = live_server.url
    _reopen_the_demo_plan()

    # A critical friend finds the indicator awaiting them on their home page, comments and agrees.
    log_in(page, base, "friend1")
    page.wait_for_url(f"{base}/")
    assert_accessible(page)
    page.get_by_role("link", name=NEW_INDICATOR).first.click()
    assert_accessible(page)
    page.get_by_label("Your comment").fill("Count telephone and video contacts alike.")
    submit(page, "Add comment")
    assert "Comment added." in page.content()
    submit(page, "I agree this indicator")
    assert "Your agreement is recorded." in page.content()
    expect(page.get_by_text("Agreed", exact=True).first).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # The lead locks the plan; the milestone shows it with a link.
    log_in(page, base, "lead", check_accessibility=False)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Evaluation plan of Shifting mindsets, shifting practice").click()
    assert_accessible(page)
    page.get_by_role("link", name="Lock the plan").click()
    assert_accessible(page)
    assert page.get_by_label("Milestone this completes").input_value()  # the indicators milestone, chosen
    submit(page, "Lock the plan")
    assert "The plan is locked." in page.content()
    assert_accessible(page)
    page.goto(f"{base}/programmes/")
    page.get_by_role("link", name="Shifting mindsets, shifting practice").first.click()
    item = page.locator("li", has_text="Evaluation indicators set")
    assert "Done" in item.inner_text() and "/evaluation/shifting-mindsets/plan/" in item.inner_text()
    assert_accessible(page)
    log_out(page)

    # A participant answers cohort 2's open baseline survey with the keyboard only.
    log_in(page, base, "physio", check_accessibility=False)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Cohort 2: baseline survey").click()
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    assert_accessible(page)
    given = _answer_with_the_keyboard(page)
    assert given >= 16
    assert "your answers are submitted" in page.content(), page.locator(
        ".nhsuk-error-summary"
    ).all_inner_texts()
    assert_accessible(page)  # their own answers page
    response = Response.objects.get(
        respondent__email="physio@shiftpractice.example", window__label="baseline"
    )
    assert response.status == "submitted" and response.scores["instrument.gse"]["total"] is not None
    log_out(page)

    # The lead reads the programme's aggregate with its chart, table and limits.
    log_in(page, base, "lead", check_accessibility=False)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="results").first.click()
    page.get_by_label("Compare", exact=True).select_option("baseline-end")
    submit(page, "Show results")
    expect(page.get_by_text("10 people answered both times").first).to_be_visible()
    chart = page.get_by_role("img", name="Baseline and End compared")
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name="Paired results, baseline to end")).to_be_visible()
    assert "no comparison group" in page.content()
    assert "significant" not in page.content().lower()
    assert_accessible(page)
