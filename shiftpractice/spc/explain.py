"""Plain-language explanations of signals, fit to show a participant.

Each explanation names the rule, the points by their x labels, what the
signal means and what it does not mean. The same pass builds structured
:class:`SignalDetail` records so a user interface can mark the points.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from .rules import run_bounds, trend_flags, trend_flags_skipping_ties
from .types import ChartResult, SignalDetail

BoolArray = npt.NDArray[np.bool_]

_MONTHS = calendar.month_name
_MON = calendar.month_abbr


def format_number(v: float) -> str:
    """A value rounded for reading: 4 significant digits, no exponent below 1e9.

    Examples
    --------
    >>> format_number(128.174910231972), format_number(0.0955102), format_number(17.0)
    ('128.2', '0.09551', '17')
    """
    if not math.isfinite(v):
        return "missing"
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}" if abs(v) >= 10000 else str(int(v))
    if abs(v) >= 1e9 or abs(v) < 1e-4:
        return f"{v:.4g}"
    digits = max(0, 3 - math.floor(math.log10(abs(v))))
    text = f"{v:,.{digits}f}" if abs(v) >= 10000 else f"{v:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class XLabeler:
    """Render plotted x values as words ("March 2021", "3 Mar 2021", "point 7").

    Examples
    --------
    >>> xs = np.array(["2021-03-01", "2021-04-01", "2021-09-01"], dtype="datetime64[D]")
    >>> lab = XLabeler(xs, "date")
    >>> lab.label(0), lab.span(0, 2)
    ('March 2021', 'from March to September 2021')
    >>> XLabeler(np.array([5, 6, 9]), "int").span(0, 2)
    'from point 5 to point 9'
    >>> XLabeler(np.array(["2021-03-03", "2021-03-09"], dtype="datetime64[D]"), "date").span(0, 1)
    'from 3 Mar to 9 Mar 2021'
    """

    def __init__(self, x: Any, kind: str) -> None:
        self.x = x
        self.kind = kind
        self.monthly = False
        if kind == "date" and len(x):
            days = np.asarray(x, dtype="datetime64[D]")
            months = days.astype("datetime64[M]")
            dom = (days - months.astype("datetime64[D]")).astype(np.int64)
            distinct = months.shape[0] < 2 or bool(np.all(months[1:] > months[:-1]))
            self.monthly = bool(np.all(dom == dom[0])) and int(dom[0]) < 28 and distinct

    def _ymd(self, i: int) -> tuple[int, int, int]:
        d = np.datetime64(self.x[i], "D").item()
        return d.year, d.month, d.day

    def label(self, i: int) -> str:
        """The words for point ``i`` (0-based)."""
        if self.kind == "date":
            y, m, d = self._ymd(i)
            return f"{_MONTHS[m]} {y}" if self.monthly else f"{d} {_MON[m]} {y}"
        if self.kind == "category":
            return str(self.x[i])
        v = self.x[i]
        if isinstance(v, (float, np.floating)):
            return f"point {float(v):g}"
        return f"point {int(v)}"

    def span(self, i: int, j: int) -> str:
        """ "from A to B" for points ``i`` to ``j``, sharing the year when possible."""
        if i == j:
            return f"at {self.label(i)}"
        if self.kind == "date":
            yi, mi, di = self._ymd(i)
            yj, _mj, _dj = self._ymd(j)
            if yi == yj:
                first = _MONTHS[mi] if self.monthly else f"{di} {_MON[mi]}"
                return f"from {first} to {self.label(j)}"
        return f"from {self.label(i)} to {self.label(j)}"

    def listing(self, idx: list[int]) -> str:
        """ "A, B and C"."""
        names = [self.label(i) for i in idx]
        if len(names) <= 2:
            return " and ".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]


def _episodes(flags: BoolArray, bounds: list[tuple[int, int]]) -> Iterator[tuple[int, int, int]]:
    """(group position, first index, last index) of each block of flagged points."""
    new_group = np.zeros(flags.shape[0], dtype=bool)
    for s, _ in bounds[1:]:
        new_group[s] = True
    starts, ends = run_bounds(flags, new_group)
    group_starts = np.array([s for s, _ in bounds])
    for s, e in zip(starts.tolist(), ends.tolist(), strict=False):
        g = int(np.searchsorted(group_starts, s, side="right")) - 1
        yield g, s, e - 1


def _episodes_cut(
    flags: BoolArray, bounds: list[tuple[int, int]], cut: BoolArray
) -> Iterator[tuple[int, int, int]]:
    """As :func:`_episodes`, also starting a new episode wherever ``cut`` is True."""
    extra = [(int(k), 0) for k in np.flatnonzero(cut & flags).tolist()]
    merged = sorted(set(bounds) | {(k, k) for k, _ in extra})
    group_of = [s for s, _ in bounds]
    new_group = np.zeros(flags.shape[0], dtype=bool)
    for s, _ in merged[1:]:
        new_group[s] = True
    starts, ends = run_bounds(flags, new_group)
    for s, e in zip(starts.tolist(), ends.tolist(), strict=False):
        g = int(np.searchsorted(group_of, s, side="right")) - 1
        yield g, s, e - 1


class _Builder:
    def __init__(self, res: ChartResult) -> None:
        self.res = res
        self.lab = XLabeler(res.x, res.x_kind)
        self.bounds: list[tuple[int, int]] = list(res.context.get("bounds", [(0, len(res))]))
        self.centre = str(res.context.get("centre", "mean"))
        self.xmr = res.is_xmr
        self.details: list[SignalDetail] = []

    def group_no(self, g: int) -> int:
        return g if self.xmr else g + 1

    def where(self, g: int) -> str:
        if len(self.bounds) < 2:
            return ""
        return f" (rebase group {g})" if self.xmr else f" (phase {g + 1})"

    def verdict(self, direction: int) -> str:
        """Improvement or concern wording on an NHS chart with a direction."""
        want = self.res.improvement_direction
        if not self.xmr or want in (None, "neutral") or direction == 0:
            return ""
        good = (direction > 0) == (want == "increase")
        better = "higher" if want == "increase" else "lower"
        return (
            f" Because {better} is better, this is an improvement."
            if good
            else f" Because {better} is better, this is a concern."
        )

    def add(self, rule: str, idx: list[int], direction: int, g: int, text: str) -> None:
        self.details.append(SignalDetail(rule, tuple(idx), direction, self.group_no(g), text))


def _outside(b: _Builder, flags: BoolArray, rule: str) -> None:
    res = b.res
    limit_name = "process limit" if b.xmr else "control limit"
    for side, mask in ((1, flags & (res.y > res.cl)), (-1, flags & ~(res.y > res.cl))):
        for g, i, j in _episodes(mask, b.bounds):
            word = "upper" if side > 0 else "lower"
            beyond = "above" if side > 0 else "below"
            lim = res.ucl if side > 0 else res.lcl
            if rule == "astronomical":
                where = b.lab.label(i) if i == j else f"{j - i + 1} points {b.lab.span(i, j)}"
                what = "an astronomical value" if i == j else "astronomical values"
                text = (
                    f"{_cap(where)}{b.where(g)}: {what}, far {beyond} the "
                    "rest of the data (beyond the 3-sigma limits of an individuals chart of "
                    "the same data). Look for a specific cause at that time; on its own it "
                    "does not show that the whole process has changed." + b.verdict(side)
                )
                b.add(rule, list(range(i, j + 1)), side, g, text)
                continue
            if i == j:
                head = (
                    f"{_cap(b.lab.label(i))} ({format_number(float(res.y[i]))}) is {beyond} "
                    f"the {word} {limit_name} ({format_number(float(lim[i]))}){b.where(g)}"
                )
            else:
                head = (
                    f"{j - i + 1} points in a row {b.lab.span(i, j)} are {beyond} the "
                    f"{word} {limit_name}{b.where(g)}"
                )
            text = (
                f"{head}: a point outside the limits. A value this far from the {b.centre} "
                "is very unlikely to come from the usual, common-cause variation, so look "
                "for a specific cause at that time. On its own it does not show that the "
                "whole process has changed." + b.verdict(side)
            )
            b.add(rule, list(range(i, j + 1)), side, g, text)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shift(b: _Builder, flags: BoolArray) -> None:
    res = b.res
    for side, mask in ((1, flags & (res.y > res.cl)), (-1, flags & (res.y < res.cl))):
        for g, i, j in _episodes(mask, b.bounds):
            count = int(np.count_nonzero(mask[i : j + 1]))
            beyond = "above" if side > 0 else "below"
            text = (
                f"{count} points in a row {beyond} the {b.centre} {b.lab.span(i, j)}"
                f"{b.where(g)}: a shift, so something has changed the process since "
                f"{b.lab.label(i)}. A shift says the change is real rather than chance; "
                "it does not by itself prove that your change idea caused it." + b.verdict(side)
            )
            b.add("shift", [k for k in range(i, j + 1) if mask[k]], side, g, text)


def _trend(b: _Builder, flags: BoolArray) -> None:
    res = b.res
    rules = res.rule_set
    length = int(rules.get("trend") or 7)
    new_group = np.zeros(len(res), dtype=bool)
    for s, _ in b.bounds[1:]:
        new_group[s] = True
    if rules.get("name") == "ihi":
        usable = ~np.isnan(res.y) if res.include is None else res.include & ~np.isnan(res.y)
        up, down = trend_flags_skipping_ties(res.y, length, usable, new_group)
    else:
        y = res.y if res.include is None else np.where(res.include, res.y, np.nan)
        up, down = trend_flags(y, length, new_group)
    for side, mask in ((1, up & flags), (-1, down & flags)):
        # Two trends can touch (a rise, a fall, a rise): cut where the direction fails.
        mask = mask.copy()
        for k in (np.flatnonzero(res.y[1:-1] == res.y[:-2]) + 1).tolist():
            # An IHI trend steps over a repeated value: keep the episode whole.
            if mask[k - 1] and mask[k + 1]:
                mask[k] = True
        with np.errstate(invalid="ignore"):
            against = (res.y[1:] < res.y[:-1]) if side > 0 else (res.y[1:] > res.y[:-1])
        cut = np.zeros(len(res), dtype=bool)
        cut[1:] = against
        for g, i, j in _episodes_cut(mask, b.bounds, cut):
            word = "higher" if side > 0 else "lower"
            way = "upwards" if side > 0 else "downwards"
            text = (
                f"{j - i + 1} points in a row {b.lab.span(i, j)}, each {word} than the one "
                f"before{b.where(g)}: a trend, so the process is drifting {way}. A trend "
                "shows a gradual change; it does not tell you how long the drift will last "
                "or what is causing it." + b.verdict(side)
            )
            b.add("trend", list(range(i, j + 1)), side, g, text)


def _clusters(mask: BoolArray, bounds: list[tuple[int, int]]) -> Iterator[tuple[int, list[int]]]:
    """Flagged points grouped when they share a 3-point window (gap of at most 1)."""
    idx = np.flatnonzero(mask).tolist()
    group_starts = [s for s, _ in bounds]
    current: list[int] = []
    current_g = -1
    for i in idx:
        g = int(np.searchsorted(group_starts, i, side="right")) - 1
        if current and (i - current[-1] > 2 or g != current_g):
            yield current_g, current
            current = []
        current.append(i)
        current_g = g
    if current:
        yield current_g, current


def _two_in_three(b: _Builder, flags: BoolArray) -> None:
    res = b.res
    for side, mask in ((1, flags & (res.y > res.cl)), (-1, flags & (res.y < res.cl))):
        for g, idx in _clusters(mask, b.bounds):
            word = "upper" if side > 0 else "lower"
            text = (
                f"{b.lab.listing(idx)}: at least 2 of 3 points in a row are close to the "
                f"{word} limit (beyond two sigma) on the same side of the {b.centre}"
                f"{b.where(g)}. This is an early warning that the process may have moved "
                f"{'up' if side > 0 else 'down'}; it is weaker evidence than a point "
                "outside the limits." + b.verdict(side)
            )
            b.add("two_in_three", idx, side, g, text)


def _useful_index(res: ChartResult, start: int, end: int) -> tuple[npt.NDArray[np.intp], BoolArray]:
    y = res.y[start:end]
    cl = res.cl[start:end]
    ok = ~np.isnan(y) & (y != cl)
    if res.include is not None:
        ok &= res.include[start:end]
    idx = np.flatnonzero(ok) + start
    return idx, res.y[idx] > res.cl[idx]


def _anhoej(b: _Builder) -> None:
    res = b.res
    for g, part in enumerate(res.parts or ()):
        if not part.runs_signal:
            continue
        start, end = b.bounds[g]
        idx, above = _useful_index(res, start, end)
        if (
            part.longest_run is not None
            and part.longest_run_max is not None
            and part.longest_run > part.longest_run_max
        ):
            starts, ends = _sign_runs(above)
            for s, e in zip(starts, ends, strict=False):
                if e - s == part.longest_run:
                    pts = idx[s:e].tolist()
                    side = 1 if above[s] else -1
                    text = (
                        f"{part.longest_run} points in a row "
                        f"{'above' if side > 0 else 'below'} the {b.centre} "
                        f"{b.lab.span(pts[0], pts[-1])}{b.where(g)}: longer than the "
                        f"{part.longest_run_max} expected by chance with "
                        f"{part.n_useful} useful points (Anhøj's long-run rule). The "
                        "process has probably shifted; this does not by itself show why."
                    )
                    b.add("anhoej_long_run", pts, side, g, text)
        if (
            part.n_crossings is not None
            and part.n_crossings_min is not None
            and part.n_crossings < part.n_crossings_min
        ):
            text = (
                f"The data cross the {b.centre} only {part.n_crossings} times "
                f"{b.lab.span(start, end - 1)}{b.where(g)}, fewer than the "
                f"{part.n_crossings_min} expected by chance with {part.n_useful} useful "
                "points (Anhøj's crossings rule): a sign of a shift or trend in the "
                "process. It does not say when the change happened or what caused it."
            )
            b.add("anhoej_few_crossings", list(range(start, end)), 0, g, text)


def _sign_runs(above: BoolArray) -> tuple[list[int], list[int]]:
    if above.shape[0] == 0:
        return [], []
    change = np.flatnonzero(above[1:] != above[:-1]) + 1
    starts = [0, *change.tolist()]
    ends = [*change.tolist(), int(above.shape[0])]
    return starts, ends


def _ihi_runs(b: _Builder, flags: BoolArray) -> None:
    from .runs import ihi_runs_signal

    res = b.res
    for g, (start, end) in enumerate(b.bounds):
        if not flags[start:end].any():
            continue
        inc = None if res.include is None else res.include[start:end]
        _, runs, low, high = ihi_runs_signal(res.y[start:end], res.cl[start:end], inc)
        few = runs < low
        text = (
            f"{runs} runs {b.lab.span(start, end - 1)}{b.where(g)}: "
            + (f"fewer than the {low} expected" if few else f"more than the {high} expected")
            + " by chance (IHI runs rule). "
            + (
                "Too few runs suggest a shift in the process."
                if few
                else "Too many runs suggest the data alternate, e.g. from two "
                "sources mixed together or over-adjustment."
            )
            + " It does not identify the cause."
        )
        b.add("ihi_runs", list(range(start, end)), 0, g, text)


def build_details(res: ChartResult) -> list[SignalDetail]:
    """All signal episodes of a chart, each with its explanation."""
    b = _Builder(res)
    sig = res.signals
    steps: list[tuple[str, Callable[[], None]]] = [
        ("outside_limits", lambda: _outside(b, sig["outside_limits"], "outside_limits")),
        ("astronomical", lambda: _outside(b, sig["astronomical"] & ~sig["outside_limits"], "astronomical")),
        ("trend", lambda: _trend(b, sig["trend"])),
        ("two_in_three", lambda: _two_in_three(b, sig["two_in_three"])),
        ("shift", lambda: _shift(b, sig["shift"])),
    ]
    for name, step in steps:
        if name in sig and bool(np.any(sig[name])):
            step()
    if not res.is_xmr and res.rule_set.get("name") == "anhoej":
        _anhoej(b)
    elif "runs" in sig and bool(np.any(sig["runs"])):
        if res.rule_set.get("name") == "ihi":
            _ihi_runs(b, sig["runs"])
        elif res.is_xmr:
            _xmr_anhoej(b, sig["runs"])
    return sorted(b.details, key=lambda d: (d.indices[0] if d.indices else 0, d.rule))


def _xmr_anhoej(b: _Builder, flags: BoolArray) -> None:
    for g, (start, end) in enumerate(b.bounds):
        if flags[start:end].any():
            text = (
                f"Anhøj's runs rules signal {b.lab.span(start, end - 1)}{b.where(g)}: an "
                "unusually long run on one side of the mean or unusually few crossings of "
                "it. The process has probably shifted; this does not by itself show why."
            )
            b.add("anhoej_runs", list(range(start, end)), 0, g, text)


def summary_texts(res: ChartResult, details: tuple[SignalDetail, ...]) -> list[str]:
    """The explanations list: one text per signal, or one line saying there is none."""
    texts = [d.text for d in details]
    if not texts and len(res):
        lab = XLabeler(res.x, res.x_kind)
        texts.append(
            f"No signals {lab.span(0, len(res) - 1)}: the variation is what you would expect "
            "from a stable process (common-cause variation). This does not mean the process "
            "is good enough, only that it is predictable."
        )
    return texts
