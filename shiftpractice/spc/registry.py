"""The rule registry: every special-cause rule and every named rule set, declared once.

A **rule** has a code (its key in ``ChartResult.signals``, or a code of its
own when several rules share a key, as the two runs rules share ``runs``), a
label people read, a detector (flags per point), an explainer (plain-language
texts) and the chart types it can fire on. Its explanations name their
episodes by **signal kinds** (``SignalDetail.rule``), each with a label too, so
no code ever reaches a person without its words.

A **rule set** groups rules under a name (``anhoej``, ``nhs``, ``ihi``,
``custom``), with a label, its default parameters, the parameters a request
may change, the charts it is the default for, and how runs treat ties.

The engine loops over the rule set's rules here, both to flag points
(:func:`evaluate`) and to explain them (``explain.build_details``); the web
app takes labels and defaults from here (:func:`rule_label`,
:func:`rule_set_label`, :func:`default_rule_set`). Registering a rule or a
rule set without a label raises :class:`ValueError`.

Examples
--------
>>> rule_label("shift"), rule_label("anhoej_few_crossings")
('Shift', 'Too few crossings')
>>> default_rule_set("xmr"), default_rule_set("p"), rule_set_label("ihi")
('nhs', 'anhoej', 'IHI run chart rules')
>>> [r.code for r in rules_of("anhoej")]
['outside_limits', 'anhoej_runs']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from . import explain as _explain
from . import runs as _runs
from .errors import SPCInputError
from .rules import RuleInput, RuleSet
from .types import CHART_TYPES, QIC_CHARTS

BoolArray = npt.NDArray[np.bool_]
Detector = Callable[[RuleInput], BoolArray]
Explainer = Callable[[Any, BoolArray], None]

__all__ = [
    "RULES",
    "RULE_SETS",
    "RULE_SET_SPECS",
    "Rule",
    "RuleSetSpec",
    "SignalKind",
    "default_rule_set",
    "evaluate",
    "parse_rules",
    "register_rule",
    "register_rule_set",
    "rule_label",
    "rule_set_label",
    "rule_set_spec",
    "rules_of",
    "signal_kind",
]

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAMETERS = frozenset(f.name for f in fields(RuleSet)) - {"name"}


@dataclass(frozen=True)
class SignalKind:
    """One kind of signal episode an explainer reports (``SignalDetail.rule``).

    ``marks_points`` is False when the episode speaks of a whole phase (too few
    crossings, too many runs) rather than of the points it lists, so a user
    interface should not mark those points one by one.
    """

    code: str
    label: str
    marks_points: bool = True


@dataclass(frozen=True)
class Rule:
    """One special-cause rule.

    Attributes
    ----------
    code : str
        Unique id; also the ``signals`` key unless ``signal`` says otherwise.
    label : str
        What people read, e.g. ``"Shift"``.
    detect : callable
        ``detect(RuleInput) -> bool array``, one flag per plotted point.
    explain : callable
        ``explain(builder, flags)`` adds one :class:`SignalDetail` per episode.
    charts : frozenset of str
        The chart types the rule can fire on; elsewhere its flags are all false.
    switch : str or None
        The :class:`RuleSet` parameter that turns the rule on (and may give its
        length); None when the rule is always on in the sets that list it.
    signal : str
        The key of its flags in ``ChartResult.signals`` (default: ``code``).
    kinds : tuple of SignalKind
        The episode codes its explanations use (default: one, ``code``/``label``).
    """

    code: str
    label: str
    detect: Detector
    explain: Explainer
    charts: frozenset[str] = frozenset(CHART_TYPES)
    switch: str | None = None
    signal: str = ""
    kinds: tuple[SignalKind, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.signal:
            object.__setattr__(self, "signal", self.code)
        if not self.kinds:
            object.__setattr__(self, "kinds", (SignalKind(self.code, self.label),))

    def enabled(self, rules: RuleSet) -> bool:
        """Whether this rule is switched on by the rule set's parameters."""
        return self.switch is None or bool(getattr(rules, self.switch))


