"""NHS "Making Data Count" XmR charts, as NHSRplotthedots 0.2.2 computes them.

Spec section 3. Limits use the constant 2.66 (not 3/1.128), each rebase group
is analysed on its own, and the rules are: outside the limits, a trend of 7,
2 of 3 beyond 2 sigma, and a shift of 7 points, ranked in that order.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import SPCInputError
from .registry import evaluate, rule_set_spec
from .rules import RuleInput, RuleSet, trend_flags
from .runs import centre_side
from .stats import exact_mean, screened_mean
from .types import ChartResult, Labels
from .validate import Prepared, XmrOptions

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

LIMIT = 2.66
NEAR = 2 * 2.66 / 3
SCREEN = 3.267
SHORT_GROUP = 13

POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)

SHORT_GROUP_WARNING = (
    "Some groups have fewer than 13 points, so their limits are trial limits: "
    "they will change as more points arrive (until fix_after_n_points is reached)."
)


def _sort_by_date(prep: Prepared) -> tuple[npt.NDArray[Any], FloatArray]:
    keys = prep.x.keys
    y = prep.y
    if keys.shape[0] > 1 and not bool(np.all(keys[1:] > keys[:-1])):
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        dup = np.flatnonzero(keys[1:] == keys[:-1])
        if dup.shape[0]:
            raise SPCInputError(
                "x", "repeats an earlier x (an xmr chart needs one row per date)", int(order[dup[0] + 1])
            )
        y = y[order]
    else:
        y = y.copy()
        keys = keys.copy()
    return keys, y


def _group_bounds(keys: npt.NDArray[Any], rebase: tuple[Any, ...]) -> tuple[list[tuple[int, int]], int]:
    """Rebase groups as half-open index ranges, and the number of the first group.

    The reference numbers a point's group by the running count of rebase
    dates met up to and including that point, so a rebase on the very first
    date makes every group number one higher (the first group is 1, not 0).
    """
    size = keys.shape[0]
    starts = {0}
    first = 0
    for value in rebase:
        pos = int(np.searchsorted(keys, value))
        # A rebase date that matches no point is ignored, as in the reference.
        if pos < size and keys[pos] == value:
            if pos == 0:
                first = 1
            starts.add(pos)
    ordered = sorted(starts)
    return list(zip(ordered, [*ordered[1:], size], strict=False)), first


def _group_limits(y: FloatArray, fix: int | None, screen: bool) -> tuple[float, float]:
    """(mean, average moving range) of one rebase group."""
    fixed = y if fix is None else y[:fix]
    mean = exact_mean(fixed)
    mr = np.abs(np.diff(fixed))
    return mean, screened_mean(mr, screen, SCREEN)


def compute_xmr(prep: Prepared) -> ChartResult:
    """Compute an NHS Making Data Count XmR chart from a validated request."""
    opts = prep.options
    assert isinstance(opts, XmrOptions)
    keys, y = _sort_by_date(prep)
    size = y.shape[0]
    bounds, first_group = _group_bounds(keys, opts.rebase)
    single = len(bounds) == 1
    cl: Any = None if single else np.empty(size)
    lcl: Any = None if single else np.empty(size)
    ucl: Any = None if single else np.empty(size)
    outside = np.empty(size, dtype=bool)
    close = np.empty(size, dtype=bool)
    group = np.empty(size, dtype=np.int32)
    short = np.empty(size, dtype=bool)
    for g, (start, end) in enumerate(bounds):
        sl = slice(start, end)
        ys = y[sl]
        mean, amr = _group_limits(ys, opts.fix_after_n_points, opts.screen_outliers)
        low, high = mean - LIMIT * amr, mean + LIMIT * amr
        if single:
            # Constant lines cost no memory: read-only broadcast views.
            cl = np.broadcast_to(np.float64(mean), (size,))
            lcl = np.broadcast_to(np.float64(low), (size,))
            ucl = np.broadcast_to(np.float64(high), (size,))
        else:
            cl[sl] = mean
            lcl[sl] = low
            ucl[sl] = high
        # Strict comparisons; NaN limits or values never signal.
        np.greater(ys, high, out=outside[sl])
        outside[sl] |= ys < low
        np.less(ys, mean - NEAR * amr, out=close[sl])
        close[sl] |= ys > mean + NEAR * amr
        close[sl] &= ~outside[sl]
        group[sl] = g + first_group
        short[sl] = (end - start) < SHORT_GROUP
    side = centre_side(y, cl)
    new_group = np.zeros(size, dtype=bool)
    for start, _ in bounds[1:]:
        new_group[start] = True
    rules = prep.rules
    spec = rule_set_spec(rules.name)
    signals = evaluate(
        RuleInput("xmr", rules, y, cl, lcl, ucl, outside, bounds, nhs_style=spec.nhs_style, close=close)
    )
    if spec.nhs_style:
        label, names = _nhs_labels(rules, y, side, signals, new_group)
    else:
        label, names = _other_labels(rules, side, signals)
    point_type = _point_types(label, names, opts.improvement_direction)
    variation_type = POINT_TYPES[int(point_type[-1])]
    assurance = _assurance(opts, float(lcl[-1]), float(ucl[-1]))
    warnings = (SHORT_GROUP_WARNING,) if bool(short.any()) else ()
    return ChartResult(
        chart="xmr",
        x=keys,
        y=y,
        cl=cl,
        lcl=lcl,
        ucl=ucl,
        signals=signals,
        rule_set=rules.to_dict(),
        explain=prep.explain,
        x_kind=prep.x.kind,
        rebase_group=group,
        short_group_warning=short,
        relative_to_mean=side,
        close_to_limits=close,
        special_cause_type=Labels(label, names),
        point_type=Labels(point_type, POINT_TYPES),
        variation_type=variation_type,
        variation_icon=_variation_icon(variation_type, opts.improvement_direction),
        assurance_type=assurance,
        assurance_icon=_ASSURANCE_ICON.get(assurance or ""),
        warnings=warnings,
        target=opts.target,
        improvement_direction=opts.improvement_direction,
        context={
            "bounds": bounds,
            "first_group": first_group,
            "labels": (),
            "multiply": 1.0,
            "categorical": False,
            "centre": "mean",
        },
    )


def _label_names(rules: RuleSet) -> tuple[str, ...]:
    trend = rules.trend or 7
    shift = rules.shift or 7
    return (
        "Common Cause",
        "Above UCL",
        "Below LCL",
        f"{trend} Point Trend (Increasing)",
        f"{trend} Point Trend (Decreasing)",
        "2 in 3 Above CL",
        "2 in 3 Below CL",
        f"{shift} Points Above CL",
        f"{shift} Points Below CL",
    )


def _trend_increasing(
    y: FloatArray,
    trend: BoolArray,
    up: BoolArray,
    down: BoolArray,
    new_group: BoolArray,
    quirks: bool,
    idx: npt.NDArray[np.intp],
) -> BoolArray:
    """Direction of the trend label of the points ``idx`` (spec 3.3).

    The step to the right is used when the point and the next one (same
    group) are both in a trend, otherwise the step from the left (0 at the
    start of a group); a positive step means "Increasing".
    """
    size = y.shape[0]
    nxt = np.minimum(idx + 1, size - 1)
    prv = np.maximum(idx - 1, 0)
    with np.errstate(invalid="ignore"):
        right = np.sign(y[nxt] - y[idx])
        left = np.sign(y[idx] - y[prv])
    left[(idx == 0) | new_group[idx]] = 0.0
    next_in = (idx + 1 < size) & trend[nxt] & ~new_group[nxt]
    use_right = trend[idx] & next_in
    increasing = np.where(use_right, right, left) > 0
    if not quirks:
        # Outside exact emulation, a point that sits in only one kind of trend
        # takes that trend's direction, so a tie cannot flip the label.
        u, d = up[idx], down[idx]
        increasing = np.where(u & ~d, True, np.where(d & ~u, False, increasing))
    return increasing


def _nhs_labels(
    rules: RuleSet,
    y: FloatArray,
    side: npt.NDArray[np.int8],
    signals: dict[str, BoolArray],
    new_group: BoolArray,
) -> tuple[npt.NDArray[np.int8], tuple[str, ...]]:
    """One label per point by NHS precedence: outside > trend > two-in-three > shift."""
    size = y.shape[0]
    none = np.zeros(size, dtype=bool)
    outside = signals["outside_limits"]
    trend = signals.get("trend", none)
    two = signals.get("two_in_three", none)
    shift = signals.get("shift", none)
    special = signals["special_cause"]
    idx = np.flatnonzero(special)
    label = np.zeros(size, dtype=np.int8)
    if idx.shape[0]:
        # Only flagged points need a label; work on those alone.
        if rules.trend and not rules.emulate_quirks:
            up, down = trend_flags(y, rules.trend, new_group if new_group.any() else None)
        else:
            up = down = none
        above = side[idx] > 0
        inc = _trend_increasing(y, trend, up, down, new_group, rules.emulate_quirks, idx)
        o, t, w, sh = outside[idx], trend[idx], two[idx], shift[idx]
        label[idx] = np.select(
            [o & above, o, t & inc, t, w & above, w, sh & above, sh],
            np.arange(1, 9, dtype=np.int8),
            default=np.int8(0),
        ).astype(np.int8)
    return label, _label_names(rules)


def _other_labels(
    rules: RuleSet, side: npt.NDArray[np.int8], signals: dict[str, BoolArray]
) -> tuple[npt.NDArray[np.int8], tuple[str, ...]]:
    """Labels under a non-NHS rule set (Anhøj, IHI) on an XmR chart: by the side of the mean."""
    outside = signals["outside_limits"]
    special = signals["special_cause"]
    above = side > 0
    label = np.select(
        [outside & above, outside, special & above, special & (side < 0)],
        np.array([1, 2, 3, 4], dtype=np.int8),
        default=np.int8(0),
    )
    # Named by the rule set's label from the registry, never its code (which once read "ihi Above CL").
    label_of_set = rule_set_spec(rules.name).label
    names = (
        "Common Cause",
        "Above UCL",
        "Below LCL",
        f"{label_of_set}: Above CL",
        f"{label_of_set}: Below CL",
    )
    return label.astype(np.int8), names


def _point_types(label: npt.NDArray[np.int8], names: tuple[str, ...], direction: str) -> npt.NDArray[np.int8]:
    ups = np.array(["Above" in s or "Increasing" in s for s in names])
    downs = np.array(["Below" in s or "Decreasing" in s for s in names])
    out = np.zeros(label.shape[0], dtype=np.int8)
    idx = np.flatnonzero(label)
    lab = label[idx]
    v = ups[lab].astype(np.int8) - downs[lab].astype(np.int8)
    if direction == "neutral":
        codes = (3, 4)
    else:
        codes = (1, 2)
        if direction == "decrease":
            v = -v
    out[idx] = np.select([v > 0, v < 0], [np.int8(codes[0]), np.int8(codes[1])], np.int8(0))
    return out


def _variation_icon(point_type: str, direction: str) -> str:
    if point_type == "special_cause_neutral_high":
        return "neutral_high"
    if point_type == "special_cause_neutral_low":
        return "neutral_low"
    if point_type == "special_cause_improvement":
        return "improvement_high" if direction == "increase" else "improvement_low"
    if point_type == "special_cause_concern":
        return "concern_low" if direction == "increase" else "concern_high"
    return "common_cause"


_ASSURANCE_ICON = {"consistent_pass": "pass", "consistent_fail": "fail", "inconsistent": "inconsistent"}


def _assurance(opts: XmrOptions, lpl: float, upl: float) -> str | None:
    target = opts.target
    if target is None or opts.improvement_direction == "neutral":
        return None
    increase = opts.improvement_direction == "increase"
    # NaN limits compare false both ways and fall through to inconsistent.
    if not math.isnan(upl) and target > upl:
        return "consistent_fail" if increase else "consistent_pass"
    if not math.isnan(lpl) and target < lpl:
        return "consistent_pass" if increase else "consistent_fail"
    return "inconsistent"
