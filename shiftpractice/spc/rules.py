"""Named rule sets and the vectorised rule detectors they are built from.

A programme chooses its rules with the ``rules`` option:

* ``"anhoej"`` - Anhøj runs analysis (longest run, number of crossings) plus
  the 3-sigma rule; the qicharts2 default.
* ``"nhs"`` - NHS Making Data Count: 3-sigma, a 7-point trend, 2 of 3
  beyond 2 sigma, a 7-point shift; the ``xmr`` default.
* ``"ihi"`` - IHI run-chart rules (Perla, Provost & Murray 2011): a shift of
  6, a trend of 5, too many or too few runs, an astronomical point.
* ``{"name": "custom", "shift": 8, "trend": 6, "two_in_three": false}`` -
  the NHS style of rules with your own lengths.

Group boundaries (phases, rebase groups) are passed as a boolean array
``new_group`` that is True at the first point of every group after the first;
no rule ever spans a boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import SPCInputError

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

__all__ = ["RULE_SETS", "RuleSet", "long_runs", "parse_rules", "trend_flags", "two_in_three_flags"]


@dataclass(frozen=True)
class RuleSet:
    """A named, parameterised set of special-cause rules.

    Attributes
    ----------
    name : str
        ``anhoej``, ``nhs``, ``ihi`` or ``custom``.
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
    >>> parse_rules({"name": "custom", "shift": 8}, "i").shift
    8
    >>> parse_rules(None, "xmr").name
    'nhs'
    """

    name: str
    shift: int | None = None
    trend: int | None = None
    two_in_three: bool = False
    anhoej_runs: bool = False
    ihi_runs: bool = False
    astronomical: bool = False
    emulate_quirks: bool = False

    @property
    def nhs_style(self) -> bool:
        """True when the rules follow NHS Making Data Count semantics."""
        return self.name in ("nhs", "custom")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (every parameter, so a programme can record it)."""
        return asdict(self)


RULE_SETS: Mapping[str, RuleSet] = {
    "anhoej": RuleSet("anhoej", anhoej_runs=True),
    "nhs": RuleSet("nhs", shift=7, trend=7, two_in_three=True, emulate_quirks=True),
    "ihi": RuleSet("ihi", shift=6, trend=5, ihi_runs=True, astronomical=True),
    "custom": RuleSet("custom", shift=7, trend=7, two_in_three=True),
}

_PARAMS = {
    "anhoej": frozenset(),
    "nhs": frozenset({"emulate_quirks"}),
    "ihi": frozenset({"shift", "trend"}),
    "custom": frozenset({"shift", "trend", "two_in_three"}),
}


def parse_rules(value: Any, chart: str) -> RuleSet:
    """Resolve the ``rules`` option (a name, a mapping, or None for the default)."""
    if value is None:
        return RULE_SETS["nhs" if chart == "xmr" else "anhoej"]
    if isinstance(value, str):
        if value not in RULE_SETS:
            raise SPCInputError(
                "options.rules", f"unknown rule set {value!r}; expected " + ", ".join(RULE_SETS)
            )
        return RULE_SETS[value]
    if not isinstance(value, Mapping):
        raise SPCInputError("options.rules", "must be a rule-set name or an object")
    name = value.get("name", "custom")
    if name not in RULE_SETS:
        raise SPCInputError("options.rules.name", f"unknown rule set {name!r}")
    changes: dict[str, Any] = {}
    for key, v in value.items():
        if key == "name":
            continue
        if key not in _PARAMS[name]:
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
    return replace(RULE_SETS[name], **changes)


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