@dataclass(frozen=True)
class RuleSetSpec:
    """A named rule set.

    Attributes
    ----------
    name : str
        The name a request gives in ``options.rules``.
    label : str
        What people read, e.g. ``"NHS Making Data Count"``.
    rules : tuple of str
        Codes of its rules, in the order they are evaluated.
    defaults : RuleSet
        Its parameters when the request gives none.
    params : frozenset of str
        The parameters a request may change (``{"name": ..., "shift": 8}``).
    default_for : frozenset of str
        Chart types that use this set when the request names none.
    nhs_style : bool
        NHS semantics: a missing value or a point on the centre line breaks a
        run or trend, and XmR points are labelled by NHS precedence. False:
        such points are skipped (IHI).
    special_cause : bool
        Add the ``special_cause`` union of all flags on qicharts2-style charts
        (XmR charts always have it).
    """

    name: str
    label: str
    rules: tuple[str, ...]
    defaults: RuleSet
    params: frozenset[str] = frozenset()
    default_for: frozenset[str] = frozenset()
    nhs_style: bool = True
    special_cause: bool = True


_RULES: dict[str, Rule] = {}
_KINDS: dict[str, SignalKind] = {}
_SPECS: dict[str, RuleSetSpec] = {}
_DEFAULTS: dict[str, RuleSet] = {}

#: Every registered rule by code (read-only view).
RULES: Mapping[str, Rule] = MappingProxyType(_RULES)
#: Every registered rule set by name (read-only view).
RULE_SET_SPECS: Mapping[str, RuleSetSpec] = MappingProxyType(_SPECS)
#: The default parameters of every rule set by name (read-only view).
RULE_SETS: Mapping[str, RuleSet] = MappingProxyType(_DEFAULTS)


def _need_label(what: str, label: Any) -> None:
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"{what} needs a label (the words people read)")


def register_rule(rule: Rule) -> Rule:
    """Add a rule to the registry; refuse it without labels or with a clash.

    Examples
    --------
    >>> register_rule(Rule("odd_rule", "", _runs.detect_shift, _explain.explain_shift))
    Traceback (most recent call last):
    ...
    ValueError: rule 'odd_rule' needs a label (the words people read)
    """
    if not isinstance(rule.code, str) or not _CODE.match(rule.code):
        raise ValueError(f"rule code {rule.code!r} must be lower-case letters, digits and _")
    _need_label(f"rule {rule.code!r}", rule.label)
    if rule.code in _RULES:
        raise ValueError(f"rule {rule.code!r} is already registered")
    if not callable(rule.detect) or not callable(rule.explain):
        raise ValueError(f"rule {rule.code!r} needs a detector and an explainer")
    if not rule.charts or not rule.charts <= set(CHART_TYPES):
        raise ValueError(f"rule {rule.code!r}: charts must be chart types of the engine")
    if rule.switch is not None and rule.switch not in _PARAMETERS:
        raise ValueError(f"rule {rule.code!r}: switch must be a RuleSet parameter")
    for kind in rule.kinds:
        _need_label(f"signal kind {kind.code!r} of rule {rule.code!r}", kind.label)
        if kind.code in _KINDS and _KINDS[kind.code] != kind:
            raise ValueError(f"signal kind {kind.code!r} is already registered")
    for kind in rule.kinds:
        _KINDS[kind.code] = kind
    _RULES[rule.code] = rule
    return rule


