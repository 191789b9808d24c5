"""Removing and editing in a real browser: a driver is removed through its confirmation page with the keyboard
alone (and, without JavaScript, with clicks), and a change idea is edited and moved; axe checks every page."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from shiftpractice.coaching.services import discussions, journal
from shiftpractice.measures import services as measure_services
from shiftpractice.projects import services
from shiftpractice.projects.models import DriverNode
from tests.factories import PASSWORD

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser]


@pytest.fixture
def project(transactional_db, settings, world):
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
    add = services.driver_add
    staff = add(project=project, kind="primary", text="Staff know the offer", actor=owner)
    teach = add(project=project, kind="secondary", text="Teaching at handover", parent=staff, actor=owner)
    add(project=project, kind="change_idea", text="A map at assessment", parent=teach, actor=owner)
    add(project=project, kind="change_idea", text="A poster in the gym", parent=staff, actor=owner)
    add(project=project, kind="primary", text="Patients feel safe walking", actor=owner)
    return project


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Log in"))
    page.wait_for_url(f"{base}/")


def follow(page, locator) -> None:
    """Click a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def tab_to(page, text: str, *, limit: int = 150) -> None:
    """Press Tab until the focused element's text starts with ``text`` (as a keyboard user moves)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.textContent || '').replace(/\\s+/g, ' ').trim()"
        )
        if focused.startswith(text):
            return
    pytest.fail(f"Tab never reached “{text}”")


def test_a_driver_is_removed_through_its_confirmation_with_the_keyboard(page, live_server, project):
    base = live_server.url
    log_in(page, base, project.owner)
    page.goto(f"{base}/projects/{project.public_id}/drivers/")
    assert_accessible(page)

    tab_to(page, "Remove the primary driver “Staff know the offer”")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Remove the primary driver “Staff know the offer”?")
    ).to_be_visible()
    expect(page.get_by_text("also removes its 1 secondary driver and 2 change ideas")).to_be_visible()
    for text in ("Teaching at handover", "A map at assessment", "A poster in the gym"):
        expect(page.get_by_role("listitem").filter(has_text=text)).to_be_visible()
    assert DriverNode.objects.count() == 5  # looking changes nothing
    assert_accessible(page)

    tab_to(page, "Yes, remove it")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base}/projects/{project.public_id}/drivers/"
    expect(page.get_by_text("“Staff know the offer” removed, with the 3 boxes below it.")).to_be_visible()
    assert list(DriverNode.objects.values_list("text", flat=True)) == ["Patients feel safe walking"]
    assert_accessible(page)


def test_without_javascript_the_confirmation_removes_or_goes_back(page_without_js, live_server, project):
    page, base = page_without_js, live_server.url
    log_in(page, base, project.owner)
    page.goto(f"{base}/projects/{project.public_id}/drivers/")
    follow(page, page.get_by_role("link", name="Remove the change idea “A poster in the gym”"))
    follow(page, page.get_by_role("link", name="No, go back"))
    assert page.url == f"{base}/projects/{project.public_id}/drivers/"
    assert DriverNode.objects.filter(text="A poster in the gym").exists()
    follow(page, page.get_by_role("link", name="Remove the change idea “A poster in the gym”"))
    follow(page, page.get_by_role("button", name="Yes, remove it"))
    assert page.url == f"{base}/projects/{project.public_id}/drivers/"
    assert not DriverNode.objects.filter(text="A poster in the gym").exists()
    assert DriverNode.objects.count() == 4


def test_a_change_idea_is_edited_and_moved_keeping_what_was_typed(page, live_server, project):
    base = live_server.url
    log_in(page, base, project.owner)
    page.goto(f"{base}/projects/{project.public_id}/drivers/")
    follow(page, page.get_by_role("link", name="Edit the change idea “A map at assessment”"))
    expect(page.get_by_role("heading", name="Edit the change idea")).to_be_visible()
    assert page.get_by_label("Text").input_value() == "A map at assessment"
    assert_accessible(page)

    page.get_by_label("Hangs from").select_option(label="Primary driver: Patients feel safe walking")
    page.get_by_label("Text").fill("")
    follow(page, page.get_by_role("button", name="Save the change"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link", name="Enter the text of the driver or change idea")).to_be_visible()
    hangs_from = page.get_by_label("Hangs from")
    assert (
        hangs_from.evaluate("s => s.options[s.selectedIndex].text")
        == "Primary driver: Patients feel safe walking"
    )
    assert_accessible(page)

    page.get_by_label("Text").fill("A walking map handed out at assessment")
    follow(page, page.get_by_role("button", name="Save the change"))
    assert page.url.startswith(f"{base}/projects/{project.public_id}/drivers/#node-")
    idea = DriverNode.objects.get(text="A walking map handed out at assessment")
    under = page.locator(f"#node-{idea.parent.public_id} li").first.inner_text()  # the list under its driver
    assert under.startswith("Change idea: A walking map handed out at assessment")
    assert idea.parent.text == "Patients feel safe walking" and idea.kind == "change_idea"
    assert_accessible(page)


def test_every_confirmation_page_passes_axe(page, live_server, project):
    """One confirmation of each kind, as its author sees it: each is the shared page, checked by axe."""
    owner = project.owner
    social = services.social_impact_add(
        project=project, actor=owner, group="Carers", direction="gain", description="Less travel"
    )
    money = services.financial_impact_add(
        project=project, actor=owner, description="Fewer visits", annual_gbp=Decimal("1200")
    )
    person = services.stakeholder_save(
        project=project,
        actor=owner,
        name="Parks manager",
        power=4,
        interest=3,
        circle="influence",
        stance_now="neutral",
        stance_hoped="supporter",
    )
    measure = measure_services.measure_create(
        project=project, name="Walkers a month", measure_type="outcome", data_kind="count", actor=owner
    )
    measure_services.point_save(measure=measure, period=date(2025, 1, 1), value=4, actor=owner)
    thread = discussions.thread_start(
        board=discussions.board_for_cohort(project.cohort), title="Maps", body="Who prints them?", actor=owner
    )
    entry = journal.entry_create(author=owner, cohort=project.cohort, title="A good week", body="Words")
    pid = project.public_id
    pages = {
        f"/projects/{pid}/value/social/{social.public_id}/delete/": "Remove the social impact on “Carers”?",
        f"/projects/{pid}/value/financial/{money.public_id}/delete/": "Remove the financial impact “Fewer visits”?",
        f"/projects/{pid}/influence/{person.public_id}/delete/": "Remove Parks manager from the influence map?",
        f"/measures/{measure.public_id}/data/2025-01-01/delete/": "Delete the data point for 1 Jan 2025?",
        f"/coaching/discussions/posts/{thread.posts.get().public_id}/delete/": "Delete your post?",
        f"/coaching/journal/{entry.public_id}/delete/": "Delete your reflection “A good week”?",
    }
    log_in(page, live_server.url, owner)
    for path, heading in pages.items():
        page.goto(live_server.url + path)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert_accessible(page)
