"""Choosing the chart, refusing charts the data cannot support, and what the SVG draws."""

import re

import pytest
from django.core.exceptions import ValidationError

from conftest import client_for
from shiftpractice.measures import selectors, services
from shiftpractice.measures.charts.compute import MIN_POINTS_FOR_LIMITS, auto_chart
from shiftpractice.measures.charts.layout import nice_ticks
from shiftpractice.measures.charts.numbers import fmt
from shiftpractice.projects import services as project_services
from shiftpractice.spc import signal_kind

from .conftest import SHIFT, make_measure, month


@pytest.mark.parametrize(
    ("kind", "points", "prefer_xmr", "chart"),
    [
        ("count", MIN_POINTS_FOR_LIMITS - 1, True, "run"),
        ("count", MIN_POINTS_FOR_LIMITS, True, "c"),
        ("proportion", 20, True, "p"),
        ("rate", 20, True, "u"),
        ("continuous", 20, True, "xmr"),
        ("continuous", 20, False, "i"),
        ("days_between", 20, True, "t"),
        ("cases_between", 20, True, "g"),
        ("continuous", 3, True, "run"),
    ],
)
def test_the_chart_is_chosen_from_the_kind_of_data_and_the_number_of_points(kind, points, prefer_xmr, chart):
    assert auto_chart(kind, points, prefer_xmr=prefer_xmr) == chart


def test_a_p_chart_without_denominators_is_refused_with_the_reason(project):
    measure = make_measure(project, kind="continuous", values=[1.5, 2.5, 3.0])
    with pytest.raises(ValidationError) as err:
        services.measure_update(measure=measure, chart="p", actor=project.owner)
    assert "numerator and a denominator" in str(err.value.message_dict["chart"])
    measure.refresh_from_db()
    assert measure.chart == ""


def test_a_t_chart_with_a_zero_time_between_events_is_refused(project):
    measure = make_measure(project, kind="days_between", values=[3, 0, 5])
    with pytest.raises(ValidationError, match="more than 0"):
        services.measure_update(measure=measure, chart="t", actor=project.owner)


def test_the_edit_page_shows_the_refusal(client, project):
    measure = make_measure(project, kind="continuous", values=[1.5, 2.5])
    client_for(client, project.owner)
    from django.urls import reverse

    response = client.post(
        reverse("measures:edit", args=[measure.public_id]),
        {
            "name": measure.name,
            "measure_type": "outcome",
            "data_kind": "continuous",
            "direction": "increase",
            "frequency": "month",
            "chart": "p",
            "rate_per": 1000,
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode() and "P chart" in response.content.decode()


def test_the_svg_marks_every_signal_the_engine_returned_and_the_pdsa_cycles(client, project):
    cycle = project_services.cycle_create(
        project=project, title="Guide", actor=project.owner, start_date=month(12)
    )
    measure = make_measure(project, freeze_at=12)
    view = selectors.measure_chart(measure)
    flagged = {i for d in view.result.signal_details if signal_kind(d.rule).marks_points for i in d.indices}
    assert flagged, "the shift after the cycle is a signal"
    client_for(client, project.owner)
    body = client.get(measure.get_absolute_url()).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    marked = {
        int(i) for i in re.findall(r'sp-point--(?:improvement|concern|neutral)" data-index="(\d+)"', svg)
    }
    assert marked == flagged
    assert 'class="sp-point sp-point--improvement"' in svg  # a rise when higher is better
    assert f'data-cycle="{cycle.number}"' in svg and cycle.get_absolute_url() in body
    assert "<title" in svg and "<desc" in svg
    from django.utils.html import escape

    for text in view.explanations:
        assert escape(text) in body
    # the data table under the chart
    assert "The chart as a table" in body and body.count('<tr class="nhsuk-table__row">') >= len(SHIFT)


def test_xmr_view_shows_the_nhs_icons_with_text(client, project):
    measure = make_measure(project, kind="continuous", target=14.0)
    client_for(client, project.owner)
    body = client.get(measure.get_absolute_url()).content.decode()
    assert "XmR chart" in body
    assert "Special cause variation" in body or "Common cause variation" in body
    assert "target" in body.lower() and "sp-mdc-icons" in body


def test_phases_excluded_points_and_notes_are_drawn(client, project):
    measure = make_measure(project, kind="continuous")
    services.phase_add(measure=measure, start=month(12), reason="New pathway started", actor=project.owner)
    services.point_save(
        measure=measure,
        period=month(3),
        value=30,
        excluded=True,
        exclusion_reason="Data error",
        actor=project.owner,
    )
    services.point_save(
        measure=measure, period=month(5), value=10, note="Half the team on leave", actor=project.owner
    )
    client_for(client, project.owner)
    body = client.get(measure.get_absolute_url()).content.decode()
    assert "New pathway started" in body and "sp-point--excluded" in body
    assert "Half the team on leave" in body and "left out: Data error" in body


def test_numbers_are_written_for_people():
    assert fmt(12345.6) == "12,346"
    assert fmt(0.123456) == "0.1235"
    assert fmt(1234.5) == "1,234"[:1] + fmt(1234.5)[1:]
    assert nice_ticks(0, 9.3) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
