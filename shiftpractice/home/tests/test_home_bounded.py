"""The home page summarises: a lead of 500 cohorts, a coach of 500 people or a participant in a cohort of 500
gets a page the size of one with 50 (a few rows, the counts, links to the full lists)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.coaching.models import CoachAssignment
from shiftpractice.cohorts.models import Membership
from shiftpractice.cohorts.tests.bulk import add_cohorts
from shiftpractice.core.tests.bounded import assert_bounded, bulk_people
from shiftpractice.projects.models import ChangeProject


def test_a_lead_of_500_cohorts(client, world):
    def grow(n):
        add_cohorts(world, n, status_for=lambda i: "finished" if i % 2 else "running")

    client_for(client, world.people["lead"])
    assert_bounded(client, reverse("home:index"), grow)
    page = client.get(reverse("home:index")).content.decode()
    assert "502 cohorts" in page and "250 finished" in page
    assert f'href="{world.programme.get_absolute_url()}#cohorts"' in page


def test_a_coach_of_500_people(client, world):
    coach, cohort = world.people["coach"], world.cohort
    today = timezone.localdate()

    def grow(n):
        people = bulk_people(n, "coachee")
        Membership.objects.bulk_create(Membership(cohort=cohort, user=p, role="participant") for p in people)
        CoachAssignment.objects.bulk_create(
            CoachAssignment(cohort=cohort, coach=coach, participant=p, starts_on=today - timedelta(days=30))
            for p in people
        )

    client_for(client, coach)
    assert_bounded(client, reverse("home:index"), grow)
    page = client.get(reverse("home:index")).content.decode()
    assert "501 participants in the cohorts you coach" in page and "You coach 500 people now" in page


def test_a_participant_in_a_cohort_of_500_with_many_projects(client, world):
    participant, cohort = world.people["participant"], world.cohort

    def grow(n):
        people = bulk_people(n, "peer")
        Membership.objects.bulk_create(Membership(cohort=cohort, user=p, role="participant") for p in people)
        ChangeProject.objects.bulk_create(
            ChangeProject(owner=participant, cohort=cohort, title=f"Mine {i:05d}") for i in range(n // 10)
        )

    client_for(client, participant)
    assert_bounded(client, reverse("home:index"), grow)
    page = client.get(reverse("home:index")).content.decode()
    assert page.count("Mine 0") == 5 and "All your projects" in page and "more: <a" in page
