"""The story PDF in a real browser when it has to be prepared: "Preparing your PDF" while the task worker draws
it, then the download, with JavaScript (the page asks by itself) and without (a link asks again)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from shiftpractice.projects import services
from tests.factories import PASSWORD

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser]


@pytest.fixture
def project(transactional_db, settings, world):
    settings.AXES_ENABLED = False
    # The real database queue: nothing is drawn until the worker runs.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    owner = world.people["participant"]
    return services.project_create(
        owner=owner, cohort=world.cohort, title="Walking groups for knee pain", actor=owner
    )


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_preparing_then_downloading_the_pdf(request, live_server, project, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    base = live_server.url
    log_in(page, base, project.owner)
    page.goto(f"{base}{project.get_absolute_url()}")
    page.get_by_role("link", name="Download the story as a PDF").click()
    expect(page.get_by_role("heading", name="Preparing your PDF")).to_be_visible()
    expect(page.get_by_role("status").get_by_text("waiting its turn")).to_be_visible()
    if javascript:
        assert_accessible(page)

    run_worker()
    if javascript:  # the page asked again by itself and offers the download
        download_link = page.get_by_role("status").get_by_role("link", name="Download the PDF")
        download_link.wait_for(timeout=15_000)
    else:
        download_link = page.get_by_role("link", name="Check again and download the PDF")
    with page.expect_download() as download:
        download_link.click()
    body = download.value.path().read_bytes()
    assert (
        body.startswith(b"%PDF") and download.value.suggested_filename == "walking-groups-for-knee-pain.pdf"
    )
    assert reverse("projects:pdf", args=[project.public_id]) in download.value.url
