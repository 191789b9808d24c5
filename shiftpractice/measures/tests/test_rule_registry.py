"""Rule labels and defaults come from the SPC engine's rule registry, never from comparing names."""

import pytest

from conftest import client_for
from shiftpractice.measures import selectors
from shiftpractice.measures.charts.compute import resolve
from shiftpractice.measures.choices import RuleSetName
from shiftpractice.spc import RULE_SET_SPECS, default_rule_set, rule_label, rule_set_label

from .conftest import SHIFT, make_measure

# Every rule set a measure can choose, on the XmR chart and on a qicharts2-style chart.
COMBINATIONS = [(rules, chart) for rules in RuleSetName.values for chart in ("xmr", "i", "run")]


@pytest.mark.parametrize(("rules", "chart"), COMBINATIONS)
def test_every_signal_is_labelled_in_words_never_by_its_code(project, rules, chart):
    measure = make_measure(project, kind="continuous", rule_set=rules, chart=chart, values=SHIFT)
    view = selectors.measure_chart(measure)
    assert view.signals, "the step in SHIFT signals under every rule set"
    for signal in view.signals:
        assert signal.rule_label == rule_label(signal.rule)
        assert signal.rule_label != signal.rule and "_" not in signal.rule_label


def test_anhoej_runs_on_an_xmr_chart_reads_as_words_on_the_page(client, project):
    # The case that once showed "anhoej_runs" as the signal's label.
    measure = make_measure(project, kind="continuous", rule_set="anhoej", chart="xmr", values=SHIFT)
    view = selectors.measure_chart(measure)
    assert any(s.rule == "anhoej_runs" and s.rule_label == "Runs signal (Anhøj)" for s in view.signals)
    client_for(client, project.owner)
    body = client.get(measure.get_absolute_url()).content.decode()
    assert "Runs signal (Anhøj)" in body and "anhoej_runs" not in body


def test_defaults_and_rule_set_labels_come_from_the_registry(project):
    for chart in ("xmr", "i", "t", "run"):
        measure = make_measure(project, name=f"Default for {chart}", kind="continuous", chart=chart)
        assert resolve(measure, 20)[2] == default_rule_set(chart)
    assert default_rule_set("xmr") == "nhs" and default_rule_set("c") == "anhoej"
    for value, label in RuleSetName.choices:
        assert value in RULE_SET_SPECS and label == rule_set_label(value)
