"""Cohort and workshop editing rules, attendance, and the calendar files."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.cohorts.models import Attendance, Workshop
from tests.factories import MembershipFactory, london

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module


def test_capacity_cannot_go_below_current_participants(client, world):
    MembershipFactory(cohort=world.cohort, role="participant")
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("cohorts:edit", args=[world.cohort.slug]),
        {
            "name": "Cohort A",
            "start_date": "2030-01-01",
            "end_date": "2030-06-30",
            "capacity": 1,
            "status": "running",
        },
    )
    assert response.status_code == 200
    assert "already has 2 participants" in response.content.decode()
    world.cohort.refresh_from_db()
    assert world.cohort.capacity == 10 and world.cohort.status == "planned"


def workshop_data(world, **overrides):
    data = {
        "number": 2,
        "title": "Second workshop",
        "starts_at": "2030-03-04T09:30",
        "ends_at": "2030-03-04T12:30",
        "joining_url": "https://meet.example.org/x",
        "agenda": "## Plan\n\n* one\n* <script>alert(1)</script>",
        "cohorts": [world.cohort.pk],
        "facilitators": [world.people["lead"].pk],
    }
    data.update(overrides)
    return data


def test_lead_creates_a_workshop_in_london_time_with_a_safe_agenda(client, world):
    client_for(client, world.people["lead"])
    response = client.post(reverse("cohorts:workshop_add", args=[world.programme.slug]), workshop_data(world))
    assert response.status_code == 302
    workshop = Workshop.objects.get(title="Second workshop")
    assert workshop.starts_at == london(2030, 3, 4, 9, 30)
    assert "<h2>Plan</h2>" in workshop.agenda_html and "<script>" not in workshop.agenda_html
    assert list(workshop.facilitators.all()) == [world.people["lead"]]


def test_a_workshop_that_ends_before_it_starts_is_refused(client, world):
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("cohorts:workshop_add", args=[world.programme.slug]),
        workshop_data(world, ends_at="2030-03-04T08:00"),
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not Workshop.objects.filter(title="Second workshop").exists()


def test_facilitator_records_attendance(client, world):
    world.workshop.facilitators.add(world.people["coach"])
    client_for(client, world.people["coach"])
    url = reverse("cohorts:attendance", args=[world.workshop.public_id])
    participant = world.people["participant"]
    response = client.post(url, {f"person_{participant.pk}": "attended"})
    assert response.status_code == 302
    assert Attendance.objects.get(workshop=world.workshop, user=participant).status == "attended"
    # A forged field for someone outside the workshop's cohorts is ignored by the form.
    outsider = world.people["other_participant"]
    client.post(url, {f"person_{outsider.pk}": "attended", f"person_{participant.pk}": "absent"})
    assert not Attendance.objects.filter(user=outsider).exists()
    assert Attendance.objects.get(workshop=world.workshop, user=participant).status == "absent"


def parse(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_workshop_ics_holds_the_workshop_at_its_london_time(client, world):
    world.workshop.starts_at = london(2030, 7, 1, 9, 30)  # British Summer Time
    world.workshop.ends_at = london(2030, 7, 1, 12, 0)
    world.workshop.save()
    client_for(client, world.people["participant"])
    response = client.get(reverse("cohorts:workshop_ics", args=[world.workshop.public_id]))
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = parse(response.content)
    assert str(event["summary"]).endswith("Workshop A1")
    assert event.decoded("dtstart") == london(2030, 7, 1, 9, 30)
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=1)
    assert event.decoded("dtend") == london(2030, 7, 1, 12, 0)
    assert str(event["uid"]) == f"workshop-{world.workshop.public_id}@shiftpractice"
    assert b"BEGIN:VTIMEZONE" in response.content and b"TZID:Europe/London" in response.content


def test_private_feed_lists_every_workshop_the_person_is_due_at(client, world):
    past = world.workshop
    past.starts_at, past.ends_at = timezone.now() - timedelta(days=800), timezone.now() - timedelta(days=799)
    past.save()  # older than the feed's one-year window
    response = client.get(reverse("cohorts:calendar_feed", args=[world.people["participant"].calendar_token]))
    assert response.status_code == 200
    titles = sorted(str(e["summary"]).split(": ", 1)[1] for e in parse(response.content))
    assert titles == ["Shared"]
    response = client.get(
        reverse("cohorts:calendar_feed", args=[world.people["other_participant"].calendar_token])
    )
    assert sorted(str(e["summary"]).split(": ", 1)[1] for e in parse(response.content)) == [
        "Shared",
        "Workshop B1",
    ]


def test_facilitated_workshops_are_in_the_feed(client, world):
    world.other_workshop.facilitators.add(world.people["lead"])
    response = client.get(reverse("cohorts:calendar_feed", args=[world.people["lead"].calendar_token]))
    assert [str(e["summary"]).split(": ", 1)[1] for e in parse(response.content)] == ["Workshop B1"]


@pytest.mark.parametrize("token", ["forged", "x" * 43, ""])
def test_forged_feed_tokens_find_nothing(client, world, token):
    url = reverse("cohorts:my_calendar") + f"feed/{token}.ics"
    assert client.get(url).status_code == 404


def test_resetting_the_feed_link_kills_the_old_one(client, world):
    person = world.people["participant"]
    old = person.calendar_token
    client_for(client, person).post(reverse("cohorts:my_calendar_reset"))
    person.refresh_from_db()
    assert person.calendar_token != old
    assert client.get(reverse("cohorts:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("cohorts:calendar_feed", args=[person.calendar_token])).status_code == 200


def test_resetting_with_htmx_returns_just_the_new_link(client, world):
    person = world.people["participant"]
    response = client_for(client, person).post(reverse("cohorts:my_calendar_reset"), HTTP_HX_REQUEST="true")
    person.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="calendar-link">')
    assert person.calendar_token in body and "<html" not in body
