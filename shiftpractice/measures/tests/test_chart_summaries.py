"""The stored chart summary: written when a measure's data, phases or settings change, read by the signal feeds
instead of the engine, and always what the engine says."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftpractice.measures import imports, selectors, services, summaries
from shiftpractice.measures.models import ChartSummary, DataPoint, Measure

from .conftest import SHIFT, make_measure, month


def stored(measure) -> ChartSummary:
    """The measure's stored summary (a measure that never had data has none until it is first read)."""
    if not ChartSummary.objects.filter(measure=measure).exists():
        selectors.new_signals_for_projects([measure.project_id])
    return ChartSummary.objects.get(measure=measure)


def fresh(measure) -> dict:
    """What the engine says now, shaped as the summary stores it."""
    measure = Measure.objects.get(pk=measure.pk)
    return summaries.fields_from_view(selectors.measure_chart(measure))


def same_as_engine(measure) -> None:
    row = stored(measure)
    assert {name: getattr(row, name) for name in fresh(measure)} == fresh(measure)
    measure = Measure.objects.select_related("project__cohort").get(pk=measure.pk)
    settings_row = selectors.settings_for_programme(measure.project.cohort.programme_id)
    assert summaries.is_current(row, measure, settings_row)


@pytest.fixture
def no_engine(monkeypatch):
    """Reading must not compute a chart: any engine call fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the chart engine was run by a reader")

    monkeypatch.setattr(selectors, "build_chart", refuse)


def test_a_point_added_changed_or_deleted_updates_the_summary(project):
    measure = make_measure(project, values=SHIFT[:12])
    assert stored(measure).n_points == 12 and stored(measure).signal_count == 0
    services.point_save(measure=measure, period=month(12), value=30, actor=project.owner)
    row = stored(measure)
    assert (row.n_points, row.last_value, row.last_period) == (13, 30.0, month(12))
    assert (
        row.signals and row.signals[-1]["latest"]
    )  # a point beyond the limits: a signal on the latest point
    same_as_engine(measure)
    services.point_save(measure=measure, period=month(12), value=10, actor=project.owner)
    assert stored(measure).last_value == 10.0 and not any(s["latest"] for s in stored(measure).signals)
    same_as_engine(measure)
    services.point_delete(measure=measure, period=month(12), actor=project.owner)
    assert stored(measure).n_points == 12
    same_as_engine(measure)


def test_a_points_save_takes_the_same_queries_whatever_the_projects_cycles(project):
    """The summary's small multiple marks the project's cycles and links each: not a query per cycle."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shiftpractice.projects.services import cycle_create

    measure = make_measure(project, values=SHIFT[:12])
    counts = []
    for cycles in (1, 8):
        while project.cycles.count() < cycles:
            n = project.cycles.count()
            cycle_create(project=project, title=f"Test {n}", start_date=month(n), actor=project.owner)
        with CaptureQueriesContext(connection) as queries:
            services.point_save(measure=measure, period=month(12), value=cycles, actor=project.owner)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert stored(measure).small_html.count("/cycles/") >= 8  # every cycle marked, with its link


def test_a_phase_updates_the_summary(project):
    measure = make_measure(project)
    before = stored(measure)
    assert before.step == ""
    services.phase_add(measure=measure, start=month(12), reason="New pathway", actor=project.owner)
    row = stored(measure)
    assert row.step == "improvement" and row.version != before.version
    same_as_engine(measure)
    services.phase_delete(phase=measure.phases.get(), actor=project.owner)
    assert stored(measure).step == ""
    same_as_engine(measure)


def test_the_measures_settings_update_the_summary(project):
    measure = make_measure(project, freeze_at=12)
    assert stored(measure).signals[0]["nature"] == "improvement"
    services.measure_update(measure=measure, actor=project.owner, direction="decrease")
    assert {s["nature"] for s in stored(measure).signals} == {"concern"}
    same_as_engine(measure)
    services.measure_update(measure=measure, actor=project.owner, chart="run")
    assert stored(measure).chart == "run"
    same_as_engine(measure)


def test_the_programmes_settings_refresh_its_summaries_in_the_background(
    project, django_capture_on_commit_callbacks
):
    measure = make_measure(project, kind="continuous")
    assert stored(measure).chart == "xmr" and stored(measure).icons
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.programme_settings_set(
            programme=project.cohort.programme, rule_set="ihi", prefer_xmr=False, actor=project.owner
        )
    assert len(callbacks) == 1  # the task, enqueued once the settings are saved
    row = stored(measure)
    assert (row.chart, row.rule_set, row.icons) == ("i", "ihi", [])
    same_as_engine(measure)


