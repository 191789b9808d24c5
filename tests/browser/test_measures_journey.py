"""A demo participant adds a measure, uploads a CSV, sees the chart with a shift explained in words and
their PDSA cycle marked, and opens the data table; axe on every page."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]


def weekly_csv() -> bytes:
    """24 weeks of walking-group sign-ups: steady, then higher from the first PDSA cycle (8 Nov 2021)."""
    start = date(2021, 8, 2)
    before = [3, 4, 2, 3, 5, 3, 4, 3, 2, 4, 3, 4, 3, 4]
    after = [9, 8, 10, 9, 11, 10, 9, 10, 11, 10]
    rows = ["period,value,note"]
    for i, v in enumerate(before + after):
        note = "Letters went out" if i == len(before) else ""
        rows.append(f"{start + timedelta(weeks=i)},{v},{note}")
    return ("\n".join(rows) + "\n").encode()


def test_participant_imports_data_and_reads_the_chart(page, live_server, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    log_in(page, base, "physio")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/projects/")
    page.get_by_role("link", name="Walking groups for people waiting for knee physiotherapy").first.click()
    page.wait_for_url(re.compile(r"/projects/[0-9a-f-]{36}/$"))
    project_url = page.url
    assert_accessible(page)

    page.get_by_role("link", name="Add a measure").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Walking group sign-ups")
    page.get_by_role("radio", name="Outcome").check()
    page.get_by_label("Operational definition").fill("People signing up at the clinic desk each week")
    page.get_by_role("radio", name="Continuous value (a measurement or average)").check()
    page.get_by_role("radio", name="Higher is better").check()
    page.get_by_label("Frequency").select_option(label="Weekly")
    page.get_by_role("button", name="Add the measure").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Walking group sign-ups")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Import data from a CSV or Excel file").click()
    assert_accessible(page)
    page.get_by_label("CSV or Excel file").set_input_files(
        {"name": "signups.csv", "mimeType": "text/csv", "buffer": weekly_csv()}
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    assert "24 new" in page.content() and "Nothing has been saved yet" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Import 24 rows").click()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", name="Walking group sign-ups")).to_be_visible()
    chart = page.get_by_role("img", name="XmR chart (NHS Making Data Count): Walking group sign-ups")
    expect(chart).to_be_visible()
    body = page.content()
    assert "Shift (7 or more points in a row on one side of the mean)" in body
    assert "this is an improvement" in body
    # The wide chart (the page also holds the narrow one phones show instead: measures/narrow.py).
    assert page.locator(".sp-chart-figure svg.sp-chart .sp-pdsa[data-cycle='1']").count() == 1
    assert page.locator(".sp-chart-figure svg.sp-chart .sp-point--improvement").count() >= 7
    expect(page.get_by_role("link", name="PDSA 1: Waiting-list letter")).to_be_visible()
    page.get_by_text("The chart as a table").click()
    table = page.get_by_role("table", name="Walking group sign-ups: data, centre line, limits and signals")
    expect(table).to_be_visible()
    expect(table.get_by_role("cell", name="Letters went out")).to_be_visible()
    assert_accessible(page)

    page.goto(project_url)
    expect(page.get_by_role("link", name="Walking group sign-ups")).to_be_visible()
    assert "New signal on the latest data" in page.content()
    assert_accessible(page)
