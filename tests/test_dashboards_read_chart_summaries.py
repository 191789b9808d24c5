"""The coach's dashboard, the portfolio and the project page read each measure's stored chart summary: they run
no chart engine, and their query counts do not grow with the number of measures or points."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.coaching.services import support as coaching_services
from shiftpractice.measures import selectors
from shiftpractice.measures import services as measure_services
from shiftpractice.projects import services as project_services
from tests.factories import MembershipFactory

SHIFT = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 15, 16, 14, 15, 16, 17, 15, 16, 14, 15]


def _coachee_with_measures(world, n_points: int, measures: int = 1):
    person = MembershipFactory(cohort=world.cohort, role="participant").user
    coaching_services.assignment_create(
        cohort=world.cohort,
        coach=world.people["coach"],
        participant=person,
        starts_on=timezone.localdate() - timedelta(days=30),
        actor=world.people["lead"],
    )
    project = project_services.project_create(
        owner=person, cohort=world.cohort, title=f"By {person}", actor=person
    )
    for j in range(measures):
        m = measure_services.measure_create(
            project=project, name=f"Outcome {j}", measure_type="outcome", data_kind="continuous", actor=person
        )
        for i in range(n_points):
            measure_services.point_save(
                measure=m,
                period=date(2001 + i // 12, i % 12 + 1, 1),
                value=SHIFT[i % len(SHIFT)],
                actor=person,
            )
    return project


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("page", ["coach dashboard", "portfolio"])
def test_dashboards_run_no_engine_and_constant_queries(client, world, monkeypatch, page):
    user = world.people["coach"] if page == "coach dashboard" else world.people["lead"]
    url = (
        reverse("coaching:dashboard")
        if page == "coach dashboard"
        else reverse("home:portfolio", args=["pilot"])
    )
    client_for(client, user)
    _coachee_with_measures(world, 22)
    real = selectors.build_chart

    def refuse(*args, **kwargs):
        raise AssertionError("a dashboard ran the chart engine")

    monkeypatch.setattr(selectors, "build_chart", refuse)
    small, body = _queries(client, url)
    monkeypatch.setattr(selectors, "build_chart", real)  # the writes below store their summaries
    for _ in range(3):
        _coachee_with_measures(world, 30, measures=2)
    monkeypatch.setattr(selectors, "build_chart", refuse)
    large, body = _queries(client, url)
    assert large == small
    if page == "coach dashboard":
        assert "Outcome 0 (" in body  # the signal of the shift, from the stored summary