def test_a_reader_recomputes_a_summary_the_background_has_not_reached_yet(project, django_assert_num_queries):
    measure = make_measure(project, kind="continuous")
    old = stored(measure).version
    services.programme_settings_set(  # its task waits for a commit that never comes in this test
        programme=project.cohort.programme, rule_set="ihi", prefer_xmr=False, actor=project.owner
    )
    assert stored(measure).version == old
    selectors.new_signals_for_projects([project.pk])
    assert stored(measure).version != old and stored(measure).chart == "i"
    same_as_engine(measure)
    # The settings read with the measures give the version the summary was stored under: current, one query.
    with django_assert_num_queries(1):
        selectors.new_signals_for_projects([project.pk])


def _checked_import(project):
    """A measure of 12 points and a checked file of the rest of the shift, ready to be written."""
    measure = make_measure(project, values=SHIFT[:12])
    rows = "".join(f"{month(i):%Y-%m-%d},{v}\n" for i, v in enumerate(SHIFT) if i >= 12)
    upload = SimpleUploadedFile("d.csv", f"period,value\n{rows}".encode())
    data_import = imports.import_upload(measure=measure, uploaded=upload, actor=project.owner)
    imports.import_check(data_import)
    return measure, data_import


def test_an_import_updates_the_summary_in_its_transaction(project):
    measure, data_import = _checked_import(project)
    imports.import_commit(data_import=data_import, actor=project.owner)
    assert stored(measure).n_points == len(SHIFT)
    same_as_engine(measure)


def test_the_background_import_task_updates_the_summary(project):
    from shiftpractice.measures import tasks

    measure, data_import = _checked_import(project)
    assert imports.claim(data_import)
    tasks.commit_import.call(
        import_id=data_import.pk, actor_id=project.owner.pk, token=str(data_import.lease_token)
    )
    assert stored(measure).n_points == len(SHIFT)
    same_as_engine(measure)


@pytest.fixture
def measured(project):
    make_measure(project, freeze_at=12)
    make_measure(project, name="Waiting", kind="continuous", values=[20 - v for v in SHIFT])
    return project


def test_signals_evidence_and_glance_come_from_the_rows(measured, no_engine, django_assert_num_queries):
    with django_assert_num_queries(1):  # the measures with their summaries and their programme's settings
        signals = selectors.new_signals_for_projects([measured.pk])[measured.pk]
    with django_assert_num_queries(1):
        evidence = selectors.progress_evidence(measured)
    with django_assert_num_queries(1):
        glance = selectors.outcome_glance([measured.pk])[measured.pk]
    assert {s.measure_name for s in signals} == {"Referrals a month", "Waiting"}
    assert evidence["measures_with_baseline"] == 2 and evidence["improving_signals"] >= 1
    assert glance.measure_name == "Referrals a month" and glance.values == tuple(
        float(v) for v in SHIFT[-12:]
    )
    assert glance.signal


def test_a_long_series_keeps_its_latest_signals_and_counts_them_all(project):
    measure = make_measure(project, kind="continuous", values=[])
    values = [10 + (i % 7) + (5 if i > 200 else 0) for i in range(400)]
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=date(2000, 1, 3) + timedelta(weeks=i), value=v)
        for i, v in enumerate(values)
    )
    services.touch(measure)
    row = stored(measure)
    engine = selectors.measure_chart(Measure.objects.get(pk=measure.pk))
    assert row.signal_count == len(engine.signals) > summaries.MAX_SIGNALS
    assert len(row.signals) == summaries.MAX_SIGNALS
    latest = [s for s in engine.signals if s.last_index == len(engine.rows) - 1]
    assert sum(s["latest"] for s in row.signals) == len(latest)
    same_as_engine(measure)


def test_the_migration_fills_a_summary_for_every_existing_measure(project):
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    fill = import_module("shiftpractice.measures.migrations.0005_fill_chart_summaries").fill
    measure = make_measure(project, freeze_at=12)
    empty = make_measure(project, name="Nothing yet", values=[])
    ChartSummary.objects.all().delete()
    fill(apps, connection.schema_editor())
    assert ChartSummary.objects.count() == 2
    same_as_engine(measure)
    same_as_engine(empty)


def test_the_command_refreshes_what_is_out_of_date(project):
    from django.core.management import call_command

    measure = make_measure(project)
    DataPoint.objects.filter(measure=measure, period=month(0)).update(value=40)  # around the services
    Measure.objects.filter(pk=measure.pk).update(updated_at=measure.updated_at + timedelta(seconds=1))
    call_command("refresh_chart_summaries", "--stale")
    same_as_engine(measure)