def register_rule_set(spec: RuleSetSpec) -> RuleSetSpec:
    """Add a rule set to the registry; its rules must be registered first."""
    if not isinstance(spec.name, str) or not _CODE.match(spec.name):
        raise ValueError(f"rule set name {spec.name!r} must be lower-case letters, digits and _")
    _need_label(f"rule set {spec.name!r}", spec.label)
    if spec.name in _SPECS:
        raise ValueError(f"rule set {spec.name!r} is already registered")
    if spec.defaults.name != spec.name:
        raise ValueError(f"rule set {spec.name!r}: its defaults must carry its name")
    unknown = [code for code in spec.rules if code not in _RULES]
    if unknown or not spec.rules:
        raise ValueError(f"rule set {spec.name!r}: unknown rules {unknown}")
    if not spec.params <= _PARAMETERS:
        raise ValueError(f"rule set {spec.name!r}: parameters must be RuleSet fields")
    for chart in spec.default_for:
        if chart not in CHART_TYPES:
            raise ValueError(f"rule set {spec.name!r}: {chart!r} is not a chart type")
        taken = [s.name for s in _SPECS.values() if chart in s.default_for]
        if taken:
            raise ValueError(f"rule set {spec.name!r}: {taken[0]!r} is already the default for {chart!r}")
    _SPECS[spec.name] = spec
    _DEFAULTS[spec.name] = spec.defaults
    return spec


# --------------------------------------------------------------------- look-ups


def rule_set_spec(name: str) -> RuleSetSpec:
    """The registered rule set called ``name`` (KeyError if there is none)."""
    return _SPECS[name]


def rules_of(name: str) -> tuple[Rule, ...]:
    """The rules of a rule set, in evaluation order."""
    return tuple(_RULES[code] for code in _SPECS[name].rules)


def signal_kind(code: str) -> SignalKind:
    """The signal kind of an explanation's rule code (KeyError if unregistered)."""
    return _KINDS[code]


def rule_label(code: str) -> str:
    """The label of a signal kind or rule code, e.g. ``"Long run"`` (KeyError if unknown)."""
    if code in _KINDS:
        return _KINDS[code].label
    return _RULES[code].label


def rule_set_label(name: str) -> str:
    """The label of a rule set, e.g. ``"NHS Making Data Count"``."""
    return _SPECS[name].label


def default_rule_set(chart: str) -> str:
    """The name of the rule set a chart type uses when the request names none."""
    for spec in _SPECS.values():
        if chart in spec.default_for:
            return spec.name
    raise KeyError(chart)


def parse_rules(value: Any, chart: str) -> RuleSet:
    """Resolve the ``rules`` option (a name, a mapping, or None for the chart's default)."""
    if value is None:
        return _DEFAULTS[default_rule_set(chart)]
    if isinstance(value, str):
        if value not in _SPECS:
            raise SPCInputError("options.rules", f"unknown rule set {value!r}; expected " + ", ".join(_SPECS))
        return _DEFAULTS[value]
    if not isinstance(value, Mapping):
        raise SPCInputError("options.rules", "must be a rule-set name or an object")
    name = value.get("name", "custom")
    if not isinstance(name, str) or name not in _SPECS:
        raise SPCInputError("options.rules.name", f"unknown rule set {name!r}")
    params = _SPECS[name].params
    changes: dict[str, Any] = {}
    for key, v in value.items():
        if key == "name":
            continue
        if key not in params:
            raise SPCInputError(f"options.rules.{key}", f"not a parameter of rule set {name!r}")
        if key in ("shift", "trend"):
            if v is None:
                changes[key] = None
                continue
            if isinstance(v, bool) or not isinstance(v, int) or not 2 <= v <= 1000:
                raise SPCInputError(f"options.rules.{key}", "must be an integer from 2 to 1000")
        elif not isinstance(v, bool):
            raise SPCInputError(f"options.rules.{key}", "must be true or false")
        changes[key] = v
    return replace(_DEFAULTS[name], **changes)


