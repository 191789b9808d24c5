"""Charts tell the truth of what they show (issue 15, item 4): steps between phases, trial limits, labels
inside the drawing, PDSA cycles on the measures they test, numbers that differ when compared, units on
limits, one mention of each measure in signal lists, phased charts in the progress suggestion, and rule
labels from the engine's registry."""

import math
import re
from datetime import date

import numpy as np
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from conftest import client_for
from shiftpractice.measures import selectors, services
from shiftpractice.measures.charts.compute import MIN_POINTS_FOR_STABLE_LIMITS
from shiftpractice.measures.charts.layout import FULL, SMALL, build_geometry, text_width
from shiftpractice.measures.charts.numbers import fmt_apart
from shiftpractice.measures.charts.presentation import chart_context, table_rows
from shiftpractice.measures.selectors import SignalSummary, progress_evidence
from shiftpractice.measures.templatetags.measure_tags import signals_by_measure
from shiftpractice.projects import services as project_services
from shiftpractice.spc import ChartRequest, SignalKind, compute, rule_label, rule_set_label
from shiftpractice.spc import registry as spc_registry
from shiftpractice.spc.explain import format_number
from shiftpractice.spc.nhs import SHORT_GROUP

from .conftest import make_measure, month

# 12 months at about 21%, then 12 at about 36% (numerator, denominator).
LOW = [(21, 100), (20, 100), (22, 100), (21, 100), (19, 100), (23, 100)] * 2
HIGH = [(36, 100), (35, 100), (37, 100), (36, 100), (34, 100), (38, 100)] * 2


def _phased(project, *, name="Patients seen within 4 hours", high=HIGH, **fields):
    measure = make_measure(project, name=name, kind="proportion", unit="%", values=LOW + high, **fields)
    services.phase_add(measure=measure, start=month(12), reason="New pathway", actor=project.owner)
    return measure


def test_the_summary_states_the_step_between_phases(project):
    view = selectors.measure_chart(_phased(project))
    assert "From 1 January 2022 (New pathway) the mean moved from about 21% to about 36%." in view.summary()


def test_a_step_whose_rounded_values_agree_is_still_shown_as_a_step():
    from shiftpractice.measures.charts.numbers import about_apart

    assert about_apart(21.2, 21.4) == ("21.2", "21.4")
    old, new = about_apart(1234.0, 1236.0)
    assert old != new and old.startswith("1,2") and new.startswith("1,2")


def test_a_phase_with_fewer_points_than_the_engine_needs_is_named_in_the_summary(project):
    assert MIN_POINTS_FOR_STABLE_LIMITS == SHORT_GROUP  # the engine's minimum, not a number of our own
    view = selectors.measure_chart(_phased(project, high=HIGH[:5]))
    summary = view.summary()
    assert (
        "The limits of the phase from 1 January 2021 (12 points) and of the phase from 1 January 2022 (5 points) "
        f"rest on fewer than the {SHORT_GROUP} points needed for stable limits: they are trial limits"
        in summary
    ), summary
    assert view.short_phases() == [(0, 12), (12, 5)]


def test_a_long_enough_phase_gives_no_warning(project):
    measure = make_measure(
        project, kind="proportion", unit="%", values=(LOW + LOW)[:SHORT_GROUP] + (HIGH + HIGH)[:SHORT_GROUP]
    )
    services.phase_add(measure=measure, start=month(SHORT_GROUP), reason="New pathway", actor=project.owner)
    view = selectors.measure_chart(measure)
    assert view.short_phases() == [] and "trial limits" not in view.summary()


def test_limits_carry_the_unit_as_the_mean_does(project):
    view = selectors.measure_chart(_phased(project))
    assert re.search(r"The latest limits are [\d.]+% to [\d.]+%\.", view.summary()), view.summary()
    minutes = make_measure(project, name="Wait", kind="continuous", unit="minutes", values=[10, 12, 11] * 5)
    summary = selectors.measure_chart(minutes).summary()
    assert re.search(r"The latest limits are [\d.]+ minutes to [\d.]+ minutes\.", summary), summary


# Rounding never says "37.78 is above the limit 37.78" ----------------------------------------------------


