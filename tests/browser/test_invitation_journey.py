"""Invitation and password reset in a real browser: the lead invites someone (and cannot invite them twice),
the email goes through the outbox, the new person joins from the link without JavaScript, and later resets
their password by email, which also works without JavaScript."""

import re

import pytest
from django.core import mail

from .conftest import assert_accessible
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]

NEW_PERSON = "new.starter@example.org"
PASSPHRASE = "a-long-and-unusual-passphrase"


def link_in(message, pattern: str) -> str:
    return re.search(rf"(http://\S+{pattern}\S*/)", message.body).group(1)


def test_invite_join_and_reset_a_password_end_to_end(page, page_without_js, live_server, demo):
    demo.SITE_URL = live_server.url  # the links in the emails point at this server
    log_in(page, live_server.url, "lead")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cohorts/cohort-1/members/")
    page.get_by_label("Email address", exact=True).fill(NEW_PERSON)
    page.locator("input[name='invite-role'][value='coach']").check()
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text(f"Invitation to {NEW_PERSON} is on its way").wait_for()
    assert "Email sent" in page.content()
    assert_accessible(page)

    # A second invitation while the first is live is refused, clearly, and nothing is sent.
    page.get_by_label("Email address", exact=True).fill(NEW_PERSON.upper())
    page.locator("input[name='invite-role'][value='coach']").check()
    page.get_by_role("button", name="Send invitation").click()
    assert "already has an invitation" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    assert [m.to for m in mail.outbox] == [[NEW_PERSON]]

    joiner = page_without_js
    joiner.goto(link_in(mail.outbox[0], "/invitations/"))
    joiner.get_by_label("Full name").fill("Nia New")
    joiner.get_by_label("Create a password").fill(PASSPHRASE)
    joiner.get_by_label("Type the password again").fill(PASSPHRASE)
    joiner.get_by_label("I accept the programme's sharing terms").check()
    joiner.get_by_role("button", name="Create my account").click()
    joiner.wait_for_url(f"{live_server.url}/")
    joiner.get_by_role("button", name="Log out").click()

    joiner.goto(f"{live_server.url}/accounts/password/reset/")
    joiner.locator("input[name='email']").fill(NEW_PERSON)
    joiner.get_by_role("button", name="Send the link").click()
    joiner.get_by_role("heading", name="Check your email").wait_for()
    joiner.goto(link_in(mail.outbox[-1], "/accounts/password/reset/"))
    joiner.locator("input[name='new_password1']").fill("another-long-passphrase-42")
    joiner.locator("input[name='new_password2']").fill("another-long-passphrase-42")
    joiner.get_by_role("button", name="Save password").click()
    joiner.get_by_role("heading", name="Your password has been changed").wait_for()

    joiner.goto(f"{live_server.url}/accounts/login/")
    joiner.get_by_label("Email address").fill(f"  {NEW_PERSON.upper()} ")
    joiner.get_by_label("Password").fill("another-long-passphrase-42")
    joiner.get_by_role("button", name="Log in").click()
    joiner.wait_for_url(f"{live_server.url}/")
