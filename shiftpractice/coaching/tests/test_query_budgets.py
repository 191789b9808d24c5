"""The coach dashboard and the other coaching lists run a fixed number of queries: 30 coachees cost what 3 do."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.coaching.choices import Privacy
from shiftpractice.coaching.services import discussions, journal
from shiftpractice.coaching.services import support as services
from shiftpractice.projects import services as project_services
from tests.factories import MembershipFactory

DASHBOARD_BUDGET = 16


def add_coachees(coaching, n: int) -> None:
    world, coach = coaching.world, coaching.people["coach"]
    world.cohort.capacity = 100
    world.cohort.save()
    today = timezone.localdate()
    for i in range(n):
        person = MembershipFactory(cohort=world.cohort, role="participant").user
        assignment = services.assignment_create(
            cohort=world.cohort,
            coach=coach,
            participant=person,
            starts_on=today - timedelta(days=40),
            actor=world.people["lead"],
        )
        services.contact_log(
            assignment=assignment,
            actor=coach,
            occurred_on=today - timedelta(days=i % 30),
            mode="telephone",
            duration_minutes=20,
            initiated_by="coach",
            summary="Talked.",
            notes="Note.",
            next_contact_on=today + timedelta(days=7),
            actions=[services.ActionSpec("Do a thing", "participant", today + timedelta(days=3))],
        )
        project = project_services.project_create(
            owner=person, cohort=world.cohort, title=f"Project {i}", actor=person
        )
        project_services.progress_set(project=project, score=Decimal("2.0"), note="Baseline", actor=person)
        project_services.cycle_create(project=project, title="Test", actor=person)
        journal.entry_create(author=person, cohort=world.cohort, title="R", body="b", privacy=Privacy.COACH)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("persona", "url_of"),
    [
        ("coach", lambda c: reverse("coaching:dashboard")),
        ("lead", lambda c: reverse("coaching:cohort", args=[c.world.cohort.slug])),
        ("coach", lambda c: reverse("coaching:journal")),
        ("coach", lambda c: reverse("coaching:peer_groups")),
    ],
    ids=["coach dashboard", "cohort overview", "journal", "peer groups"],
)
def test_coaching_lists_have_a_fixed_query_count(coaching, persona, url_of):
    client = client_for(Client(), coaching.people[persona])
    add_coachees(coaching, 3)
    small = count(client, url_of(coaching))
    add_coachees(coaching, 27)
    large = count(client, url_of(coaching))
    assert large == small, f"{small} queries with 4 coachees, {large} with 31"
    assert large <= DASHBOARD_BUDGET


def test_the_coach_dashboard_with_30_coachees_fits_the_budget(coaching, django_assert_max_num_queries):
    add_coachees(coaching, 29)  # and the participant: 30
    client = client_for(Client(), coaching.people["coach"])
    with django_assert_max_num_queries(DASHBOARD_BUDGET):
        page = client.get(reverse("coaching:dashboard")).content.decode()
    assert page.count("Talked.") == 0 and page.count("Do a thing") == 0  # the dashboard summarises
    assert page.count('class="nhsuk-table__row"') == 30 and page.count(">2.0<") == 29


def test_a_board_and_a_thread_have_a_fixed_query_count(coaching, world):
    board = discussions.board_for_cohort(world.cohort)
    people = coaching.people
    client = client_for(Client(), people["peer"])

    def grow(n):
        for i in range(n):
            thread = discussions.thread_start(
                board=board, title=f"T{i}", body="b", actor=people["participant"]
            )
            for _ in range(3):
                discussions.post_reply(thread=thread, body="reply", actor=people["peer"])
        return thread

    thread = grow(2)
    small = (count(client, board.get_absolute_url()), count(client, thread.get_absolute_url()))
    thread = grow(10)
    assert (count(client, board.get_absolute_url()), count(client, thread.get_absolute_url())) == small
