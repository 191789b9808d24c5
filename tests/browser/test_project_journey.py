"""A demo participant's core journey: start a project, answer a lens, map a stakeholder, build the driver
diagram, run a PDSA cycle from plan to adopt, and see it all on the project page; axe on every page."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]


def submit(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_participant_runs_a_cycle_and_tells_the_story(page, live_server, demo):
    base = live_server.url
    log_in(page, base, "physio")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/projects/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a change project").click()
    assert_accessible(page)
    page.get_by_label("Project title").fill("Walking groups for knee pain")
    page.get_by_label("what will change").fill("More people with knee pain join a walking group")
    page.get_by_label("for whom").fill("people on the physiotherapy waiting list")
    page.get_by_label("by how much").fill("from 0 to 15 a month")
    page.get_by_label("by when").fill("2031-03-31")
    submit(page, "Start the project")
    expect(page.get_by_role("heading", name="Walking groups for knee pain")).to_be_visible()
    assert_accessible(page)
    project_url = page.url

    page.get_by_role("link", name="Look through the model's lenses").click()
    assert_accessible(page)
    page.get_by_role("link", name="Answer the Ecology lens").click()
    assert_accessible(page)
    page.locator("textarea").first.fill("Walks in the local park connect people with nature.")
    submit(page, "Save answers")
    assert "Your answers to the Ecology lens are saved." in page.content()

    page.goto(project_url)
    page.get_by_role("link", name="Influence map").click()
    page.get_by_label("Name").fill("Parks manager")
    page.get_by_label("Power (1 to 5)").fill("4")
    page.get_by_label("Interest (1 to 5)").fill("3")
    page.get_by_label("Influence: I can affect this through others").check()
    submit(page, "Add to the map")
    page.get_by_role("cell", name="Parks manager", exact=True).wait_for()  # htmx swaps the map in place
    assert_accessible(page)

    page.goto(project_url)
    page.get_by_role("link", name="driver diagram").click()
    page.get_by_role("radio", name="Primary driver").check()
    page.get_by_label("Text").fill("Patients know walking helps")
    submit(page, "Add")
    page.get_by_role("radio", name="Change idea").check()
    page.get_by_label("Text").fill("Hand out a walking map at assessment")
    page.get_by_label("Hangs from").select_option(label="Patients know walking helps")
    submit(page, "Add")
    expect(page.get_by_text("Hand out a walking map at assessment").first).to_be_visible()
    assert_accessible(page)

    page.goto(project_url)
    page.get_by_role("link", name="Plan a PDSA cycle").click()
    page.get_by_label("Title", exact=True).fill("Walking map for one week")
    page.get_by_label("Change idea").select_option(label="Hand out a walking map at assessment")
    page.get_by_label("Objective").fill("See whether patients take the map")
    page.get_by_label("Prediction").fill("Half of patients will take one")
    submit(page, "Save the plan")
    assert_accessible(page)
    submit(page, "Start doing the test")
    page.get_by_label("What happened").fill("We offered the map to 12 patients")
    submit(page, "Save")
    submit(page, "Move on to study the results")
    page.get_by_label("Results against the prediction").fill("9 of 12 took the map, more than predicted")
    page.get_by_label("What we learned").fill("Patients welcome it when it is offered in person")
    page.get_by_label("Adopt: make it the way we work").check()
    submit(page, "Save")
    submit(page, "Complete the cycle")
    assert "This cycle is complete" in page.content()
    assert_accessible(page)

    page.goto(project_url)
    body = page.content()
    assert "PDSA 1: Walking map for one week" in body and "Adopt: make it the way we work" in body
    assert "Parks manager" in body and "Walks in the local park" in body
    expect(page.get_by_role("img", name="Driver diagram")).to_be_visible()
    assert_accessible(page)