def test_numbers_compared_are_formatted_with_enough_digits_to_differ():
    assert fmt_apart(37.781, 37.779) == ("37.781", "37.779")
    assert fmt_apart(37.9, 37.2) == ("37.9", "37.2")
    assert fmt_apart(12345.6, 12345.4) == ("12,346", "12,345")
    assert fmt_apart(12345.6, 12345.55) == ("12,345.6", "12,345.5")
    assert fmt_apart(5.0, 5.0) == ("5", "5")


def _just_above_the_limit(project):
    """An XmR chart frozen after 12 points, and a 13th point a hair above its upper limit."""
    base = [30.0, 31.5, 29.2, 30.8, 32.1, 28.9, 30.3, 31.1, 29.7, 30.6, 31.9, 29.4]
    x = np.array([month(i) for i in range(12)], dtype="datetime64[D]")
    ucl = float(compute(ChartRequest("xmr", x=x, y=np.array(base), options={})).ucl[-1])
    # Halfway between the limit and where its two-decimal rounding changes: the same at 4 significant digits.
    value = (ucl + (math.floor(ucl * 100 + 0.5) + 0.5) / 100) / 2
    assert format_number(value) == format_number(ucl) and value > ucl  # the trap the texts must avoid
    measure = make_measure(
        project, name="Weight", kind="continuous", values=[*base, value], freeze_at=12, chart="xmr"
    )
    return measure, ucl


def test_a_point_just_above_the_limit_reads_as_above_it_everywhere(project):
    measure, _ucl = _just_above_the_limit(project)
    view = selectors.measure_chart(measure)
    outside = [s for s in view.signals if s.rule == "outside_limits"]
    assert outside, "the 13th point is above the frozen upper limit"
    for text in [s.text for s in outside]:
        found = re.search(r"\(([\d.,]+)\) is above the upper process limit \(([\d.,]+)\)", text)
        assert found, text
        assert found.group(1) != found.group(2), text
    row = table_rows(view)[12]
    assert row.value != row.ucl and float(row.value) > float(row.ucl)


# Labels are never clipped ------------------------------------------------------------------------------


def _texts(svg: str):
    for attrs, text in re.findall(r"<text([^>]*)>([^<]*)</text>", svg):
        x = float(re.search(r' x="([-\d.]+)"', attrs).group(1))
        size = float(re.search(r'font-size="([\d.]+)"', attrs).group(1))
        anchor = re.search(r'text-anchor="(\w+)"', attrs)
        yield x, size, anchor.group(1) if anchor else "start", text


def _assert_inside(svg: str, width: int):
    import html

    for x, size, anchor, text in _texts(svg):
        w = text_width(html.unescape(text), size)
        left = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
        assert left >= 0 and left + w <= width, f"{text!r} runs from {left:.0f} to {left + w:.0f} of {width}"


@pytest.mark.parametrize("size", [FULL, SMALL])
def test_long_labels_stay_inside_the_drawing(project, size):
    values = [1_234_567 + 40_000 * (i % 5) for i in range(24)]  # y labels of nine characters
    measure = make_measure(project, name="Big", kind="continuous", values=values, freeze_at=22, chart="i")
    services.phase_add(
        measure=measure,
        start=month(22),
        reason="A new pathway, with a longer name than fits in the room left",
        actor=project.owner,
    )
    for start, title in ((month(0), "First"), (month(23), "Last")):
        project_services.cycle_create(project=project, title=title, actor=project.owner, start_date=start)
    view = selectors.measure_chart(measure)
    context = chart_context(view, list(project.cycles.order_by("number")), compact=size is SMALL)
    geo = context["geo"]
    assert geo.plot_left > size.left, "the long y labels widened the margin"
    svg = render_to_string("measures/_chart.html", {**context, "standalone": True})
    assert max(len(label) for _y, label in geo.y_ticks) >= len("1,000,000")
    _assert_inside(svg, size.width)
    if size is FULL:
        assert [anchor for *_rest, anchor in geo.phase_lines] == ["end"]  # near the right edge: to the left
        last = geo.cycles[-1]
        assert last.flip and last.anchor == "end"


