"""The PDSA stage form in a real browser, with and without JavaScript: whichever button is pressed ("Save" or
the stage's move-on button), what was typed is still there; two people editing at once choose between both
versions instead of one silently replacing the other."""

import pytest
from playwright.sync_api import expect

from shiftpractice.projects import services
from tests.factories import PASSWORD

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser]


@pytest.fixture
def cycle(transactional_db, settings, world):
    settings.AXES_ENABLED = False  # several logins from one address are the test, not an attack
    owner = world.people["participant"]
    project = services.project_create(
        owner=owner,
        cohort=world.cohort,
        title="Walking groups for knee pain",
        actor=owner,
        aim_what="More people with knee pain walk",
        aim_by_when="2031-03-31",
    )
    return services.cycle_create(project=project, title="Walking map for one week", actor=owner)


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_each_stage_form_keeps_what_was_typed_whichever_button_is_pressed(
    request, live_server, cycle, javascript
):
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    base = live_server.url
    log_in(page, base, cycle.project.owner)
    page.goto(f"{base}{cycle.get_absolute_url()}")

    # Plan: the objective typed, the prediction forgotten, then the move-on button.
    page.get_by_label("Objective").fill("See whether patients take the map")
    page.get_by_label("Questions this test answers").fill("Do they ask about walks?")
    press(page, "Start doing the test")
    assert page.get_by_label("Objective").input_value() == "See whether patients take the map"
    assert page.get_by_label("Questions this test answers").input_value() == "Do they ask about walks?"
    expect(page.locator("#id_prediction-error")).to_be_visible()
    expect(page.get_by_role("link", name="Write your prediction before you start")).to_be_visible()
    if javascript:
        assert_accessible(page)
    page.get_by_label("Prediction").fill("Half of patients will take one")
    press(page, "Save")
    assert "Cycle saved." in page.content()
    assert page.get_by_label("Prediction").input_value() == "Half of patients will take one"
    press(page, "Start doing the test")
    assert "moved on to do" in page.content()

    # Do: an observation typed, what happened forgotten.
    page.get_by_label("Observations").fill("Reception was busy on Monday")
    press(page, "Move on to study the results")
    assert page.get_by_label("Observations").input_value() == "Reception was busy on Monday"
    expect(page.locator("#id_what_happened-error")).to_be_visible()
    page.get_by_label("What happened").fill("We offered the map to 12 patients")
    press(page, "Move on to study the results")
    assert "moved on to study" in page.content()

    # Study and act: the results typed, the rest forgotten, then "Complete the cycle".
    page.get_by_label("Results against the prediction").fill("9 of 12 took the map")
    press(page, "Complete the cycle")
    assert page.get_by_label("Results against the prediction").input_value() == "9 of 12 took the map"
    expect(page.locator("#id_learning-error")).to_be_visible()
    expect(page.locator("#id_decision-error")).to_be_visible()
    if javascript:
        assert_accessible(page)
    page.get_by_label("What we learned").fill("Patients welcome it in person")
    page.get_by_label("Adopt: make it the way we work").check()
    press(page, "Complete the cycle")
    assert "This cycle is complete" in page.content()
    assert "9 of 12 took the map" in page.content() and "Reception was busy on Monday" in page.content()


def test_two_people_editing_at_once_choose_between_both_versions(
    browser, page, page_without_js, live_server, cycle, world
):
    base = live_server.url
    url = f"{base}{cycle.get_absolute_url()}"
    coach = world.people["coach"]
    services.member_add(project=cycle.project, user=coach, actor=cycle.project.owner)
    first, second = page_without_js, page
    log_in(first, base, cycle.project.owner)
    log_in(second, base, coach)
    first.goto(url)
    second.goto(url)

    first.get_by_label("Objective").fill("Test the map at reception")
    press(first, "Save")
    second.get_by_label("Objective").fill("Test the map in clinic")
    second.get_by_label("Tasks: who, what, when, where").fill("Sam prints 50 maps")
    press(second, "Save")

    body = second.content()
    assert "Someone else saved this cycle while you were editing it" in body
    assert "Test the map at reception" in body  # theirs, shown
    assert second.get_by_label("Objective").input_value() == "Test the map in clinic"  # mine, kept
    assert second.get_by_label("Tasks: who, what, when, where").input_value() == "Sam prints 50 maps"
    assert_accessible(second)
    press(second, "Save")  # without choosing
    expect(second.get_by_role("link", name="Choose which version of “Objective” to keep")).to_be_visible()
    second.get_by_label("Keep mine, as it is below").check()
    press(second, "Save")
    assert "Cycle saved." in second.content()

    first.goto(url)
    assert first.get_by_label("Objective").input_value() == "Test the map in clinic"
    assert first.get_by_label("Tasks: who, what, when, where").input_value() == "Sam prints 50 maps"
    first.get_by_text("History of changes").click()
    history = first.locator("details").inner_text()
    assert "Test the map at reception" in history and "Test the map in clinic" in history
