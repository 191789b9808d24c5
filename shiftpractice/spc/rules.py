"""The rule-set parameter record and the vectorised detectors rules are built from.

Which rules exist, their labels and explanations, and which rule sets group
them, is declared once in :mod:`shiftpractice.spc.registry`. This module holds
the parameters of a chosen rule set (:class:`RuleSet`) and the array
primitives the detectors use.

Group boundaries (phases, rebase groups) are passed as a boolean array
``new_group`` that is True at the first point of every group after the first;
no rule ever spans a boundary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

__all__ = ["RuleInput", "RuleSet", "long_runs", "trend_flags", "two_in_three_flags"]


@dataclass(frozen=True)
class RuleSet:
    """The parameters of a named set of special-cause rules.

    The set's rules, label and defaults live in the registry
    (:data:`shiftpractice.spc.registry.RULE_SET_SPECS`); this record is what a
    chart was computed with, and goes into the result as ``rule_set``.

    Attributes
    ----------
    name : str
        A registered rule-set name: ``anhoej``, ``nhs``, ``ihi`` or ``custom``.
    shift : int or None
        Points in a row on one side of the centre line that make a shift.
    trend : int or None
        Points in a row each higher (or each lower) than the previous one.
    two_in_three : bool
        2 of 3 points beyond 2 sigma on the same side.
    anhoej_runs : bool
        Anhøj's longest-run and crossings rules.
    ihi_runs : bool
        IHI's too-many-or-too-few-runs rule.
    astronomical : bool
        IHI's astronomical data point.
    emulate_quirks : bool
        Reproduce the NHSRplotthedots trend-label quirk (spec 3.3).

    Examples
    --------
    >>> RuleSet("custom", shift=8).to_dict()["shift"]
    8
    """

    name: str
    shift: int | None = None
    trend: int | None = None
    two_in_three: bool = False
    anhoej_runs: bool = False
    ihi_runs: bool = False
    astronomical: bool = False
    emulate_quirks: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (every parameter, so a programme can record it)."""
        return asdict(self)


@dataclass(frozen=True)
class RuleInput:
    """What every rule detector receives: one computed chart, before its signals.

    ``bounds`` are the phases (or rebase groups) as half-open index ranges;
    ``include`` is None when every point counts. ``near_low``/``near_high``
    are the 2-sigma lines, or ``close`` marks the points beyond 2 sigma and
    inside the limits directly (the XmR chart gives it). ``phase_signals``
    is the Anhøj verdict of each phase when the chart computed it already.
    ``nhs_style`` says how runs treat ties: under NHS semantics a missing value
    or a point on the centre line breaks a run or trend; otherwise (IHI) it is
    skipped.
    """

    chart: str
    rules: RuleSet
    y: FloatArray
    cl: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    outside: BoolArray
    bounds: list[tuple[int, int]]
    nhs_style: bool = True
    include: BoolArray | None = None
    near_low: FloatArray | None = None
    near_high: FloatArray | None = None
    close: BoolArray | None = None
    phase_signals: tuple[bool, ...] | None = None

    @property
    def size(self) -> int:
        """Number of plotted points."""
        return int(self.y.shape[0])

    @cached_property
    def new_group(self) -> BoolArray:
        """True at the first point of every phase or rebase group after the first."""
        out = np.zeros(self.size, dtype=bool)
        for start, _ in self.bounds[1:]:
            out[start] = True
        return out

    @cached_property
    def usable(self) -> BoolArray:
        """Points that count for runs: present and included."""
        out = ~np.isnan(self.y)
        if self.include is not None:
            out &= self.include
        return out

    @cached_property
    def side(self) -> npt.NDArray[np.int8]:
        """+1 above the centre line, -1 below, 0 on it or not usable."""
        with np.errstate(invalid="ignore"):
            d = np.subtract(self.y, self.cl)
            side = (d > 0).view(np.int8).copy()
            side -= (d < 0).view(np.int8)
        side[~self.usable] = 0
        return side

    def zeros(self) -> BoolArray:
        """A fresh all-false flag array."""
        return np.zeros(self.size, dtype=bool)


# --------------------------------------------------------------------- detectors


