"""Each role sees the home page made for it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tests.factories import AttendanceFactory, UserFactory


def home(client, user) -> str:
    response = client_for(client, user).get(reverse("home:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_participant_sees_cohort_next_workshop_and_peers(client, world):
    body = home(client, world.people["participant"])
    assert "Your cohort" in body and "Cohort A" in body
    assert "Workshop A1" in body  # the next workshop (both are ten days out; A1 was created first)
    assert "Cara Coach" in body and "Chris Friend" in body
    assert "Olu Other" not in body  # another cohort's participant is not a peer
    assert "Programme dashboard" not in body


def test_coach_sees_the_people_they_support(client, world):
    body = home(client, world.people["coach"])
    assert "People you support" in body and "Pat Participant" in body and "Olu Other" not in body


def test_lead_sees_cohort_fill_milestones_and_attendance(client, world):
    past = world.workshop
    past.starts_at, past.ends_at = (
        timezone.now() - timedelta(days=3),
        timezone.now() - timedelta(days=3, hours=-2),
    )
    past.save()
    AttendanceFactory(workshop=past, user=world.people["participant"], status="attended")
    body = home(client, world.people["lead"])
    assert "Programme dashboard" in body
    assert "1 of 10" in body  # cohort A: one participant of ten places
    assert "100% (1 places)" in body
    assert world.milestone.title in body


def test_critical_friend_sees_milestones_and_followed_cohorts(client, world):
    body = home(client, world.people["critical_friend"])
    assert "Cohorts you follow as a critical friend" in body and world.milestone.title in body
    assert "Cohort A" in body and "Cohort B" not in body.split("critical friend</h2>")[1].split("<h3>")[0]


def test_someone_with_no_role_is_told_what_to_expect(client, db):
    body = home(client, UserFactory())
    assert "You are not part of a cohort yet" in body


def test_navigation_marks_the_current_page(client, world):
    body = home(client, world.people["participant"])
    assert 'aria-current="page"' in body
    assert 'href="#maincontent"' in body  # skip link
