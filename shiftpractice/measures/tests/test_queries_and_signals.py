"""Query budgets for the measure and project pages, the signals feed for coaches, and the progress evidence."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.measures import selectors, services
from shiftpractice.measures.models import DataPoint
from shiftpractice.projects import services as project_services
from shiftpractice.projects.services.progress import gathered_evidence, progress_suggest

from .conftest import SHIFT, make_measure, month, week


def grow(project, measures: int, points: int, cycles: int, first: int = 0) -> None:
    for k in range(cycles):
        project_services.cycle_create(
            project=project, title=f"Test {k}", actor=project.owner, start_date=week(k * 3)
        )
    for j in range(measures):
        m = services.measure_create(
            project=project,
            name=f"Measure {first + j}",
            measure_type="outcome",
            data_kind="continuous",
            actor=project.owner,
        )
        DataPoint.objects.bulk_create(
            DataPoint(measure=m, period=week(i), value=10 + (i % 7) + (5 if i > points // 2 else 0))
            for i in range(points)
        )


@pytest.mark.parametrize("page", ["measure", "project", "measures list"])
def test_pages_run_the_same_queries_at_every_data_size(client, project, django_assert_max_num_queries, page):
    client_for(client, project.owner)
    grow(project, 1, 10, 1)
    from shiftpractice.measures.models import Measure

    first = Measure.objects.get(name="Measure 0")
    urls = {
        "measure": first.get_absolute_url(),
        "project": project.get_absolute_url(),
        "measures list": reverse("measures:project", args=[project.public_id]),
    }
    with CaptureQueriesContext(connection) as small:
        assert client.get(urls[page]).status_code == 200
    services.point_save(measure=first, period=week(200), value=3, note="n", actor=project.owner)
    services.phase_add(measure=first, start=week(5), reason="New pathway", actor=project.owner)
    grow(project, 4, 100, 19, first=1)  # 5 measures of about 100 points, 20 cycles
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(urls[page]).status_code == 200


def test_new_signals_for_projects_in_constant_queries(project, world, django_assert_num_queries):
    measure = make_measure(project, freeze_at=12)
    make_measure(project, name="Waste", mtype="balancing")  # not an outcome measure: not reported
    with django_assert_num_queries(1):  # the measures with their stored summaries and the chart settings
        signals = selectors.new_signals_for_projects([project.pk, 999])
    assert signals[999] == []
    found = signals[project.pk]
    assert found and all(s.measure_name == "Referrals a month" for s in found)
    assert any(s.nature == "improvement" and s.rule == "anhoej_long_run" for s in found)
    assert all(s.measure_url == measure.get_absolute_url() and s.text for s in found)
    later = timezone.now() + timedelta(seconds=1)
    assert selectors.new_signals_for_projects([project.pk], later)[project.pk] == []
    assert selectors.new_signals_for_projects([project.pk], {project.pk: later})[project.pk] == []
    assert selectors.new_signals_for_projects([project.pk], {project.pk: None})[project.pk]


def test_a_new_signal_on_an_outcome_measure_shows_on_the_project_page(client, project):
    make_measure(project, freeze_at=12)
    client_for(client, project.owner)
    body = client.get(project.get_absolute_url()).content.decode()
    assert "New signal on the latest data" in body


def test_signals_feed_the_progress_suggestion(project):
    make_measure(project, freeze_at=12, values=SHIFT)
    evidence = gathered_evidence(project)
    assert evidence["measures_with_baseline"] == 1 and evidence["improving_signals"] >= 1
    assert evidence["sustained"] is True
    project.mfi_accomplish, project.aim_for_whom, project.aim_how_much = "More referrals", "adults", "tenfold"
    project_services.driver_add(project=project, kind="primary", text="Clinicians know", actor=project.owner)
    cycle = project_services.cycle_create(
        project=project, title="T", actor=project.owner, objective="o", prediction="p", start_date=month(12)
    )
    for fields in ({}, {"what_happened": "h"}, {"results": "r", "learning": "l", "decision": "adopt"}):
        if fields:
            project_services.cycle_update(cycle=cycle, revision=cycle.revision, actor=project.owner, **fields)
        project_services.cycle_advance(cycle=cycle, revision=cycle.revision, actor=project.owner)
    suggestion = progress_suggest(project=project, **evidence)
    assert suggestion.score >= 3


def test_the_points_a_chart_reads_carry_the_same_days_values_and_times_as_the_rows(project):
    """Charts read points straight from the cursor, their times as text: the same as the model gives."""
    measure = make_measure(project)
    DataPoint.objects.filter(measure=measure, period=month(3)).update(
        updated_at=timezone.now() - timedelta(days=400, microseconds=123)
    )
    read = selectors._points_by_measure([measure.pk])[measure.pk]
    rows = list(DataPoint.objects.filter(measure=measure).order_by("period"))
    assert len(read) == len(rows) == len(SHIFT)
    for point, row in zip(read, rows, strict=True):
        assert (point.id, point.period, point.value, point.excluded) == (
            row.pk,
            row.period,
            row.value,
            row.excluded,
        )
        assert point.updated_at == row.updated_at and point.updated_at.tzinfo is not None
