"""The rule registry: every rule and rule set declared once, with labels; the engine loops over it."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from shiftpractice.spc import (
    CHART_TYPES,
    RULE_SET_SPECS,
    RULES,
    ChartRequest,
    Rule,
    RuleSet,
    RuleSetSpec,
    SignalKind,
    compute,
    default_rule_set,
    register_rule,
    register_rule_set,
    registry,
    rule_label,
    signal_kind,
)
from shiftpractice.spc.explain import explain_shift
from shiftpractice.spc.runs import detect_shift

MONTHS = [f"20{20 + i // 12}-{i % 12 + 1:02d}-01" for i in range(30)]
STEP = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 15, 16, 14, 15, 16, 17, 15, 16, 14, 15, 30, 15]


@pytest.fixture
def scratch_registry() -> Iterator[None]:
    """Whatever a test registers is gone afterwards."""
    rules, kinds, specs, defaults = (
        dict(d) for d in (registry._RULES, registry._KINDS, registry._SPECS, registry._DEFAULTS)
    )
    yield
    for live, saved in zip(
        (registry._RULES, registry._KINDS, registry._SPECS, registry._DEFAULTS),
        (rules, kinds, specs, defaults),
        strict=True,
    ):
        live.clear()
        live.update(saved)


def test_every_rule_and_rule_set_has_a_label_and_known_charts() -> None:
    for rule in RULES.values():
        assert rule.label.strip() and rule.charts <= set(CHART_TYPES)
        assert all(kind.label.strip() for kind in rule.kinds)
    for spec in RULE_SET_SPECS.values():
        assert spec.label.strip() and all(code in RULES for code in spec.rules)
    # Every chart type has exactly one default rule set.
    assert {default_rule_set(chart) for chart in CHART_TYPES} == {"anhoej", "nhs"}


def test_registering_a_rule_without_a_label_raises(scratch_registry: None) -> None:
    with pytest.raises(ValueError, match="needs a label"):
        register_rule(Rule("long_shift", "", detect_shift, explain_shift))
    with pytest.raises(ValueError, match="needs a label"):
        register_rule(Rule("long_shift", "   ", detect_shift, explain_shift))
    with pytest.raises(ValueError, match="needs a label"):
        register_rule(
            Rule(
                "long_shift", "Long shift", detect_shift, explain_shift, kinds=(SignalKind("long_shift", ""),)
            )
        )
    assert "long_shift" not in RULES


def test_registering_a_rule_set_checks_its_label_and_rules(scratch_registry: None) -> None:
    with pytest.raises(ValueError, match="needs a label"):
        register_rule_set(RuleSetSpec("quiet", "", ("outside_limits",), RuleSet("quiet")))
    with pytest.raises(ValueError, match="unknown rules"):
        register_rule_set(RuleSetSpec("quiet", "Quiet", ("no_such_rule",), RuleSet("quiet")))
    with pytest.raises(ValueError, match="already the default"):
        register_rule_set(
            RuleSetSpec(
                "quiet", "Quiet", ("outside_limits",), RuleSet("quiet"), default_for=frozenset({"xmr"})
            )
        )
    with pytest.raises(ValueError, match="already registered"):
        register_rule(Rule("shift", "Shift again", detect_shift, explain_shift))


def test_a_new_rule_set_needs_only_the_registry(scratch_registry: None) -> None:
    """The recipe in docs/spc.md: register the set; the engine, the JSON contract and the words follow."""
    register_rule_set(
        RuleSetSpec(
            "shift_only",
            "Shifts of 5 only",
            rules=("outside_limits", "shift"),
            defaults=RuleSet("shift_only", shift=5),
            params=frozenset({"shift"}),
        )
    )
    res = compute(ChartRequest("i", MONTHS[:24], STEP, None, {"rules": "shift_only"}))
    assert set(res.signals) == {"outside_limits", "runs", "shift", "special_cause"}
    assert res.signals["shift"][12:22].all() and not res.signals["runs"].any()
    assert res.rule_set["name"] == "shift_only" and res.rule_set["shift"] == 5
    assert {d.rule for d in res.signal_details} == {"shift", "outside_limits"}
    assert res.signal_details[0].text.startswith("Shift (5 or more points")
    longer = compute(
        ChartRequest("i", MONTHS[:24], STEP, None, {"rules": {"name": "shift_only", "shift": 13}})
    )
    assert not longer.signals["shift"].any()


def test_a_rule_switched_off_by_its_parameter_never_fires() -> None:
    res = compute(ChartRequest("xmr", MONTHS[:24], STEP, None, {"rules": {"name": "custom", "shift": None}}))
    assert not res.signals["shift"].any() and res.signals["outside_limits"].any()


def test_anhoej_runs_never_fire_on_a_moving_range_chart() -> None:
    assert "mr" not in RULES["anhoej_runs"].charts
    res = compute(ChartRequest("mr", None, [1.0] * 10 + [5.0] * 10))
    assert not res.signals["runs"].any() and not any(d.rule.startswith("anhoej") for d in res.signal_details)


@pytest.mark.parametrize("rules", ["anhoej", "nhs", "ihi", "custom"])
@pytest.mark.parametrize("chart", ["run", "i", "xmr", "c"])
def test_every_explained_signal_is_a_registered_kind_with_a_label(chart: str, rules: str) -> None:
    res = compute(ChartRequest(chart, MONTHS[:24], STEP, None, {"rules": rules}))
    assert res.signal_details
    for detail in res.signal_details:
        kind = signal_kind(detail.rule)
        assert rule_label(detail.rule) == kind.label and kind.label != detail.rule
    for key, flags in res.signals.items():
        assert flags.dtype == np.bool_ and flags.shape == (len(res),), key


def test_an_unregistered_signal_code_cannot_reach_a_result(scratch_registry: None) -> None:
    # An explainer that reports a kind nobody registered is an engine bug, caught at once.
    def rogue(builder: object, flags: np.ndarray) -> None:
        builder.add("rogue_code", [0], 1, 0, "text")  # type: ignore[attr-defined]

    register_rule(Rule("rogue", "Rogue", detect_shift, rogue, switch="shift"))
    register_rule_set(RuleSetSpec("rogue_set", "Rogue set", ("rogue",), RuleSet("rogue_set", shift=2)))
    res = compute(ChartRequest("i", None, [1.0, 2.0, 3.0, 4.0], None, {"rules": "rogue_set"}))
    with pytest.raises(KeyError):
        res.signal_details  # noqa: B018
