"""The access log in a real browser, axe on every page: a lead reads a coach's private note under the programme's
policy; the participant finds the read on their profile; the lead finds it in the audit viewer."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shiftpractice.coaching.models import CoachAssignment
from shiftpractice.coaching.services import support as services

from .conftest import assert_accessible
from .test_coaching_journey import log_out
from .test_foundation_journeys import log_in

pytestmark = [pytest.mark.browser]


def test_a_lead_reads_a_coach_note_and_the_participant_and_the_audit_viewer_show_it(page, live_server, demo):
    base = live_server.url
    assignment = (
        CoachAssignment.objects.filter(coach__email__startswith="coach1@", ends_on__isnull=True)
        .select_related("cohort__programme", "participant", "coach")
        .first()
    )
    programme, participant = assignment.cohort.programme, assignment.participant
    lead = programme.leads.get(email__startswith="lead@")
    services.policy_update(programme=programme, actor=lead, leads_read_coach_notes=True)
    services.contact_log(
        assignment=assignment,
        actor=assignment.coach,
        occurred_on=timezone.localdate(),
        mode="telephone",
        duration_minutes=20,
        initiated_by="coach",
        summary="Talked about the next PDSA cycle.",
        notes="BROWSER-NOTE: sounded tired.",
    )

    log_in(page, base, "lead", check_accessibility=False)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}{assignment.get_absolute_url()}")
    expect(page.get_by_text("BROWSER-NOTE: sounded tired.")).to_be_visible()
    page.goto(f"{base}/accounts/profile/")
    page.get_by_role("link", name="See the audit log").click()
    expect(page.get_by_role("heading", name="Audit log", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Action").select_option(label="Any read of someone's personal data")
    page.get_by_label("Person").fill(participant.full_name)
    page.get_by_role("button", name="Show events").click()
    page.wait_for_load_state()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("read.coach_notes")
    expect(rows.first).to_contain_text(participant.full_name)
    expect(rows.first).to_contain_text("The coach's private notes on 1 coaching conversation")
    expect(page.get_by_text("BROWSER-NOTE")).to_have_count(0)
    assert_accessible(page)
    log_out(page)

    log_in(page, base, participant.email.split("@")[0], check_accessibility=False)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/accounts/profile/")
    page.get_by_role("link", name="See who has read your data").click()
    expect(page.get_by_role("heading", name="Who has read your data")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(lead.full_name)
    expect(rows.first).to_contain_text("The coach's private notes on 1 coaching conversation")
    expect(page.get_by_text("BROWSER-NOTE")).to_have_count(0)
    assert_accessible(page)