def run_bounds(
    mask: BoolArray, new_group: BoolArray | None = None
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Start indices and exclusive end indices of the runs of True in ``mask``.

    Examples
    --------
    >>> run_bounds(np.array([1, 1, 0, 1], dtype=bool))
    (array([0, 3]), array([2, 4]))
    >>> run_bounds(np.array([1, 1, 1], dtype=bool), np.array([0, 1, 0], dtype=bool))
    (array([0, 1]), array([1, 3]))
    """
    n = mask.shape[0]
    padded = np.zeros(n + 2, dtype=np.int8)
    padded[1:-1] = mask.view(np.int8) if mask.dtype == np.bool_ else mask
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    if new_group is not None and n > 1:
        cuts = np.flatnonzero(new_group)
        cuts = cuts[cuts > 0]
        if cuts.shape[0]:
            cuts = cuts[mask[cuts] & mask[cuts - 1]]
            if cuts.shape[0]:
                starts = np.sort(np.concatenate((starts, cuts)))
                ends = np.sort(np.concatenate((ends, cuts)))
    return starts, ends


def cover(n: int, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> BoolArray:
    """Boolean array, True inside the disjoint half-open ranges [start, end)."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total * 4 < n:
        # Sparse: index the covered points directly instead of a full cumsum.
        out = np.zeros(n, dtype=bool)
        if total:
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            out[offsets + np.arange(total)] = True
        return out
    delta = np.zeros(n + 1, dtype=np.int8)
    delta[starts] += 1
    delta[ends] -= 1
    return np.cumsum(delta[:-1], dtype=np.int8) > 0


def long_runs(mask: BoolArray, min_len: int, new_group: BoolArray | None = None) -> BoolArray:
    """Mark the elements of runs of True at least ``min_len`` long.

    Examples
    --------
    >>> long_runs(np.array([1, 1, 1, 0, 1, 1], dtype=bool), 3).astype(int).tolist()
    [1, 1, 1, 0, 0, 0]
    >>> brk = np.array([0, 0, 1, 0, 0, 0], dtype=bool)
    >>> long_runs(np.ones(6, dtype=bool), 3, brk).astype(int).tolist()
    [0, 0, 1, 1, 1, 1]
    """
    n = mask.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    starts, ends = run_bounds(mask, new_group)
    keep = (ends - starts) >= min_len
    return cover(n, starts[keep], ends[keep])


def trend_flags(
    y: FloatArray, min_points: int, new_group: BoolArray | None = None
) -> tuple[BoolArray, BoolArray]:
    """Points in strictly rising and in strictly falling trends of ``min_points``.

    A tie or a missing value breaks a trend (NHS semantics).

    Examples
    --------
    >>> up, down = trend_flags(np.array([1., 2, 3, 4, 3, 2]), 4)
    >>> up.astype(int).tolist(), down.astype(int).tolist()
    ([1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 0])
    """
    n = y.shape[0]
    up_pts = np.zeros(n, dtype=bool)
    down_pts = np.zeros(n, dtype=bool)
    if n < 2 or min_points < 2:
        return up_pts, down_pts
    step = np.subtract(y[1:], y[:-1])
    up = step > 0
    down = step < 0
    del step
    if new_group is not None:
        cut = new_group[1:]
        up &= ~cut
        down &= ~cut
    for steps, pts in ((up, up_pts), (down, down_pts)):
        cov = long_runs(steps, min_points - 1)
        pts[:-1] |= cov
        pts[1:] |= cov
    return up_pts, down_pts


def two_in_three_flags(
    close: BoolArray, side: npt.NDArray[np.int8], new_group: BoolArray | None = None
) -> BoolArray:
    """NHS 2-of-3: flag close-to-limit points in a qualifying 3-point window.

    A window qualifies when at least two of its points are beyond 2 sigma
    (``close``) and all three lie strictly on the same side of the mean.

    Examples
    --------
    >>> close = np.array([0, 1, 1, 0], dtype=bool)
    >>> side = np.array([1, 1, 1, 1], dtype=np.int8)
    >>> two_in_three_flags(close, side).astype(int).tolist()
    [0, 1, 1, 0]
    """
    n = close.shape[0]
    if n < 3:
        return np.zeros(n, dtype=bool)
    c8 = close.view(np.int8) if close.dtype == np.bool_ else close.astype(np.int8)
    count = c8[:-2] + c8[1:-1] + c8[2:]
    total = side[:-2] + side[1:-1] + side[2:]
    ok = (count >= 2) & ((total == 3) | (total == -3))
    if new_group is not None:
        ok &= ~new_group[1:-1]
        ok &= ~new_group[2:]
    inwin = np.zeros(n, dtype=bool)
    inwin[:-2] |= ok
    inwin[1:-1] |= ok
    inwin[2:] |= ok
    return close & inwin


def skip_compress(
    keep: BoolArray, new_group: BoolArray | None
) -> tuple[npt.NDArray[np.intp], BoolArray | None]:
    """Indices of the kept points and the group breaks among them."""
    idx = np.flatnonzero(keep)
    if new_group is None:
        return idx, None
    gid = np.cumsum(new_group)[idx]
    brk = np.zeros(idx.shape[0], dtype=bool)
    brk[1:] = gid[1:] != gid[:-1]
    return idx, brk


def shift_flags_skipping(
    side: npt.NDArray[np.int8], min_len: int, usable: BoolArray, new_group: BoolArray | None
) -> tuple[BoolArray, BoolArray]:
    """IHI shifts: points on the centre line neither add to nor break a run."""
    n = side.shape[0]
    idx, brk = skip_compress(usable & (side != 0), new_group)
    s = side[idx]
    above = np.zeros(n, dtype=bool)
    below = np.zeros(n, dtype=bool)
    above[idx[long_runs(s > 0, min_len, brk)]] = True
    below[idx[long_runs(s < 0, min_len, brk)]] = True
    return above, below


def trend_flags_skipping_ties(
    y: FloatArray, min_points: int, usable: BoolArray, new_group: BoolArray | None
) -> tuple[BoolArray, BoolArray]:
    """IHI trends: a repeated value neither adds to nor breaks a trend."""
    n = y.shape[0]
    idx, brk = skip_compress(usable & ~np.isnan(y), new_group)
    ys = y[idx]
    if ys.shape[0] > 1:
        same = np.zeros(ys.shape[0], dtype=bool)
        same[1:] = ys[1:] == ys[:-1]
        if brk is not None:
            same &= ~brk
        if same.any():
            keep = ~same
            sub = np.flatnonzero(keep)
            idx, ys = idx[sub], ys[sub]
            if brk is not None:
                gid = np.cumsum(brk)[sub]
                brk = np.zeros(sub.shape[0], dtype=bool)
                brk[1:] = gid[1:] != gid[:-1]
    up_c, down_c = trend_flags(ys, min_points, brk)
    up = np.zeros(n, dtype=bool)
    down = np.zeros(n, dtype=bool)
    up[idx[up_c]] = True
    down[idx[down_c]] = True
    return up, down
