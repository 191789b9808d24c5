"""Coaching between workshops, in a real browser with axe on every page: the demo coach logs a telephone
contact with an agreed action; the participant sees it and marks the action done, writes a reflection shared
with the coach, and posts in the cohort discussion; the coach then finds the reflection on the coachee page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]


def submit(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def test_coach_logs_a_contact_and_the_participant_acts_reflects_and_posts(page, live_server, demo):
    base = live_server.url
    today = timezone.localdate()

    log_in(page, base, "coach1")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/coaching/")
    expect(page.get_by_role("heading", name="Your coachees")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Dr Aisha Rahman").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Log a contact").click()
    assert_accessible(page)
    page.get_by_label("Date of the contact").fill(today.isoformat())
    page.get_by_role("radio", name="Telephone").check()
    page.get_by_label("How long, in minutes").fill("25")
    page.get_by_role("group", name="Who got in touch?").get_by_label("The coach").check()
    page.get_by_label("Summary").fill("We planned how to share the referral numbers with the practice team.")
    page.get_by_label("Your private notes").fill("Sounded stretched; ask about support at work next time.")
    page.get_by_label("Next agreed contact").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Agreed action 1").fill("Present the run chart at the practice meeting")
    page.get_by_role("group", name="Whose is action 1?").get_by_label("The participant").check()
    page.get_by_label("Action 1 is due on").fill((today + timedelta(days=7)).isoformat())
    submit(page, "Log the contact")
    assert "Contact with Dr Aisha Rahman logged." in page.content()
    assert "Sounded stretched" in page.content()  # the coach reads their own notes
    assert_accessible(page)
    log_out(page)

    log_in(page, base, "gp", check_accessibility=False)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/coaching/")
    assert_accessible(page)
    page.get_by_role("link", name="Dr Priya Raman").click()
    # The click starts a navigation; wait for the new page before reading it.
    expect(page.get_by_text("We planned how to share the referral numbers")).to_be_visible()
    content = page.content()
    assert "We planned how to share the referral numbers" in content
    assert "Sounded stretched" not in content  # never the coach's private notes
    assert "Only the coach who writes them can read them" in content  # the participant is told the policy
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"Mark as done\W+Present the run chart")).click()
    page.wait_for_load_state()
    assert "is now done" in page.content()

    page.goto(f"{base}/coaching/journal/")
    assert_accessible(page)
    page.get_by_role("link", name="Write a free reflection").click()
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Before the practice meeting")
    page.get_by_label("Your reflection").fill("I am nervous about presenting, but the chart tells the story.")
    page.get_by_role("radio", name="Me and my coach").check()
    submit(page, "Save the reflection")
    assert "Me and my coach can read it" in page.content()
    assert_accessible(page)

    page.goto(f"{base}/coaching/discussions/")
    assert_accessible(page)
    page.get_by_role("link", name="Cohort 1 discussions").click()
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Presenting data to a practice team")
    page.get_by_label("Your post").fill("Any tips for showing a run chart to people who have never seen one?")
    submit(page, "Post the thread")
    expect(page.get_by_role("heading", name="Presenting data to a practice team")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, base, "coach1", check_accessibility=False)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/coaching/")
    page.get_by_role("link", name="Dr Aisha Rahman").first.click()
    expect(page.get_by_role("link", name="Before the practice meeting")).to_be_visible()
    page.goto(f"{base}/notifications/")
    assert_accessible(page)