# Never disagrees with the engine, whatever the series ----------------------------------------------------

KINDS = {
    "count": st.integers(0, 40).map(float),
    "continuous": st.floats(-50, 50, allow_nan=False).map(lambda v: round(v, 2)),
    "proportion": st.tuples(st.integers(0, 20), st.integers(20, 40)),
}


@st.composite
def series(draw):
    kind = draw(st.sampled_from(sorted(KINDS)))
    values = draw(st.lists(KINDS[kind], min_size=0, max_size=40))
    phase = draw(st.none() | st.integers(1, 39))
    freeze = draw(st.none() | st.integers(1, 30))
    direction = draw(st.sampled_from(["increase", "decrease", "neutral"]))
    return kind, values, phase, freeze, direction


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=series())
def test_the_stored_summary_is_what_the_engine_says(project, case):
    kind, values, phase, freeze, direction = case
    if kind == "continuous" and freeze is not None and freeze < 12:
        freeze = 12  # an XmR chart fixes its limits after at least 12 points
    name = f"Measure {Measure.objects.count()}"
    measure = make_measure(
        project, name=name, kind=kind, values=values, freeze_at=freeze, direction=direction
    )
    if phase is not None and phase < len(values):
        services.phase_add(measure=measure, start=month(phase), reason="Changed", actor=project.owner)
    same_as_engine(measure)
    digest = selectors._outcome_digests([project.pk])[project.pk]
    ours = next(d for m, d in digest if m.pk == measure.pk)
    engine = selectors.measure_chart(Measure.objects.get(pk=measure.pk))
    assert [(s.rule, s.nature, s.text) for s in ours.signals] == [
        (s.rule, s.nature, s.text) for s in engine.signals
    ][: summaries.MAX_SIGNALS]
    assert ours.n_points == len(engine.rows) and ours.step == engine.step_nature()


def _multiples(body: str) -> str:
    return body[body.index("sp-small-multiples") : body.index("All measures")]


def test_a_cold_project_page_draws_its_small_multiples_from_the_rows(client, measured, monkeypatch):
    from django.core.cache import cache

    from conftest import client_for
    from shiftpractice.projects import services as project_services

    client_for(client, measured.owner)
    warm = client.get(measured.get_absolute_url()).content.decode()
    cache.clear()  # a restart, or the cache evicted: the rows still hold the drawings
    real = selectors.build_chart

    def refuse(*args, **kwargs):
        raise AssertionError("the chart engine was run")

    monkeypatch.setattr(selectors, "build_chart", refuse)
    cold = client.get(measured.get_absolute_url()).content.decode()
    assert _multiples(cold) == _multiples(warm) and "New signal on the latest data" in _multiples(cold)
    # A new PDSA cycle is marked on the charts: the stored drawings no longer match, so they are drawn again.
    monkeypatch.setattr(selectors, "build_chart", real)
    project_services.cycle_create(
        project=measured, title="Reminder calls", actor=measured.owner, start_date=month(14)
    )
    assert (
        "PDSA 1" not in warm and 'data-cycle="1"' in client.get(measured.get_absolute_url()).content.decode()
    )


def test_the_portfolios_sparkline_is_the_image_the_template_drew():
    """Drawn in Python now; the same markup the template wrote, with the measure's name escaped."""
    from datetime import date

    from django.template import engines

    glance = selectors.OutcomeGlance(
        measure_name='Falls & "trips" <b>',
        measure_url="/m/",
        signal="",
        signal_nature="",
        signal_text="",
        values=(3.0, 4.125, 2.5),
        periods=(date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)),
    )
    template = engines["django"].from_string(
        '<svg class="sp-sparkline" width="120" height="28" viewBox="0 0 120 28" role="img" aria-label="Last '
        '{{ g.values|length }} points of {{ g.measure_name }}, from {{ g.values|first|floatformat:"-2" }} to '
        '{{ g.values|last|floatformat:"-2" }}"><polyline fill="none" stroke="#005eb8" stroke-width="2" '
        'points="{{ g.sparkline }}"></polyline></svg>'
    )
    assert glance.sparkline_svg() == template.render({"g": glance})
    assert "Falls &amp; &quot;trips&quot; &lt;b&gt;" in glance.sparkline_svg()
    short = selectors.OutcomeGlance("One", "/m/", "", "", "", (1.0,), (date(2026, 1, 1),))
    assert short.sparkline_svg() == ""
