"""The rules page: every rule set and rule of the engine's registry, with its label from the registry and a
plain description here (the lengths from the rule set's own defaults).

The page lists what the registry holds, so a rule set added to the engine appears with its label; a rule
without a description here still shows its label, never its code.
"""

from __future__ import annotations

from dataclasses import dataclass

from shiftpractice.spc import RULE_SET_SPECS, RuleSet, rule_label
from shiftpractice.spc.registry import RuleSetSpec, rules_of

from ..choices import Chart, RuleSetName


def _outside(spec: RuleSetSpec, rs: RuleSet) -> str:
    if "xmr" in spec.default_for:
        return "a point beyond the process limits (mean ± 2.66 × the average moving range)."  # noqa: RUF001
    return (
        "a point beyond the 3-sigma limits of a control chart (on an XmR chart, beyond the process limits, "
        "mean ± 2.66 × the average moving range)."  # noqa: RUF001
    )


def _shift(spec: RuleSetSpec, rs: RuleSet) -> str:
    skipped = "" if spec.nhs_style else " (points on the centre line skipped)"
    return f"{rs.shift} or more points in a row on one side of the centre line{skipped}."


def _trend(spec: RuleSetSpec, rs: RuleSet) -> str:
    skipped = "" if spec.nhs_style else " (repeated values skipped)"
    return f"{rs.trend} or more points in a row, each higher (or each lower) than the one before{skipped}."


DESCRIPTIONS = {
    "outside_limits": _outside,
    "anhoej_long_run": lambda spec, rs: (
        "more points in a row on one side of the centre line than chance would "
        "usually give (the limit grows with the number of points)."
    ),
    "anhoej_few_crossings": lambda spec, rs: (
        "the data cross the centre line fewer times than chance would usually give."
    ),
    "shift": _shift,
    "trend": _trend,
    "two_in_three": lambda spec, rs: "2 of 3 points in a row beyond 2 sigma, on the same side.",
    "ihi_runs": lambda spec, rs: "too many or too few runs for the number of points.",
    "astronomical": lambda spec, rs: (
        "a point obviously different from the rest, judged objectively as beyond the 3-sigma limits."
    ),
}

NOTES = {
    "anhoej": "Points on the centre line and points left out of the calculations neither break nor extend a run.",
    "nhs": "On an XmR chart, with the improvement direction known, each signal is read as an improvement or a "
    "concern, and the variation and assurance icons summarise the latest point and whether the target will be met.",
}


@dataclass(frozen=True)
class RuleText:
    label: str
    description: str


@dataclass(frozen=True)
class RuleSetText:
    name: str  # the anchor charts link to (#nhs)
    label: str
    rules: tuple[RuleText, ...]
    note: str
    default_for: str  # the charts it is the default for, in words ("" when none)


def _chart_names(charts) -> str:
    names = [Chart(c).label for c in Chart.values if c in charts]
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def rule_sets() -> list[RuleSetText]:
    """Every rule set a measure can choose, with its rules, in the registry's order."""
    out = []
    for name, spec in RULE_SET_SPECS.items():
        if name not in RuleSetName.values:
            continue
        texts = []
        for rule in rules_of(name):
            # A rule that reports several kinds of signal is described by kind (Anhøj's long run and crossings).
            kinds = [k for k in rule.kinds if k.code in DESCRIPTIONS] or [rule.kinds[0]]
            for kind in kinds:
                describe = DESCRIPTIONS.get(kind.code) or DESCRIPTIONS.get(rule.code)
                texts.append(
                    RuleText(rule_label(kind.code), describe(spec, spec.defaults) if describe else "")
                )
        out.append(
            RuleSetText(name, spec.label, tuple(texts), NOTES.get(name, ""), _chart_names(spec.default_for))
        )
    return out
