"""The portfolio's journey stage (derived from status and progress, declared once) and the progress score's
change since the cohort's latest survey window, on the page and in the CSV."""

import csv
import io
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conftest import client_for
from shiftpractice.content import selectors as content_selectors
from shiftpractice.content import services as content_services
from shiftpractice.evaluation.models import Survey, SurveyWindow
from shiftpractice.home import portfolio
from shiftpractice.projects import services as project_services
from shiftpractice.projects.models import ChangeProject, Cycle, ProgressScore

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def project(world):
    owner = world.people["participant"]
    return project_services.project_create(
        owner=owner, cohort=world.cohort, title="Quieter wards", actor=owner
    )


def _window(world, label, opens, closes):
    content_services.default_model_ensure()
    survey, _ = Survey.objects.get_or_create(
        programme=world.programme,
        name="Staff survey",
        defaults={"model_version": content_selectors.current_version()},
    )
    return SurveyWindow.objects.create(
        cohort=world.cohort, survey=survey, label=label, opens_at=opens, closes_at=closes
    )


def _row(world, project, **filters):
    (row,) = portfolio.rows([project.pk])
    return row


def _stage(**fields):
    base = {"status": "draft", "cycles_running": 0, "cycles_complete": 0, "cycles_planned": 0, "aim_what": ""}
    return portfolio.journey_stage(SimpleNamespace(**{**base, **fields}))


def test_the_journey_stage_follows_status_then_progress():
    assert _stage() == portfolio.ORIENT
    assert _stage(aim_what="Fewer falls") == portfolio.STUDY
    assert _stage(aim_what="Fewer falls", cycles_planned=1) == portfolio.DESIGN
    assert _stage(cycles_running=1) == portfolio.TEST
    assert _stage(status="active") == portfolio.TEST
    assert _stage(status="sustaining", cycles_planned=3) == portfolio.IMPACT
    assert _stage(status="complete") == portfolio.SHARE
    assert _stage(status="paused", cycles_running=2) is None
    # Every project status is mapped, or left to the draft rules: no status falls through unnoticed.
    from shiftpractice.projects.choices import ProjectStatus

    assert set(portfolio.STAGE_BY_STATUS) | {ProjectStatus.DRAFT} == set(ProjectStatus.values)


@time_machine.travel(datetime(2030, 6, 1, 12, tzinfo=LONDON))
def test_the_score_change_is_since_the_latest_window_that_has_opened(world, project):
    assert portfolio.survey_change(_row(world, project)) == "—"  # no window yet
    ProgressScore.objects.create(project=project, score=1.5, scored_on=date(2030, 3, 1))
    _window(world, "baseline", datetime(2030, 3, 12, 9, tzinfo=LONDON), datetime(2030, 3, 30, tzinfo=LONDON))
    _window(
        world, "end", datetime(2030, 9, 1, tzinfo=LONDON), datetime(2030, 9, 30, tzinfo=LONDON)
    )  # not yet
    assert portfolio.survey_change(_row(world, project)) == "no change since baseline survey (12 Mar)"
    ProgressScore.objects.create(project=project, score=2.5, scored_on=date(2030, 5, 1))
    assert portfolio.survey_change(_row(world, project)) == "+1 since baseline survey (12 Mar)"
    ProgressScore.objects.create(project=project, score=1.0, scored_on=date(2030, 5, 20))
    assert portfolio.survey_change(_row(world, project)) == "-0.5 since baseline survey (12 Mar)"


@time_machine.travel(datetime(2030, 6, 1, 12, tzinfo=LONDON))
def test_no_score_when_the_window_opened_gives_a_dash(world, project):
    _window(world, "baseline", datetime(2030, 3, 12, 9, tzinfo=LONDON), datetime(2030, 3, 30, tzinfo=LONDON))
    ProgressScore.objects.create(project=project, score=2.0, scored_on=date(2030, 4, 1))
    assert portfolio.survey_change(_row(world, project)) == "—"


@time_machine.travel(datetime(2030, 6, 1, 12, tzinfo=LONDON))
def test_the_page_and_the_csv_show_stage_and_survey_change(client, world, project):
    project_services.project_update(project=project, status="active", actor=world.people["participant"])
    Cycle.objects.create(project=project, number=1, title="Test", status="doing")
    ProgressScore.objects.create(project=project, score=1.0, scored_on=date(2030, 3, 1))
    ProgressScore.objects.create(project=project, score=2.0, scored_on=date(2030, 5, 1))
    _window(world, "baseline", datetime(2030, 3, 12, 9, tzinfo=LONDON), datetime(2030, 3, 30, tzinfo=LONDON))
    client_for(client, world.people["lead"])
    page = client.get(reverse("home:portfolio", args=[world.programme.slug])).content.decode()
    assert "Journey stage" in page and "Test (PDSA)" in page and "+1 since baseline survey (12 Mar)" in page
    response = client.get(reverse("home:portfolio_csv", args=[world.programme.slug]))
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["journey stage"] == "Test (PDSA)"
    assert row["change since the latest survey window"] == "+1 since baseline survey (12 Mar)"
    assert ChangeProject.objects.count() == 1
