"""A lead reading a coach's private notes under the programme's policy is recorded, once per page read, and the
participant sees who read them; no one else's reading of their own notes or of no notes is recorded."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.coaching.services import support as services
from shiftpractice.core.models import AuditEvent


def log(coaching, note: str, days_ago: int = 0):
    return services.contact_log(
        assignment=coaching.assignment,
        actor=coaching.people["coach"],
        occurred_on=timezone.localdate() - timedelta(days=days_ago),
        mode="telephone",
        duration_minutes=30,
        initiated_by="coach",
        summary="We talked about the leaflet.",
        notes=note,
    )


def coachee_page(user, assignment) -> str:
    response = client_for(Client(), user).get(reverse("coaching:coachee", args=[assignment.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def reads():
    return AuditEvent.objects.filter(verb__startswith="read.")


@pytest.fixture
def notes_open_to_leads(coaching):
    services.policy_update(
        programme=coaching.world.programme, actor=coaching.people["lead"], leads_read_coach_notes=True
    )
    log(coaching, "NOTE-ONE about workload")
    return coaching


def test_a_lead_reading_a_coach_note_under_the_policy_records_one_entry_the_participant_sees(
    notes_open_to_leads,
):
    coaching = notes_open_to_leads
    lead, participant = coaching.people["lead"], coaching.people["participant"]
    assert "NOTE-ONE" in coachee_page(lead, coaching.assignment)
    event = reads().get()
    assert (event.actor, event.subject, event.verb) == (lead, participant, "read.coach_notes")
    assert event.programme_id == coaching.world.programme.pk
    assert event.object_type == "coaching.coachassignment"
    assert event.summary == "The coach's private notes on 1 coaching conversation"
    assert "NOTE-ONE" not in str(event.data) and "workload" not in event.summary

    mine = client_for(Client(), participant).get(reverse("access_log:mine")).content.decode()
    assert "Lena Lead" in mine and "The coach&#x27;s private notes on 1 coaching conversation" in mine
    assert "NOTE-ONE" not in mine


def test_each_page_read_is_one_entry_however_many_notes(notes_open_to_leads):
    coaching = notes_open_to_leads
    log(coaching, "NOTE-TWO", days_ago=7)
    coachee_page(coaching.people["lead"], coaching.assignment)
    coachee_page(coaching.people["lead"], coaching.assignment)
    assert reads().count() == 2
    assert all(len(e.data["notes"]) == 2 for e in reads())
    assert reads().first().summary.endswith("on 2 coaching conversations")


@pytest.mark.parametrize("persona", ["coach", "participant", "peer", "superuser"])
def test_no_read_is_recorded_when_no_one_reads_someone_elses_note(notes_open_to_leads, persona):
    """The coach reads their own notes; the participant, and anyone else who may see the page, see none."""
    coaching = notes_open_to_leads
    user = coaching.people[persona]
    response = client_for(Client(), user).get(
        reverse("coaching:coachee", args=[coaching.assignment.public_id])
    )
    assert response.status_code in {200, 404}
    assert not reads().exists()


def test_a_lead_shown_no_notes_leaves_no_entry(coaching):
    log(coaching, "NOTE-FOR-THE-COACH-ALONE")  # written while the policy keeps notes from the leads
    assert "NOTE-FOR-THE-COACH-ALONE" not in coachee_page(coaching.people["lead"], coaching.assignment)
    assert not reads().exists()
