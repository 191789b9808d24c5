"""A case study from draft to the public and back, in a real browser: a participant drafts one from their
project and names a team member; the lead approves it; the team member consents; the author consents and asks
their organisation to sign off; the organisation's named person signs off from the emailed link with JavaScript
off and no account; the lead publishes; an anonymous visitor finds it by searching the library and downloads its
PDF; the participant withdraws it and the visitor gets a "withdrawn" page. Axe passes on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from shiftpractice.projects import services as project_services
from shiftpractice.projects.models import ChangeProject
from shiftpractice.stories.models import CaseStudy

from .conftest import assert_accessible
from .test_coaching_journey import log_out
from .test_foundation_journeys import DOMAIN, log_in

pytestmark = [pytest.mark.browser]

LEARNT = "Commissioners listened once the walking groups' own numbers were on the table."


def test_a_case_study_is_drafted_consented_signed_off_published_found_and_withdrawn(
    page, page_without_js, live_server, demo
):
    demo.SITE_URL = live_server.url
    base = live_server.url
    author_email, mate_email = f"commissioner@{DOMAIN}", f"trust-manager@{DOMAIN}"
    project = ChangeProject.objects.filter(owner__email=author_email).order_by("id").first()
    mate = project.cohort.memberships.get(user__email=mate_email).user
    project_services.member_add(project=project, user=mate, actor=project.owner)

    # The participant drafts it from their project page.
    log_in(page, base, "commissioner")
    page.goto(f"{base}{project.get_absolute_url()}")
    page.get_by_role("link", name="Write a case study").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the case study").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(project.title)
    assert_accessible(page)
    page.get_by_role("link", name="Edit “What we learnt”").click()
    page.get_by_label("Text").fill(LEARNT)
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_text(LEARNT)).to_be_visible()
    page.get_by_role("link", name="Change the organisation").click()
    page.get_by_label("Organisation").fill("Vale Integrated Care Board")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Name your team").click()
    page.get_by_label(mate.full_name).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Ask for review").click()
    expect(page.get_by_text("Sent for review")).to_be_visible()
    case_study = CaseStudy.objects.get(project=project)
    working = f"{base}/stories/{case_study.public_id}/"
    log_out(page)

    # The lead approves it.
    log_in(page, base, "lead", check_accessibility=False)
    page.goto(working)
    assert_accessible(page)
    page.get_by_role("link", name="Approve or ask for changes").click()
    page.get_by_label("Approve for publication").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    log_out(page)

    # The team member reads the exact text and consents.
    log_in(page, base, "trust-manager", check_accessibility=False)
    page.goto(working)
    page.get_by_role("link", name="Give your answer").click()
    expect(page.locator("#exact-text")).to_contain_text(LEARNT)
    assert_accessible(page)
    page.get_by_label("I agree to publication").check()
    page.get_by_role("button", name="Record my answer").click()
    log_out(page)

    # The author consents, choosing the licence, and asks the organisation to sign off.
    log_in(page, base, "commissioner", check_accessibility=False)
    page.goto(working)
    page.get_by_role("link", name=re.compile("Give your answer")).click()
    page.get_by_label("I agree to publication").check()
    page.get_by_label("Licence").select_option("cc-by-4.0")
    page.get_by_role("button", name="Record my answer").click()
    page.get_by_role("link", name="Ask your organisation to sign off").click()
    assert_accessible(page)
    expect(page.get_by_label("Organisation")).to_have_value("Vale Integrated Care Board")
    page.get_by_label("Name of the person who signs off").fill("Rhian Evans")
    page.get_by_label("Their work email address").fill("rhian.evans@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("We have emailed Rhian Evans")).to_be_visible()
    log_out(page)

    # The organisation signs off from the email, without JavaScript and without an account.
    message = next(m for m in mail.outbox if "rhian.evans@example.org" in m.to)
    link = re.search(r"(http://\S+/stories/sign-off/\S+/)", message.body).group(1)
    signer = page_without_js
    signer.goto(link)
    expect(signer.locator("#exact-text")).to_contain_text(LEARNT)
    signer.get_by_label("I agree to publication").check()
    signer.get_by_label("Your full name").fill("Rhian Evans")
    signer.get_by_role("button", name="Send my answer").click()
    expect(signer.get_by_role("heading", level=1)).to_have_text("Thank you")
    signer.goto(link)
    expect(signer.get_by_text("used already")).to_be_visible()

    # The lead publishes.
    log_in(page, base, "lead", check_accessibility=False)
    page.goto(f"{working}publish/")
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: it is on the public site")).to_be_visible()
    public_url = page.url
    log_out(page)

    # A visitor finds it by searching the library, reads it and downloads its PDF.
    visitor = page
    visitor.goto(f"{base}/library/")
    assert_accessible(visitor)
    visitor.get_by_label("Search the library").fill("walking groups commissioners")
    visitor.get_by_role("button", name=re.compile("Search")).first.click()
    # Found by its words, and the library's other items are not: the search ran.
    expect(visitor.get_by_role("link", name=project.title).first).to_be_visible()
    expect(visitor.get_by_role("link", name="Run charts: seeing change over time")).to_have_count(0)
    visitor.get_by_role("link", name=project.title).first.click()
    assert_accessible(visitor)
    if "/library/items/" in visitor.url:  # the library's page for it links to the case study itself
        visitor.get_by_role("link", name=re.compile("Read the case study|case study", re.I)).first.click()
    expect(visitor.get_by_text(LEARNT)).to_be_visible()
    assert visitor.url == public_url
    assert_accessible(visitor)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Download the PDF").click()
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    # The participant withdraws it; the visitor's next look finds it withdrawn.
    log_in(page, base, "commissioner", check_accessibility=False)
    page.goto(working)
    page.get_by_role("link", name="Withdraw from publication").click()
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_text("Withdrawn: it is off every public page")).to_be_visible()
    log_out(page)
    response = page.goto(public_url)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This case study has been withdrawn")
    assert_accessible(page)