def evaluate(inp: RuleInput) -> dict[str, BoolArray]:
    """Flag the points of one chart under its rule set: the registry's loop.

    Returns one flag array per rule of the set (keyed by the rule's signal
    key; a rule switched off or not for this chart gives all false), plus
    ``special_cause`` (the union) on XmR charts and where the set asks for it.
    """
    spec = _SPECS[inp.rules.name]
    out: dict[str, BoolArray] = {}
    for code in spec.rules:
        rule = _RULES[code]
        on = rule.enabled(inp.rules) and inp.chart in rule.charts
        out[rule.signal] = rule.detect(inp) if on else inp.zeros()
    if inp.chart == "xmr" or spec.special_cause:
        union = inp.zeros()
        for flags in out.values():
            union |= flags
        out["special_cause"] = union
    return out


# ------------------------------------------------------------------- the rules

_NOT_MR = frozenset(CHART_TYPES) - {"mr"}
_WITH_SIGMA_LINES = frozenset(CHART_TYPES) - {"run"}

register_rule(
    Rule("outside_limits", "Outside the limits", _runs.detect_outside_limits, _explain.explain_outside_limits)
)
register_rule(
    Rule(
        "anhoej_runs",
        "Runs signal (Anhøj)",
        _runs.detect_anhoej_runs,
        _explain.explain_anhoej_runs,
        charts=_NOT_MR,  # qicharts2 gives no runs signal on a moving-range chart
        switch="anhoej_runs",
        signal="runs",
        kinds=(
            SignalKind("anhoej_long_run", "Long run"),
            SignalKind("anhoej_few_crossings", "Too few crossings", marks_points=False),
            SignalKind("anhoej_runs", "Runs signal (Anhøj)", marks_points=False),
        ),
    )
)
register_rule(
    Rule(
        "ihi_runs",
        "Too many or too few runs",
        _runs.detect_ihi_runs,
        _explain.explain_ihi_runs,
        switch="ihi_runs",
        signal="runs",
        kinds=(SignalKind("ihi_runs", "Too many or too few runs", marks_points=False),),
    )
)
register_rule(Rule("shift", "Shift", _runs.detect_shift, _explain.explain_shift, switch="shift"))
register_rule(Rule("trend", "Trend", _runs.detect_trend, _explain.explain_trend, switch="trend"))
register_rule(
    Rule(
        "two_in_three",
        "Two of three near a limit",
        _runs.detect_two_in_three,
        _explain.explain_two_in_three,
        charts=_WITH_SIGMA_LINES,
        switch="two_in_three",
    )
)
register_rule(
    Rule(
        "astronomical",
        "Astronomical point",
        _runs.detect_astronomical,
        _explain.explain_astronomical,
        switch="astronomical",
    )
)

# --------------------------------------------------------------- the rule sets

register_rule_set(
    RuleSetSpec(
        "anhoej",
        "Anhøj runs analysis (qicharts2)",
        rules=("outside_limits", "anhoej_runs"),
        defaults=RuleSet("anhoej", anhoej_runs=True),
        default_for=frozenset(QIC_CHARTS),
        special_cause=False,
    )
)
register_rule_set(
    RuleSetSpec(
        "nhs",
        "NHS Making Data Count",
        rules=("outside_limits", "trend", "two_in_three", "shift"),
        defaults=RuleSet("nhs", shift=7, trend=7, two_in_three=True, emulate_quirks=True),
        params=frozenset({"emulate_quirks"}),
        default_for=frozenset({"xmr"}),
    )
)
register_rule_set(
    RuleSetSpec(
        "ihi",
        "IHI run chart rules",
        rules=("outside_limits", "shift", "trend", "ihi_runs", "astronomical"),
        defaults=RuleSet("ihi", shift=6, trend=5, ihi_runs=True, astronomical=True),
        params=frozenset({"shift", "trend"}),
        nhs_style=False,
    )
)
register_rule_set(
    RuleSetSpec(
        "custom",
        "Custom lengths (NHS-style rules)",
        rules=("outside_limits", "trend", "two_in_three", "shift"),
        defaults=RuleSet("custom", shift=7, trend=7, two_in_three=True),
        params=frozenset({"shift", "trend", "two_in_three"}),
    )
)
