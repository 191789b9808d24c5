"""The network's way in, in a real browser: a visitor finds the open call from the front door, expresses an
interest without JavaScript and confirms their address from the email; the lead finds them, shortlists them and
invites them into a recruiting cohort through the cohort's own invitation; they accept and are in. When the
lead closes the cohort they stay on as alumni, list themselves in the directory, and another member finds them
there and sends them a message, which reaches them by email with neither address in it. Axe passes on every
page on the way."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.home.demo import PROGRAMME_SLUG
from shiftpractice.network.models import Approach
from shiftpractice.programmes.models import Programme

from .conftest import assert_accessible
from .test_foundation_journeys import DOMAIN, log_in

pytestmark = [pytest.mark.browser]

VISITOR = "nadia.noor@example.org"


def link_in(message, pattern: str) -> str:
    return re.search(rf"(http://\S+{pattern}\S*/)", message.body).group(1)


def test_interest_confirmed_triaged_invited_and_accepted(page, page_without_js, live_server, demo):
    demo.SITE_URL = live_server.url
    base = live_server.url
    start = timezone.localdate() + timedelta(weeks=8)
    Cohort.objects.create(
        programme=Programme.objects.get(slug=PROGRAMME_SLUG),
        name="Spring cohort",
        slug="spring-cohort",
        start_date=start,
        end_date=start + timedelta(weeks=16),
        capacity=8,
        status="recruiting",
    )

    # A visitor, with JavaScript off, from the front door to the form.
    visitor = page_without_js
    visitor.goto(f"{base}/")
    visitor.get_by_role("link", name="Express an interest or offer to help").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Take part")
    visitor.get_by_role("link", name=re.compile("Express an interest in taking part")).click()
    visitor.get_by_label("Your name").fill("Nadia Noor")
    visitor.get_by_label("Email address").fill(VISITOR)
    visitor.get_by_label("Your job role").fill("Community pharmacist")
    visitor.get_by_label("Organisation").fill("High Street Pharmacy")
    visitor.get_by_label("Region").select_option(label="North West")
    visitor.get_by_label("What would you like to change at work?").fill(
        "Take-back of inhalers for recycling."
    )
    visitor.get_by_label("Which cohort would you like to join?").select_option(label="Spring cohort")
    # Forgetting the consent keeps every answer and says what is missing.
    visitor.wait_for_timeout(3200)  # a person takes longer than the form's least fill time
    visitor.get_by_role("button", name="Send").click()
    expect(visitor.get_by_role("alert")).to_contain_text("Tick the box")
    expect(visitor.get_by_label("Organisation")).to_have_value("High Street Pharmacy")
    visitor.get_by_label("The programme team may contact me about this").check()
    visitor.get_by_role("button", name="Send").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert Approach.objects.get(email=VISITOR).status == "unconfirmed"

    visitor.goto(link_in(mail.outbox[-1], "/network/confirm/"))
    visitor.get_by_role("button", name="Confirm my email address").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Thank you")

    # The lead triages it.
    log_in(page, base, "lead")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/programmes/{PROGRAMME_SLUG}/")
    page.get_by_role("link", name="Expressions of interest and offers of help").click()
    expect(page.get_by_role("link", name="Nadia Noor")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Region").select_option(label="North West")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Nadia Noor").click()
    expect(page.get_by_text("Take-back of inhalers for recycling.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Shortlisted").check()
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("Nadia Noor: shortlisted.")).to_be_visible()
    page.get_by_label("Cohort").select_option(label="Spring cohort")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation to Spring cohort is on its way to {VISITOR}")).to_be_visible()
    expect(page.get_by_text("not accepted yet")).to_be_visible()
    assert_accessible(page)

    # They accept the cohort's invitation and are in.
    visitor.goto(link_in(mail.outbox[-1], "/invitations/"))
    visitor.get_by_label("Full name").fill("Nadia Noor")
    visitor.get_by_label("Create a password").fill("a-long-and-unusual-passphrase")
    visitor.get_by_label("Type the password again").fill("a-long-and-unusual-passphrase")
    visitor.get_by_label("I accept the programme's sharing terms").check()
    visitor.get_by_role("button", name="Create my account").click()
    visitor.wait_for_url(f"{base}/")
    assert Membership.objects.filter(
        user__email=VISITOR, cohort__slug="spring-cohort", role="participant"
    ).exists()
    page.reload()
    expect(page.get_by_text(re.compile("accepted \\d+"))).to_be_visible()

    # The lead closes the cohort: Nadia stays, as an alumna, and lists herself in the directory.
    page.goto(f"{base}/cohorts/spring-cohort/close/")
    page.get_by_role("button", name="Yes, close the cohort").click()
    expect(page.get_by_text("Spring cohort is closed.")).to_be_visible()
    visitor.get_by_role("link", name="Network").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Network directory")
    visitor.get_by_role("link", name="Add your entry").click()
    visitor.get_by_label("List me in the directory").check()
    visitor.get_by_label("What I have worked on").fill(
        "Take-back of inhalers for recycling at the pharmacy counter."
    )
    visitor.get_by_label("Ecology").check()
    visitor.get_by_label("Share a case study of change in your workplace").check()
    visitor.get_by_role("button", name="Save").click()
    expect(visitor.get_by_text("You are listed in the directory.")).to_be_visible()

    # Another member (a GP from the pilot, listed in the demo) finds her and writes.
    gp = page.context.browser.new_context(bypass_csp=True).new_page()  # (bypass: axe is injected)
    log_in(gp, base, "gp", check_accessibility=False)
    gp.wait_for_url(f"{base}/")
    gp.goto(f"{base}/network/directory/")
    gp.get_by_label("Name, work or topic").fill("inhalers")
    gp.get_by_label("Alumni only").check()
    gp.get_by_role("button", name="Find people").click()
    assert_accessible(gp)
    gp.get_by_role("link", name="Nadia Noor").click()
    expect(gp.get_by_text("Alumni", exact=True)).to_be_visible()
    assert_accessible(gp)
    gp.get_by_role("link", name="Send a message").click()
    gp.get_by_label("Your message").fill("We run an inhaler take-back too: shall we compare notes?")
    gp.get_by_role("button", name="Send message").click()
    expect(gp.get_by_text("Your message is on its way to Nadia Noor.")).to_be_visible()
    relayed = mail.outbox[-1]
    assert relayed.to == [VISITOR]
    assert "compare notes" in relayed.body
    assert VISITOR not in relayed.body and f"gp@{DOMAIN}" not in relayed.body
    gp.context.close()
