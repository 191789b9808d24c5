"""Charts of any length: the engine reads every point, the page draws and tabulates a window of them."""

import re
from datetime import date, timedelta

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from shiftpractice.measures import selectors, services
from shiftpractice.measures.charts import window
from shiftpractice.measures.models import DataPoint, Measure

from .conftest import make_measure

START = date(1800, 1, 1)


def long_measure(project, n: int, *, name="Daily waits") -> Measure:
    """A daily measure of ``n`` points, inserted in bulk (as the benchmark does), then marked as changed."""
    measure = services.measure_create(
        project=project,
        name=name,
        measure_type="outcome",
        data_kind="continuous",
        frequency="day",
        actor=project.owner,
    )
    values = np.random.default_rng(7).normal(20, 3, n).round(1)
    values[-60:] += 9  # a recent shift: signals on the latest points
    for first in range(0, n, 20_000):
        DataPoint.objects.bulk_create(
            DataPoint(measure=measure, period=START + timedelta(days=i), value=float(values[i]))
            for i in range(first, min(n, first + 20_000))
        )
    services.touch(measure)
    return measure


def _get(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _drawn(body: str) -> int:
    """Points drawn on the wide chart (each is one group with its index)."""
    wide = body[body.index('<div class="sp-chart-box"', body.index("sp-chart-switch") + 100) :]
    return len(re.findall(r'class="sp-point ', wide[: wide.index("</svg>")]))


def _table_rows(body: str) -> list[str]:
    table = body[body.index("sp-chart-table") :]
    return re.findall(
        r'<th scope="row" class="nhsuk-table__cell">([^<]+)</th>', table[: table.index("</table>")]
    )


def test_a_measure_of_100000_points_is_a_small_page_in_bounded_queries(client, project):
    small = long_measure(project, 60, name="Short")
    client_for(client, project.owner)
    _body, few = _get(client, small.get_absolute_url())
    measure = long_measure(project, 100_000)
    body, queries = _get(client, measure.get_absolute_url())
    assert len(body.encode()) < 500_000
    assert queries <= few
    assert "99,948 earlier points are not drawn; the limits and signals use all 100,000 points" in body
    assert _drawn(body) == window.DEFAULT_POINTS and len(_table_rows(body)) == window.DEFAULT_POINTS
    # The project's pages draw the latest points too.
    for url in (project.get_absolute_url(), reverse("measures:project", args=[project.public_id])):
        page, _ = _get(client, url)
        assert len(page.encode()) < 500_000 and "not drawn" in page
    svg = client.get(reverse("measures:chart_svg", args=[measure.public_id]))
    assert svg.status_code == 200 and len(svg.content) < 100_000


def test_the_limits_in_the_window_are_those_of_the_whole_chart(client, project):
    measure = long_measure(project, 400)
    client_for(client, project.owner)
    full = selectors.measure_chart(Measure.objects.get(pk=measure.pk))
    body, _ = _get(client, measure.get_absolute_url() + "?start=1800-03-01&end=1800-03-10")
    assert _table_rows(body) == [f"{d} Mar 1800" for d in range(1, 11)]
    i = (date(1800, 3, 1) - START).days
    assert f"{full.result.ucl[i]:.2f}"[:4] in body  # the upper limit of all 400 points, not of the ten drawn
    assert "Points 60 to 69 of 400 are drawn." in body
    assert "59 earlier and 331 later points are not drawn; the limits and signals use all 400 points" in body
    earlier = re.search(r'href="(\?start=[^"#]+)#chart-heading">Earlier points', body).group(1)
    body, _ = _get(client, measure.get_absolute_url() + earlier.replace("&amp;", "&"))
    assert _table_rows(body)[-1] == "28 Feb 1800" and len(_table_rows(body)) == 10


def test_a_phase_can_be_drawn_from_its_start(client, project):
    measure = long_measure(project, 300)
    services.phase_add(measure=measure, start=date(1800, 6, 1), reason="New rota", actor=project.owner)
    client_for(client, project.owner)
    body, _ = _get(client, measure.get_absolute_url())
    link = re.search(r'href="(\?phase=1)#chart-heading">Since phase 1: New rota', body).group(1)
    body, _ = _get(client, measure.get_absolute_url() + link)
    rows = _table_rows(body)
    assert rows[0] == "1 Jun 1800" and rows[-1] == "27 Oct 1800"  # the phase to the latest point


def test_a_long_range_is_cut_to_what_a_chart_can_draw(client, project):
    measure = long_measure(project, 400)
    client_for(client, project.owner)
    body, _ = _get(client, measure.get_absolute_url() + "?start=1800-01-01")
    assert len(_table_rows(body)) == window.MOST_POINTS and _table_rows(body)[0] == "1 Jan 1800"
    assert f"a chart draws at most {window.MOST_POINTS} points" in body


def test_a_range_in_the_wrong_order_is_refused_with_the_field_named(client, project):
    measure = long_measure(project, 100)
    client_for(client, project.owner)
    body, _ = _get(client, measure.get_absolute_url() + "?start=1800-03-01&end=1800-02-01")
    assert "There is a problem" in body and 'href="#id_end"' in body
    assert 'value="1800-03-01"' in body  # what the person typed comes back
    assert len(_table_rows(body)) == window.DEFAULT_POINTS  # the latest points meanwhile


def test_a_range_with_no_points_says_so_and_draws_the_latest(client, project):
    measure = long_measure(project, 100)
    client_for(client, project.owner)
    body, _ = _get(client, measure.get_absolute_url() + "?start=1900-01-01&end=1900-02-01")
    assert "No points fall in the range chosen, so the latest are drawn." in body


def test_a_short_chart_is_drawn_whole_with_no_window_controls(client, project):
    measure = make_measure(project)
    client_for(client, project.owner)
    body, _ = _get(client, measure.get_absolute_url())
    assert "not drawn" not in body and "Draw a range of dates" not in body


def test_the_svg_download_is_the_window_drawn_and_cached(client, project, monkeypatch):
    measure = long_measure(project, 200)
    client_for(client, project.owner)
    url = reverse("measures:chart_svg", args=[measure.public_id])
    first = client.get(url + "?start=1800-01-01&end=1800-01-31").content.decode()
    assert first.count('class="sp-point ') == 31

    def refuse(*args, **kwargs):
        raise AssertionError("the chart was computed again")

    monkeypatch.setattr(selectors, "build_chart", refuse)
    assert client.get(url + "?start=1800-01-01&end=1800-01-31").content.decode() == first


def _page(measure):
    """The measure page's chart part as a reader gets it (``cached_html.measure_page``), fresh from the database."""
    from shiftpractice.measures.charts import cached_html

    fresh = Measure.objects.select_related("project__cohort").get(pk=measure.pk)
    return cached_html.measure_page(fresh, list(fresh.project.cycles.order_by("number")))


def test_a_long_series_page_is_stored_when_its_data_change_and_read_cold_without_the_engine(
    project, monkeypatch
):
    """From PAGE_STORED_FROM points the default page is drawn with the chart summary: after a restart (the cache
    empty) it is read, not computed, and it is the page the engine would draw; short series store none."""
    from django.core.cache import cache

    from shiftpractice.measures.charts import cached_html
    from shiftpractice.measures.models import ChartSummary

    measure = long_measure(project, cached_html.PAGE_STORED_FROM)
    short = long_measure(project, 60, name="Short")
    assert ChartSummary.objects.get(measure=short).page is None
    assert ChartSummary.objects.get(measure=measure).page is not None

    def computed():
        cache.clear()
        with monkeypatch.context() as m:
            m.setattr(cached_html, "_stored_page", lambda *args: None)
            return _page(measure)

    def refuse(*args, **kwargs):
        raise AssertionError("the chart was computed again")

    def stored():
        cache.clear()
        with monkeypatch.context() as m:
            m.setattr(selectors, "build_chart", refuse)
            return _page(measure)

    assert stored() == computed()
    # A new point, a new phase: the stored page follows (and still agrees with the engine).
    services.point_save(measure=measure, period=START + timedelta(days=2000), value=55.0, actor=project.owner)
    page = stored()
    assert page == computed() and page["n_rows"] == cached_html.PAGE_STORED_FROM + 1
    services.phase_add(
        measure=measure, start=START + timedelta(days=900), reason="New rota", actor=project.owner
    )
    page = stored()
    assert page == computed() and [reason for _start, reason in page["phases"]] == ["New rota"]
    # A deployment that draws charts differently (the drawings' version raised): computed, not read.
    from shiftpractice.measures.charts import cache_keys

    with monkeypatch.context() as m:
        m.setattr(cache_keys, "VERSION", cache_keys.VERSION + 1)
        with pytest.raises(AssertionError, match="computed again"):
            stored()
    # A cycle the stored page does not mark: the page is computed, not read.
    from shiftpractice.projects import services as project_services

    project_services.cycle_create(project=project, title="Try a huddle", actor=project.owner)
    with pytest.raises(AssertionError, match="computed again"):
        stored()
