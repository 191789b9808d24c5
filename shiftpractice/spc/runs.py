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
    RuleInput,
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


# ------------------------------------------------------------------ rule detectors
# Each takes a RuleInput and returns one boolean flag per plotted point; the
# registry (registry.py) names them and the engine calls them in a loop.


def detect_outside_limits(inp: RuleInput) -> BoolArray:
    """Points beyond the 3-sigma (or process) limits; the chart computed them."""
    return inp.outside


def detect_shift(inp: RuleInput) -> BoolArray:
    """Points in a run of ``rules.shift`` or more on one side of the centre line."""
    length = inp.rules.shift
    if not length:
        return inp.zeros()
    side, ng = inp.side, inp.new_group
    if inp.nhs_style:
        return long_runs(side > 0, length, ng) | long_runs(side < 0, length, ng)
    above, below = shift_flags_skipping(side, length, inp.usable, ng)
    return above | below


def detect_trend(inp: RuleInput) -> BoolArray:
    """Points in a run of ``rules.trend`` or more, each higher (or each lower) than the last."""
    length = inp.rules.trend
    if not length:
        return inp.zeros()
    if inp.nhs_style:
        y = inp.y if inp.include is None else np.where(inp.include, inp.y, np.nan)
        up, down = trend_flags(y, length, inp.new_group)
    else:
        up, down = trend_flags_skipping_ties(inp.y, length, inp.usable, inp.new_group)
    return up | down


def detect_two_in_three(inp: RuleInput) -> BoolArray:
    """2 of 3 points in a row beyond 2 sigma, all 3 on the same side."""
    close = inp.close
    if close is None:
        if inp.near_low is None or inp.near_high is None:
            return inp.zeros()
        with np.errstate(invalid="ignore"):
            close = ~inp.outside & ((inp.y < inp.near_low) | (inp.y > inp.near_high)) & inp.usable
    return two_in_three_flags(close, inp.side, inp.new_group)


def detect_astronomical(inp: RuleInput) -> BoolArray:
    """IHI's astronomical points (see :func:`_astronomical`)."""
    return _astronomical(inp.y, inp.lcl, inp.ucl, inp.bounds, inp.usable, inp.outside)


def detect_ihi_runs(inp: RuleInput) -> BoolArray:
    """Every point of a phase with too many or too few runs (IHI)."""
    runs = inp.zeros()
    for start, end in inp.bounds:
        inc = None if inp.include is None else inp.include[start:end]
        if ihi_runs_signal(inp.y[start:end], inp.cl[start:end], inc)[0]:
            runs[start:end] = True
    return runs


def detect_anhoej_runs(inp: RuleInput) -> BoolArray:
    """Every point of a phase whose Anhøj runs analysis signals."""
    if inp.phase_signals is not None:
        sizes = np.array([end - start for start, end in inp.bounds], dtype=np.intp)
        return np.repeat(np.array(inp.phase_signals, dtype=bool), sizes)
    runs = inp.zeros()
    for start, end in inp.bounds:
        if anhoej(inp.y[start:end], inp.cl[start:end], None).signal:
            runs[start:end] = True
    return runs


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
