"""Running a cohort without the admin site, in a real browser (issue 14): the lead creates cohort 3 and a
workshop with an uploaded material, invites a participant, withdraws and resends the invitation; the participant
joins (seeing the sharing terms), starts a project and pastes 20 data points into its outcome measure; the lead
finds it in the portfolio with its sparkline and filters it by "no activity for 21 days". axe checks every page on
the way."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from shiftpractice.home.demo import PROGRAMME_SLUG
from shiftpractice.measures import services as measure_services
from shiftpractice.measures.models import DataPoint
from shiftpractice.projects.models import ChangeProject

from .conftest import assert_accessible
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]

NEWCOMER = "cohort3.starter@example.org"
PASSPHRASE = "a-long-and-unusual-passphrase"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def link_in(message) -> str:
    return re.search(r"(http://\S+/invitations/\S+/)", message.body).group(1)


def test_lead_sets_up_cohort_3_and_finds_the_new_project_in_the_portfolio(page, live_server, demo, tmp_path):
    demo.SITE_URL = live_server.url
    demo.MEDIA_ROOT = tmp_path
    base = live_server.url
    log_in(page, base, "lead")
    page.wait_for_url(f"{base}/")
    assert_accessible(page)  # the home page with the lead's inbox

    # Cohort 3
    page.goto(base + reverse("cohorts:programme", args=[PROGRAMME_SLUG]))
    page.get_by_role("link", name="Add a cohort").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Cohort 3")
    page.get_by_label("Start date").fill("2031-01-12")
    page.get_by_label("End date").fill("2031-06-30")
    page.get_by_label("Capacity").fill("12")
    page.get_by_label("Status").select_option("recruiting")
    page.get_by_label("Coaches' email addresses").fill("coach1@shiftpractice.example")
    page.get_by_role("button", name="Create the cohort").click()
    page.get_by_text("Cohort 3 created").wait_for()
    assert_accessible(page)
    members_url = page.url

    # A workshop for it, with an uploaded handout
    page.goto(base + reverse("cohorts:workshop_add", args=[PROGRAMME_SLUG]))
    page.get_by_label("Number").fill("1")
    page.get_by_label("Title", exact=True).fill("Cohort 3, workshop 1")
    page.get_by_label("Starts (UK time)").fill("2031-01-20T10:00")
    page.get_by_label("Ends (UK time)").fill("2031-01-20T13:00")
    page.get_by_label("Cohort 3").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Cohort 3, workshop 1").wait_for()
    page.get_by_role("link", name="Add a link or a file").click()
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Welcome pack")
    handout = tmp_path / "welcome-pack.pdf"
    handout.write_bytes(PDF)
    page.get_by_label("File").set_input_files(str(handout))
    page.get_by_role("button", name="Add the material").click()
    page.get_by_text("“Welcome pack” added to the workshop").wait_for()
    expect(page.get_by_role("heading", name="Attendance")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Welcome pack", exact=True).click()
    assert download.value.suggested_filename == "welcome-pack.pdf"

    # Invite, withdraw, send again
    page.goto(members_url)
    page.get_by_label("Email address", exact=True).fill(NEWCOMER)
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text(f"Invitation to {NEWCOMER} is on its way").wait_for()
    first_link = link_in(mail.outbox[-1])
    page.get_by_role("link", name=f"Withdraw the invitation to {NEWCOMER}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, withdraw it").click()
    page.get_by_text(f"The invitation to {NEWCOMER} is withdrawn").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name=f"Send a new invitation to {NEWCOMER}").click()
    page.get_by_text(f"A new invitation to {NEWCOMER} is on its way").wait_for()
    assert_accessible(page)
    second_link = link_in(mail.outbox[-1])
    assert second_link != first_link

    # The participant joins with the new link (the old one is dead) and starts a project
    joiner = page.context.browser.new_context(bypass_csp=True).new_page()
    joiner.goto(first_link)
    assert "withdrawn" in joiner.content()
    joiner.goto(second_link)
    expect(joiner.get_by_role("heading", name="The programme's sharing terms")).to_be_visible()
    assert_accessible(joiner)
    joiner.get_by_label("Full name").fill("Tess Third")
    joiner.get_by_label("Create a password").fill(PASSPHRASE)
    joiner.get_by_label("Type the password again").fill(PASSPHRASE)
    joiner.get_by_label("I accept the programme's sharing terms").check()
    joiner.get_by_role("button", name="Create my account").click()
    joiner.wait_for_url(f"{base}/")
    joiner.goto(base + reverse("projects:create"))
    joiner.get_by_label("Project title").fill("Social prescribing for carers")
    joiner.get_by_role("button", name="Start the project").click()
    joiner.get_by_role("heading", name="Social prescribing for carers").wait_for()

    # An outcome measure (made through the measures service here: adding one is the measures journey), then
    # the participant pastes twenty months of data into it: first with a slip, which the preview names
    project = ChangeProject.objects.get(title="Social prescribing for carers")
    measure = measure_services.measure_create(
        project=project,
        name="Carers referred",
        measure_type="outcome",
        data_kind="count",
        actor=project.owner,
    )
    joiner.goto(base + measure.get_absolute_url())
    joiner.get_by_role("link", name="Paste many periods at once").click()
    expect(joiner.get_by_role("heading", name="Paste data into Carers referred")).to_be_visible()
    assert_accessible(joiner)
    values = [str(5 + month % 4) for month in range(20)]
    joiner.get_by_label("Values, one period a line").fill(
        "\n".join(["Referrals", *values[:3], "seven", *values[4:]])
    )
    joiner.get_by_label("Period of the first row").fill("2029-01-01")
    joiner.get_by_role("button", name="Check").click()
    expect(joiner.get_by_role("alert")).to_contain_text("1 problem in what you pasted")
    expect(joiner.get_by_text("“seven” is not a number")).to_be_visible()
    assert_accessible(joiner)
    joiner.get_by_label("Values, one period a line").fill("\n".join(["Referrals", *values]))
    joiner.get_by_role("button", name="Check again").click()
    expect(joiner.get_by_role("status")).to_contain_text("Checked: 20 rows")
    expect(joiner.get_by_text("read as column names and not saved")).to_be_visible()
    assert_accessible(joiner)
    joiner.get_by_role("button", name="Save 20 periods").click()
    expect(joiner.get_by_text("Saved 20 periods: 20 new, 0 changed, 0 unchanged.")).to_be_visible()
    assert_accessible(joiner)
    joiner.context.close()
    assert DataPoint.objects.filter(measure=measure).count() == 20

    # The lead sees it in the portfolio (it is shared with the team only: the sharing terms let the lead read it)
    page.goto(base + reverse("home:portfolio", args=[PROGRAMME_SLUG]))
    expect(page.get_by_role("link", name="Social prescribing for carers")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Last 12 points of Carers referred"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Cohort").select_option(label="Cohort 3")
    page.get_by_role("button", name="Show projects").click()
    page.wait_for_url("**cohort=shifting-mindsets-cohort-3**")
    expect(page.get_by_role("link", name="Social prescribing for carers")).to_be_visible()
    page.get_by_label("Flag").select_option(label="No activity for 21 days")
    page.get_by_role("button", name="Show projects").click()
    page.wait_for_url("**flag=quiet**")
    expect(page.get_by_text("No project matches these filters")).to_be_visible()

    # Three quiet weeks later, the flag finds it
    weeks_ago = timezone.now() - timedelta(days=22)
    ChangeProject.objects.filter(pk=project.pk).update(updated_at=weeks_ago)
    DataPoint.objects.filter(measure=measure).update(updated_at=weeks_ago)
    type(measure).objects.filter(pk=measure.pk).update(
        updated_at=weeks_ago
    )  # its data version moves with them
    page.reload()
    expect(page.get_by_role("link", name="Social prescribing for carers")).to_be_visible()
    expect(page.locator("td strong.nhsuk-tag", has_text="No activity for 21 days")).to_be_visible()
    assert_accessible(page)


def test_the_set_up_and_membership_pages_are_accessible(page, live_server, demo):
    base = live_server.url
    log_in(page, base, "lead")
    page.wait_for_url(f"{base}/")
    page.goto(base + reverse("programmes:list"))
    page.get_by_role("link", name="Set up a programme").click()
    assert_accessible(page)
    page.get_by_role("button", name="Set up the programme").click()  # nothing filled in: the error summary
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.goto(base + reverse("cohorts:programme", args=[PROGRAMME_SLUG]))
    page.get_by_role("link", name="Leads", exact=True).click()
    assert_accessible(page)
    page.goto(base + reverse("cohorts:members", args=["cohort-1"]))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Change role of")).first.click()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name=re.compile("^Remove ")).first.click()
    assert_accessible(page)
    page.goto(base + reverse("cohorts:close", args=["cohort-1"]))
    assert_accessible(page)
