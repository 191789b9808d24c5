"""The admin's JavaScript still works under the admin's own Content-Security-Policy, enforced by a real browser
(no bypass): the slug fills itself in from the name, the two-list picker and the search-as-you-type box are built,
and the browser reports no policy violation on any admin page visited."""

import pytest

from tests.factories import PASSWORD, CohortFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser]


@pytest.fixture
def enforcing_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # the policy applies
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []

    def on_console(message):
        # The browser asks for /favicon.ico by itself; the site has none, and that is not the admin's doing.
        if message.location.get("url", "").endswith("/favicon.ico"):
            return
        if "Content Security Policy" in message.text or message.type == "error":
            problems.append(f"{message.text} at {message.location.get('url')}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    yield page
    context.close()


def test_admin_javascript_runs_under_the_admin_policy(enforcing_page, live_server, transactional_db):
    page = enforcing_page
    staff = UserFactory(is_staff=True, is_superuser=True, email="staff@example.org")
    CohortFactory(programme=ProgrammeFactory(), name="Cohort A")

    response = page.goto(f"{live_server.url}/admin/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/cohorts/cohort/add/")
    page.fill("#id_name", "Spring cohort 2026")
    page.press("#id_name", "Tab")
    assert page.input_value("#id_slug") == "spring-cohort-2026"  # prepopulate.js and urlify.js ran

    page.goto(f"{live_server.url}/admin/cohorts/workshop/add/")
    page.wait_for_selector("#id_cohorts_from")  # SelectFilter2.js built the two-list picker
    assert page.locator("#id_cohorts_from option").count() >= 1

    page.goto(f"{live_server.url}/admin/cohorts/membership/add/")
    page.wait_for_selector(".select2-container")  # autocomplete.js and select2 ran
    page.click(".select2-container")
    page.wait_for_selector(".select2-search__field")

    assert page.problems == []
