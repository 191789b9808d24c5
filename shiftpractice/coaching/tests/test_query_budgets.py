"""The coach dashboard and the other coaching lists run a fixed number of queries: 30 coachees cost what 3 do."""

from datetime import date, timedelta
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
from shiftpractice.measures import selectors as measure_selectors
from shiftpractice.measures import services as measure_services
from shiftpractice.measures.models import DataPoint
from shiftpractice.projects import services as project_services
from shiftpractice.projects.models import ChangeProject
from tests.factories import MembershipFactory

DASHBOARD_BUDGET = (
    17  # one more than a coach without support of their own needs: the check that they have none
)


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
    pages = []
    for number in (1, 2):
        with django_assert_max_num_queries(DASHBOARD_BUDGET):
            pages.append(client.get(reverse("coaching:dashboard"), {"page": number}).content.decode())
    page = "".join(pages)
    assert page.count("Talked.") == 0 and page.count("Do a thing") == 0  # the dashboard summarises
    # A page of 20 coachees, then the other 10: every row on one page or the other.
    assert [p.count('class="nhsuk-table__row"') for p in pages] == [20, 10]
    assert page.count(">2.0<") == 29 and "Showing 1 to 20 of 30 coachees" in pages[0]


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


# A shift of 8 points above the centre line from the 13th point: a signal on every measure.
SHIFT = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 15, 16, 14, 15, 16, 17, 15, 16, 14, 15]


def add_outcome_measures(projects) -> None:
    """An outcome measure with a year and a half of weekly points (and a signal) on each project."""
    for project in projects:
        if project.measures.exists():
            continue
        measure = measure_services.measure_create(
            project=project,
            name=f"Referrals for {project.title}",
            measure_type="outcome",
            data_kind="continuous",
            actor=project.owner,
        )
        DataPoint.objects.bulk_create(
            DataPoint(measure=measure, period=date(2021, 1, 4) + timedelta(weeks=i), value=v)
            for i, v in enumerate(SHIFT * 3)
        )


@pytest.fixture
def signal_calls(monkeypatch):
    """How many times the measures app is asked for chart signals."""
    calls = []
    real = measure_selectors.new_signals_for_projects

    def spy(project_ids, since=None):
        calls.append(list(project_ids))
        return real(project_ids, since=since)

    monkeypatch.setattr(measure_selectors, "new_signals_for_projects", spy)
    return calls


def test_the_coach_dashboard_with_outcome_measures_has_a_fixed_query_count(coaching, signal_calls):
    """Each coachee's project has an outcome measure with data points; the coach is also a participant
    elsewhere. The measures app is asked once per page, about current coachees' projects only."""
    world, coach = coaching.world, coaching.people["coach"]
    MembershipFactory(cohort=world.other_cohort, user=coach, role="participant")
    services.assignment_create(
        cohort=world.other_cohort,
        coach=MembershipFactory(cohort=world.other_cohort, role="coach").user,
        participant=coach,
        starts_on=timezone.localdate() - timedelta(days=10),
        actor=world.people["lead"],
    )
    own = project_services.project_create(owner=coach, cohort=world.other_cohort, title="Own", actor=coach)
    client = client_for(Client(), coach)
    url = reverse("coaching:dashboard")
    add_coachees(coaching, 3)
    add_outcome_measures(ChangeProject.objects.all())
    small = count(client, url)
    add_coachees(coaching, 27)
    add_outcome_measures(ChangeProject.objects.all())
    # One coachee's support has ended: their projects are not looked at.
    ended = coaching.assignment
    services.assignment_update(
        assignment=ended,
        coach=coach,
        starts_on=ended.starts_on,
        ends_on=timezone.localdate() - timedelta(days=1),
        actor=world.people["lead"],
    )
    pages, asked = [], set()
    for number in (1, 2):
        signal_calls.clear()
        with CaptureQueriesContext(connection) as ctx:
            pages.append(client.get(url, {"page": number}).content.decode())
        large = len(ctx.captured_queries)
        assert large <= small, f"{small} queries with 4 coachees, {large} with 31"
        # The measures app's, asked once: its two reads, and the summaries of points written around its
        # services computed (the stale measures read whole, their cycles, points and phases, the summaries stored).
        assert large <= DASHBOARD_BUDGET + 5
        assert (
            len(signal_calls) == 1
        )  # once per page, about that page's current coachees and the person's own
        asked |= set(signal_calls[0])
    page = "".join(pages)
    assert own.pk in asked and coaching.project.pk not in asked and len(asked) == 31
    # Signals newer than the last contact show (a contact today has seen today's data: Project 0's).
    assert all(f"Referrals for Project {i} (" in page for i in range(1, 27)) and "Referrals for Own (" in page
    assert "Referrals for Greener inhalers" not in page
    ended_page = client.get(url, {"period": "ended"}).content.decode()
    assert "Not available yet" in ended_page and "Ended (1)" in page  # the ended row, counted on every page


def test_the_home_page_does_not_compute_chart_signals(coaching, signal_calls, django_assert_max_num_queries):
    """The home page shows no chart signals, so it does not ask for them (the coaching dashboard does)."""
    add_coachees(coaching, 3)
    add_outcome_measures(ChangeProject.objects.all())
    client = client_for(Client(), coaching.people["coach"])
    assert client.get(reverse("home:index")).status_code == 200
    client = client_for(Client(), coaching.people["participant"])
    assert client.get(reverse("home:index")).status_code == 200
    assert signal_calls == []