def test_a_freeze_near_the_right_edge_puts_its_label_to_the_left(project):
    measure = make_measure(project, name="Late freeze", kind="continuous", values=[5, 6, 7] * 5, freeze_at=14)
    view = selectors.measure_chart(measure)
    geo = build_geometry(view, [], size=FULL)
    assert geo.freeze_anchor == "end"
    svg = render_to_string("measures/_chart.html", {**chart_context(view, []), "standalone": True})
    _assert_inside(svg, FULL.width)


# PDSA cycles marked on the measures they test ----------------------------------------------------------


def _two_measures_and_cycles(project):
    a = make_measure(project, name="Referrals")
    b = make_measure(project, name="Waiting time", kind="continuous")
    tied = project_services.cycle_create(
        project=project, title="Leaflet", actor=project.owner, start_date=month(12)
    )
    free = project_services.cycle_create(
        project=project, title="Huddle", actor=project.owner, start_date=month(14)
    )
    return a, b, tied, free


def _marked(body: str) -> set[int]:
    return {int(n) for n in re.findall(r'data-cycle="(\d+)"', body)}


def test_a_cycle_tied_to_a_measure_is_marked_only_on_its_chart(client, project):
    a, b, tied, free = _two_measures_and_cycles(project)
    client_for(client, project.owner)
    assert _marked(client.get(b.get_absolute_url()).content.decode()) == {tied.number, free.number}
    response = client.post(reverse("measures:cycles", args=[a.public_id]), {"cycles": [tied.pk]})
    assert response.status_code == 302
    assert list(a.tested_by_cycles.all()) == [tied]
    assert _marked(client.get(a.get_absolute_url()).content.decode()) == {tied.number, free.number}
    body_b = client.get(b.get_absolute_url()).content.decode()
    assert _marked(body_b) == {free.number}, "the tied cycle left the other measure's chart (and its cache)"
    project_page = client.get(reverse("measures:project", args=[project.public_id])).content.decode()
    cards = project_page.split('class="nhsuk-grid-column-one-half sp-small-multiple"')[1:]
    assert _marked(cards[0]) == {tied.number, free.number} and _marked(cards[1]) == {free.number}
    svg = client.get(reverse("measures:chart_svg", args=[b.public_id])).content.decode()
    assert _marked(svg) == {free.number}
    assert "PDSA 1: Leaflet" in client.get(a.get_absolute_url()).content.decode()  # named on the measure page


def test_untying_puts_the_cycle_back_on_every_chart(client, project):
    a, b, tied, free = _two_measures_and_cycles(project)
    services.measure_cycles_set(measure=a, cycles=[tied], actor=project.owner)
    client_for(client, project.owner)
    assert _marked(client.get(b.get_absolute_url()).content.decode()) == {free.number}
    client.post(reverse("measures:cycles", args=[a.public_id]), {})
    assert not a.tested_by_cycles.exists()
    assert _marked(client.get(b.get_absolute_url()).content.decode()) == {tied.number, free.number}


