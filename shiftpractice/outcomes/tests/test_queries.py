"""The harvest costs the same number of queries whatever its size: the page, its counts and ``harvest_summary``
for the reports are aggregates in the database (20 and 500 outcomes, made with bulk_create)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from shiftpractice.outcomes import selectors
from shiftpractice.outcomes.choices import ChangeKind, Status
from shiftpractice.outcomes.models import Outcome
from shiftpractice.projects.models import ChangeProject
from tests.factories import MembershipFactory, UserFactory

from .helpers import make_project

KINDS = ChangeKind.values
STATUSES = Status.values


def _harvest(world, n: int) -> None:
    """``n`` outcomes over two projects in two cohorts, every kind, status and lens mixed."""
    other = UserFactory()
    MembershipFactory(cohort=world.other_cohort, user=other, role="participant")
    projects = [make_project(world), make_project(world, owner=other, cohort=world.other_cohort, title="B")]
    Outcome.objects.bulk_create(
        Outcome(
            project=projects[i % 2],
            programme=world.programme,
            who_changed=f"Team {i}",
            kind=KINDS[i % len(KINDS)],
            description="What changed",
            happened_on=date(2026, 1, 1) + timedelta(days=i % 300),
            contribution="Ours",
            significance="It matters",
            status=STATUSES[i % len(STATUSES)],
            lens_systems=i % 2 == 0,
            lens_ecology=i % 3 == 0,
            lens_equality=i % 5 == 0,
        )
        for i in range(n)
    )


def _count(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.mark.parametrize("size", [20, 500])
def test_harvest_summary_is_right_and_costs_three_queries(world, size):
    _harvest(world, size)
    # Examples come only from projects the whole programme reads (a published report's readers).
    assert selectors.harvest_summary(world.programme)["examples"] == []
    ChangeProject.objects.filter(cohort__programme=world.programme).update(visibility="programme")
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.harvest_summary(world.programme)
    assert len(queries) == 3
    assert summary["total"] == size
    assert summary["by_substantiation"]["none"] == len([i for i in range(size) if i % 4 == 0])
    assert summary["substantiated"] == size - summary["by_substantiation"]["none"]
    assert summary["by_lens"]["Systems"] == len([i for i in range(size) if i % 2 == 0])
    assert summary["by_lens"]["Ecology"] == len([i for i in range(size) if i % 3 == 0])
    assert summary["by_lens"]["Resilience"] == 0
    assert sum(summary["by_kind"].values()) == size
    assert summary["by_cohort"] == [("Cohort A", size // 2), ("Cohort B", size // 2)]
    assert len(summary["examples"]) == 10
    example = summary["examples"][0]
    assert set(example) == {
        "who",
        "what",
        "kind",
        "when",
        "significance",
        "contribution",
        "substantiation",
        "project_title",
        "cohort_name",
    }
    assert example["substantiation"] != "Not substantiated yet"
    one = selectors.harvest_summary(world.programme, world.other_cohort)
    assert one["total"] == size // 2 and one["by_cohort"] == [("Cohort B", size // 2)]


def _page_queries(client, world) -> tuple[int, int]:
    """Queries of the harvest's second page, and of a page filtered by cohort and lens."""
    url = reverse("outcomes:harvest", args=[world.programme.slug])

    def get(query):
        def fetch():
            assert client.get(url + query).status_code == 200

        return fetch

    client.get(url)  # warm: the session and anything cached once per process
    return _count(get("?page=2")), _count(get("?cohort=cohort-b&lens=systems"))


def test_the_harvest_page_costs_the_same_at_20_and_500(world, client):
    client_for(client, world.people["lead"])
    _harvest(world, 20)
    small = _page_queries(client, world)
    Outcome.objects.all().delete()
    _harvest(world, 500)
    large = _page_queries(client, world)
    assert small == large, (small, large)
    print(f"harvest page (page 2, filtered): {small} queries at 20 outcomes, {large} at 500")


def test_a_projects_outcome_list_has_a_budget(world, client, django_assert_max_num_queries):
    _harvest(world, 60)
    project = Outcome.objects.filter(project__cohort=world.cohort).first().project
    client_for(client, world.people["participant"])
    url = reverse("outcomes:project", args=[project.public_id])
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url + "?page=2").status_code == 200
