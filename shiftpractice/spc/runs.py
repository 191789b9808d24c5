"""Runs analysis: Anhøj's rules per phase, and the IHI run-chart rules.

All work is vectorised: signs, run boundaries and run lengths come from
NumPy comparisons on whole arrays, never from a Python loop over points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .rules import (
    RuleSet,
    long_runs,
    shift_flags_skipping,
    trend_flags,
    trend_flags_skipping_ties,
    two_in_three_flags,
)
from .stats import anhoej_limits, exact_mean, runs_count_limits, screened_mean

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class RunsStats:
    """Anhøj statistics of one phase."""

    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    signal: bool


def useful_signs(y: FloatArray, cl: Any, include: BoolArray | None) -> BoolArray:
    """Side of the centre line (True = above) of the useful points.

    Useful points are the included ones that are neither missing nor exactly
    on the centre line.
    """
    if include is not None and not include.all():
        y = y[include]
        if isinstance(cl, np.ndarray) and cl.ndim:
            cl = cl[include]
    with np.errstate(invalid="ignore"):
        d = np.subtract(y, cl)
        above = d > 0
        keep = above | (d < 0)
    del d
    if not keep.all():
        above = above[keep]
    return above


def anhoej(y: FloatArray, cl: Any, include: BoolArray | None) -> RunsStats:
    """Anhøj runs analysis of one phase (spec 2.5).

    Examples
    --------
    >>> st = anhoej(np.array([1., 2, 3, 4, 5, 6, 7, 8, 9, 10]), 5.0, None)
    >>> (st.n_useful, st.longest_run, st.n_crossings, st.signal)
    (9, 5, 1, True)
    """
    n_obs = int(y.shape[0] if include is None else np.count_nonzero(include))
    s = useful_signs(y, cl, include)
    n_useful = int(s.shape[0])
    if n_useful == 0:
        return RunsStats(n_obs, 0, None, None, None, None, False)
    change = np.flatnonzero(s[1:] != s[:-1])
    n_crossings = int(change.shape[0])
    if n_crossings == 0:
        longest = n_useful
    else:
        # Run lengths: up to the first change, between changes, after the last.
        longest = max(int(change[0]) + 1, n_useful - 1 - int(change[-1]))
        if n_crossings > 1:
            longest = max(longest, int(np.diff(change).max()))
    lr_max, cr_min = anhoej_limits(n_useful)
    signal = longest > lr_max or n_crossings < cr_min
    return RunsStats(n_obs, n_useful, longest, lr_max, n_crossings, cr_min, signal)


def ihi_runs_signal(y: FloatArray, cl: Any, include: BoolArray | None) -> tuple[bool, int, int, int]:
    """IHI too-few/too-many runs for one phase: (signal, runs, low, high)."""
    s = useful_signs(y, cl, include)
    n_useful = int(s.shape[0])
    if n_useful < 10:
        # The published table starts at 10 useful points; fewer cannot signal.
        return False, 0, 0, 0
    runs = int(np.count_nonzero(s[1:] != s[:-1])) + 1
    low, high = runs_count_limits(n_useful)
    return (runs < low or runs > high), runs, low, high


def xmr_limits(y: FloatArray) -> tuple[float, float]:
    """Individuals (XmR) 3-sigma limits of a series, for IHI astronomical points."""
    mean = exact_mean(y)
    mr = np.abs(np.diff(y))
    amr = screened_mean(mr, True, 3.267)
    return mean - 2.66 * amr, mean + 2.66 * amr


def centre_side(y: FloatArray, cl: Any) -> npt.NDArray[np.int8]:
    """+1 above, -1 below, 0 on the centre line or missing."""
    with np.errstate(invalid="ignore"):
        d = np.subtract(y, cl)
        side = (d > 0).view(np.int8).copy()
        side -= (d < 0).view(np.int8)
    return side


def evaluate_rule_set(
    rules: RuleSet,
    y: FloatArray,
    cl: FloatArray,
    lcl: FloatArray,
    ucl: FloatArray,
    near_low: FloatArray | None,
    near_high: FloatArray | None,
    bounds: list[tuple[int, int]],
    include: BoolArray | None,
    outside: BoolArray,
) -> dict[str, BoolArray]:
    """Flags of a non-default rule set on a computed chart.

    ``bounds`` are the phases (or rebase groups) as half-open index ranges.
    Excluded and missing points neither count for nor (for IHI) break a run;
    under NHS-style rules they break runs and trends.
    """
    n = y.shape[0]
    new_group = np.zeros(n, dtype=bool)
    for start, _ in bounds[1:]:
        new_group[start] = True
    usable = ~np.isnan(y)
    if include is not None:
        usable &= include
    side = centre_side(y, cl)
    side[~usable] = 0
    out: dict[str, BoolArray] = {}
    if rules.shift:
        if rules.nhs_style:
            out["shift"] = long_runs(side > 0, rules.shift, new_group) | long_runs(
                side < 0, rules.shift, new_group
            )
        else:
            above, below = shift_flags_skipping(side, rules.shift, usable, new_group)
            out["shift"] = above | below
    if rules.trend:
        if rules.nhs_style:
            yt = y if include is None else np.where(include, y, np.nan)
            up, down = trend_flags(yt, rules.trend, new_group)
        else:
            up, down = trend_flags_skipping_ties(y, rules.trend, usable, new_group)
        out["trend"] = up | down
    if rules.two_in_three:
        if near_low is None or near_high is None:
            out["two_in_three"] = np.zeros(n, dtype=bool)
        else:
            with np.errstate(invalid="ignore"):
                close = ~outside & ((y < near_low) | (y > near_high)) & usable
            out["two_in_three"] = two_in_three_flags(close, side, new_group)
    if rules.astronomical:
        out["astronomical"] = _astronomical(y, lcl, ucl, bounds, usable, outside)
    if rules.ihi_runs:
        runs = np.zeros(n, dtype=bool)
        for start, end in bounds:
            inc = None if include is None else include[start:end]
            cl_part = cl[start:end]
            if ihi_runs_signal(y[start:end], cl_part, inc)[0]:
                runs[start:end] = True
        out["runs"] = runs
    return out


def _astronomical(
    y: FloatArray,
    lcl: FloatArray,
    ucl: FloatArray,
    bounds: list[tuple[int, int]],
    usable: BoolArray,
    outside: BoolArray,
) -> BoolArray:
    """Points beyond the 3-sigma limits; XmR limits stand in on a run chart."""
    flags = outside.copy()
    for start, end in bounds:
        lo, hi = lcl[start:end], ucl[start:end]
        if np.isnan(lo).all() and np.isnan(hi).all():
            ys = y[start:end][usable[start:end]]
            if ys.shape[0] < 2:
                continue
            low, high = xmr_limits(ys)
            if math.isfinite(low) and math.isfinite(high):
                seg = y[start:end]
                with np.errstate(invalid="ignore"):
                    flags[start:end] = ((seg > high) | (seg < low)) & usable[start:end]
    return flags