def test_a_cycle_of_another_project_cannot_be_tied(client, project, world):
    other = project_services.project_create(
        owner=world.people["participant"],
        cohort=world.cohort,
        title="Another",
        actor=world.people["participant"],
    )
    foreign = project_services.cycle_create(project=other, title="Elsewhere", actor=project.owner)
    a = make_measure(project)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.measure_cycles_set(measure=a, cycles=[foreign], actor=project.owner)
    client_for(client, project.owner)
    response = client.post(reverse("measures:cycles", args=[a.public_id]), {"cycles": [foreign.pk]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not a.tested_by_cycles.exists()


# Signal lists name a measure once ----------------------------------------------------------------------


def _summary(measure_id, name, rule):
    return SignalSummary(
        1,
        measure_id,
        name,
        f"/m/{measure_id}/",
        rule,
        rule_label(rule),
        "improvement",
        "text",
        date(2022, 1, 1),
        None,
    )


def test_signal_lists_name_each_measure_once():
    signals = [
        _summary(1, "Referrals", "shift"),
        _summary(2, "Waits", "trend"),
        _summary(1, "Referrals", "trend"),
    ]
    groups = signals_by_measure(signals)
    assert [g["name"] for g in groups] == ["Referrals", "Waits"]
    assert groups[0]["labels"] == ["Shift", "Trend"]
    # (The coach dashboard's cell, which says these groups in a line, is tested with the coaching pages.)


# The progress suggestion reads phased charts -----------------------------------------------------------


def test_a_better_latest_phase_is_evidence_of_improvement(project):
    _phased(project, high=(HIGH * 2)[:SHORT_GROUP])
    evidence = progress_evidence(project)
    assert evidence["improving_signals"] >= 1 and evidence["sustained"], evidence


def test_a_short_latest_phase_is_not_yet_sustained(project):
    _phased(project, high=HIGH[:4])
    evidence = progress_evidence(project)
    assert evidence["improving_signals"] >= 1 and not evidence["sustained"], evidence


def test_a_worse_latest_phase_is_no_evidence_of_improvement(project):
    _phased(project, high=(HIGH * 2)[:SHORT_GROUP], direction="decrease")
    evidence = progress_evidence(project)
    assert evidence["improving_signals"] == 0 and not evidence["sustained"], evidence


# Rule labels come from the engine's registry -----------------------------------------------------------


def test_the_rules_page_reads_its_labels_from_the_registry(client, monkeypatch):
    renamed = SignalKind("shift", "Shift (a run on one side)")
    monkeypatch.setitem(spc_registry._KINDS, "shift", renamed)
    body = client.get(reverse("measures:rules")).content.decode()
    assert "Shift (a run on one side)" in body
    for name in ("anhoej", "nhs", "ihi"):
        assert f'id="{name}"' in body and rule_set_label(name) in body
        for rule in spc_registry.rules_of(name):
            for kind in rule.kinds:
                if kind.marks_points or kind.code == "anhoej_few_crossings" or kind.code == "ihi_runs":
                    assert rule_label(kind.code) in body or kind.code == "anhoej_runs"
    defaults = spc_registry.RULE_SETS
    assert f"{defaults['ihi'].shift} or more points in a row" in body
    assert f"{defaults['nhs'].trend} or more points in a row" in body
    assert "_" not in re.sub(r"<[^>]+>", "", body.split("<h1>")[1].split("Sources")[0])


@pytest.mark.parametrize("rules", ["anhoej", "ihi", "nhs"])
def test_xmr_point_labels_never_show_a_raw_rule_set_name(rules):
    y = np.array([10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 15, 16, 14, 15, 16, 17, 15, 16], dtype=float)
    x = np.array([month(i) for i in range(len(y))], dtype="datetime64[D]")
    res = compute(ChartRequest("xmr", x=x, y=y, options={"rules": rules}))
    names = res.special_cause_type.names
    assert not any(n.startswith(f"{rules} ") for n in names), names
    used = {names[i] for i in res.special_cause_type.codes}
    assert len(used) > 1, "some points are labelled as special cause"


def test_a_phase_label_between_two_close_phases_is_cut_short_to_its_room(project):
    measure = make_measure(project, name="Crowded", kind="continuous", values=[5, 6, 7, 6] * 6)
    for k, reason in ((10, "A first change with a very long description of what changed"), (12, "Second")):
        services.phase_add(measure=measure, start=month(k), reason=reason, actor=project.owner)
    view = selectors.measure_chart(measure)
    geo = build_geometry(view, [], size=FULL)
    first = geo.phase_lines[0]
    assert first[1].endswith("…") or first[3] == "end"
    svg = render_to_string("measures/_chart.html", {**chart_context(view, []), "standalone": True})
    _assert_inside(svg, FULL.width)


# Every page of the app is under measures/ ---------------------------------------------------------------


def test_the_projects_measures_live_under_measures_and_old_links_still_work(client, project):
    for name in ("project", "create", "project_csv", "project_xlsx"):
        assert reverse(f"measures:{name}", args=[project.public_id]).startswith("/measures/")
    old = f"/projects/{project.public_id}/measures/export.csv"
    response = client.get(old)  # anonymous: the redirect says nothing; the page it leads to decides
    assert response.status_code == 301
    assert response["Location"] == reverse("measures:project_csv", args=[project.public_id])
    client_for(client, project.owner)
    assert client.get(f"/projects/{project.public_id}/measures/", follow=True).status_code == 200
