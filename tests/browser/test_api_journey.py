"""A participant makes an API token on their profile; a script (this test) sends 52 weekly data points with it
and the measure's page charts them; the participant then asks for a copy of their data and finds their journal in
the ZIP, and asks for their account to be erased. The API's docs page loads Swagger UI under the site's CSP. axe on
every new page."""

import io
import json
import re
import urllib.request
import zipfile
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]


def send(base: str, token: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 - the live server on this machine
        f"{base}/api/v1{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.loads(response.read())


def test_token_script_chart_and_export(page, live_server, demo, settings, tmp_path):
    from shiftpractice.accounts.models import User
    from shiftpractice.coaching.models import JournalEntry
    from shiftpractice.measures import services as measure_services
    from shiftpractice.projects.models import ChangeProject

    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    log_in(page, base, "physio", check_accessibility=False)
    page.wait_for_url(f"{base}/")
    physio = User.objects.get(email__startswith="physio@")
    project = ChangeProject.objects.filter(owner=physio).first()
    measure = measure_services.measure_create(
        project=project, name="Calls answered a week", measure_type="process", data_kind="count",
        frequency="week", actor=physio,
    )  # fmt: skip

    page.goto(f"{base}/accounts/profile/")
    page.get_by_role("link", name="Manage your API tokens").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Weekly upload")
    page.get_by_role("radio", name="Read and write").check()
    page.get_by_role("button", name="Make the token").click()
    token = page.get_by_label("Token").input_value()
    assert token.startswith("sp_")
    assert_accessible(page)

    start = date(2024, 1, 1)
    rows = [{"period": (start + timedelta(weeks=i)).isoformat(), "value": 20 + (i % 6)} for i in range(52)]
    assert send(base, token, f"/measures/{measure.public_id}/points/bulk", {"points": rows})["created"] == 52

    page.goto(f"{base}/measures/{measure.public_id}/")
    expect(
        page.locator("p", has_text="52 points from 1 January 2024 to 23 December 2024").first
    ).to_be_visible()

    page.goto(f"{base}/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}/accounts/profile/")
    page.get_by_role("link", name="Get a copy of your data").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ask for a copy of my data").click()
    expect(page.get_by_text("Ready to download", exact=True)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the ZIP").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    journal = json.loads(archive.read("shiftpractice-data/journal.json"))
    titles = set(JournalEntry.objects.filter(author=physio).values_list("title", flat=True))
    assert {e["title"] for e in journal} == titles
    measures = archive.read("shiftpractice-data/measures.csv").decode("utf-8-sig")
    assert measures.count("Calls answered a week") == 52

    # Last, the participant asks to be erased: their password, then a link by email to confirm.
    from shiftpractice.home.demo import DEMO_PASSWORD

    page.goto(f"{base}/accounts/profile/data/")
    page.get_by_role("link", name="Erase my account").click()
    expect(page.get_by_role("heading", name="Erase your account", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Email me a link to confirm").click()
    expect(page.get_by_text("We have sent an email to")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel the request")).to_be_visible()
    assert_accessible(page)
    # The link in the email (the worker has sent it: the outbox kept it sealed until then), then a change of mind.
    from django.core import mail

    sent = [
        m for m in mail.outbox if m.subject.startswith("Confirm that you want your shiftpractice account")
    ]
    link = re.search(r"/accounts/profile/data/erase/confirm/\S+/", sent[-1].body).group(0)
    page.goto(f"{base}{link}")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, erase my account").click()
    expect(page.get_by_text("Your account will be erased on").first).to_be_visible()
    page.get_by_role("button", name="Cancel the erasure").click()
    expect(page.get_by_text("Cancelled. Your account will not be erased.")).to_be_visible()
    page.goto(f"{base}{link}")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    assert_accessible(page)
