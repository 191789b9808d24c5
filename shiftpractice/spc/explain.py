"""Plain-language explanations of signals, fit to show a participant.

Each explanation names the rule, the points by their x labels, what the
signal means and what it does not mean. The same pass builds structured
:class:`SignalDetail` records so a user interface can mark the points.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from .rules import run_bounds, trend_flags, trend_flags_skipping_ties
from .types import ChartResult, SignalDetail

BoolArray = npt.NDArray[np.bool_]

# English month names, fixed: the texts never depend on the machine's locale.
_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MON = ("", *(name[:3] for name in _MONTHS[1:]))


def format_number(v: float) -> str:
    """A value rounded for reading: 4 significant digits, thousands separated.

    Whole numbers print without a fraction; very small or very large values
    fall back to scientific notation.

    Examples
    --------
    >>> format_number(128.174910231972), format_number(0.0955102), format_number(17.0)
    ('128.2', '0.09551', '17')
    >>> format_number(12345.678), format_number(-0.0), format_number(0.0000123456)
    ('12,346', '0', '0.00001235')
    >>> format_number(float("nan")), format_number(3.2e-12), format_number(2.5e16)
    ('missing', '3.2e-12', '2.5e+16')
    """
    if not math.isfinite(v):
        return "missing"
    if v == 0:
        return "0"
    if abs(v) >= 1e15 or abs(v) < 1e-9:
        return f"{v:.4g}"
    if v == int(v):
        return f"{int(v):,}"
    digits = max(0, 3 - math.floor(math.log10(abs(v))))
    text = f"{v:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_apart(a: float, b: float) -> tuple[str, str]:
    """Two values formatted as :func:`format_number`, with more digits when that would show different
    values alike (never "37.78 is above the limit 37.78").

    Examples
    --------
    >>> format_apart(37.781, 37.779), format_apart(37.9, 37.2)
    (('37.781', '37.779'), ('37.9', '37.2'))
    """
    ta, tb = format_number(a), format_number(b)
    if ta != tb or a == b or not (math.isfinite(a) and math.isfinite(b)):
        return ta, tb
    for places in range(1, 16):
        ta, tb = f"{a:,.{places}f}", f"{b:,.{places}f}"
        if ta != tb:
            return ta.rstrip("0").rstrip("."), tb.rstrip("0").rstrip(".")
    return repr(a), repr(b)


def plural(count: int, word: str, words: str | None = None) -> str:
    """``"1 point"``, ``"2 points"``; ``words`` gives an irregular plural.

    Examples
    --------
    >>> plural(1, "time"), plural(2, "time"), plural(0, "point"), plural(3, "is", "are")
    ('1 time', '2 times', '0 points', '3 are')
    """
    return f"{count} {word if count == 1 else (words or word + 's')}"


class XLabeler:
    """Render plotted x values as words ("March 2021", "3 Mar 2021", "point 7").

    Examples
    --------
    >>> xs = np.array(["2021-03-01", "2021-04-01", "2021-09-01"], dtype="datetime64[D]")
    >>> lab = XLabeler(xs, "date")
    >>> lab.label(0), lab.span(0, 2), lab.span(1, 1)
    ('March 2021', 'from March to September 2021', 'in April 2021')
    >>> lab.listing([0, 1, 2])
    'March, April and September 2021'
    >>> ints = XLabeler(np.array([5, 6, 9]), "int")
    >>> ints.span(0, 2), ints.span(1, 1), ints.listing([0, 2])
    ('from point 5 to point 9', 'at point 6', 'points 5 and 9')
    >>> XLabeler(np.array(["2021-03-03", "2021-03-09"], dtype="datetime64[D]"), "date").span(0, 1)
    'from 3 Mar to 9 Mar 2021'
    >>> XLabeler(["AHH", "BFH", "RGH"], "category").span(0, 2)
    'from AHH to RGH'
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

    def _number(self, i: int) -> str:
        v = self.x[i]
        if isinstance(v, (float, np.floating)):
            return f"{float(v):g}"
        return str(int(v))

    def label(self, i: int) -> str:
        """The words for point ``i`` (0-based)."""
        if self.kind == "date":
            y, m, d = self._ymd(i)
            return f"{_MONTHS[m]} {y}" if self.monthly else f"{d} {_MON[m]} {y}"
        if self.kind == "category":
            return str(self.x[i])
        return f"point {self._number(i)}"

    def at(self, i: int) -> str:
        """Point ``i`` with its preposition: "in March 2021", "on 3 Mar 2021", "at point 7"."""
        if self.kind == "date":
            return f"{'in' if self.monthly else 'on'} {self.label(i)}"
        return f"at {self.label(i)}"

    def span(self, i: int, j: int) -> str:
        """Points ``i`` to ``j`` with a preposition, sharing the year when possible."""
        if i == j:
            return self.at(i)
        if self.kind == "date":
            yi, mi, di = self._ymd(i)
            yj, _mj, _dj = self._ymd(j)
            if yi == yj:
                first = _MONTHS[mi] if self.monthly else f"{di} {_MON[mi]}"
                return f"from {first} to {self.label(j)}"
        return f"from {self.label(i)} to {self.label(j)}"

    def listing(self, idx: list[int]) -> str:
        """ "A, B and C" (monthly dates of one year share it; numbers share "points")."""
        if self.kind in ("int", "float", "index"):
            names = [self._number(i) for i in idx]
            head = "point " if len(names) == 1 else "points "
            return head + _join(names)
        if self.kind == "date" and self.monthly and len({self._ymd(i)[0] for i in idx}) == 1:
            year = self._ymd(idx[0])[0]
            return _join([_MONTHS[self._ymd(i)[1]] for i in idx]) + f" {year}"
        return _join([self.label(i) for i in idx])


def _join(names: list[str]) -> str:
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
        self.first_group = int(res.context.get("first_group", 0))
        self.centre = str(res.context.get("centre", "mean"))
        self.xmr = res.is_xmr
        self.details: list[SignalDetail] = []
        from .registry import rule_set_spec, signal_kind

        self._kind = signal_kind
        self.nhs_style = rule_set_spec(str(res.rule_set.get("name"))).nhs_style

    def group_no(self, g: int) -> int:
        """The group number shown to people: phases from 1, rebase groups as reported."""
        return g + self.first_group if self.xmr else g + 1

    def where(self, g: int) -> str:
        if len(self.bounds) < 2:
            return ""
        return f" (rebase group {self.group_no(g)})" if self.xmr else f" (phase {g + 1})"

    def verdict(self, direction: int) -> str:
        """Improvement or concern wording on an NHS chart with a direction."""
        want = self.res.improvement_direction
        if not self.xmr or want in (None, "neutral") or direction == 0:
            return ""
        good = (direction > 0) == (want == "increase")
        better = "higher" if want == "increase" else "lower"
        return f" Because {better} is better, this is {'an improvement' if good else 'a concern'}."

    def excluded_note(self, idx: list[int]) -> str:
        """A sentence for points left out of the calculations (qicharts2 ``exclude``)."""
        inc = self.res.include
        if inc is None or bool(inc[idx].any()):
            return ""
        if len(idx) == 1:
            return " This point was excluded from the calculation of the centre line and limits."
        return " These points were excluded from the calculation of the centre line and limits."

    def add(self, rule: str, idx: list[int], direction: int, g: int, text: str) -> None:
        self._kind(rule)  # only a registered signal kind (with its label) can reach a result
        self.details.append(SignalDetail(rule, tuple(idx), direction, self.group_no(g), text))


def _outside(b: _Builder, flags: BoolArray, rule: str) -> None:
    res = b.res
    limit_name = "process limit" if b.xmr else "control limit"
    with np.errstate(invalid="ignore"):
        high = res.y > res.cl
    for side, mask in ((1, flags & high), (-1, flags & ~high)):
        for g, i, j in _episodes(mask, b.bounds):
            idx = list(range(i, j + 1))
            one = i == j
            word = "upper" if side > 0 else "lower"
            beyond = "above" if side > 0 else "below"
            if rule == "astronomical":
                what = (
                    f"{_cap(b.lab.label(i))} ({format_number(float(res.y[i]))}) is"
                    if one
                    else f"{j - i + 1} points in a row {b.lab.span(i, j)} are"
                )
                text = (
                    f"{'Astronomical point' if one else 'Astronomical points'} (IHI rule): {what} far "
                    f"{beyond} the rest of the data, beyond the 3-sigma limits of an individuals "
                    f"chart of the same data{b.where(g)}. Look for a specific cause "
                    f"{'at that time' if one else 'at those times'}. "
                    f"{'It does' if one else 'They do'} not on {'its' if one else 'their'} own show "
                    "that the whole process has changed." + b.verdict(side)
                )
                b.add(rule, idx, side, g, text)
                continue
            lim = np.asarray(res.ucl if side > 0 else res.lcl)[i : j + 1]
            same = bool(np.all(lim == lim[0]))
            value_text, limit_text = format_apart(float(res.y[i]), float(lim[0]))
            lim_text = f" ({limit_text})" if same else ""
            if one:
                head = (
                    f"Point outside the limits: {b.lab.label(i)} ({value_text}) "
                    f"is {beyond} the {word} {limit_name}{lim_text}{b.where(g)}. A value this far "
                    f"from the {b.centre} is very unlikely to be common-cause variation, so look for "
                    "a specific cause at that time. On its own, one point outside the limits does "
                    "not show that the whole process has changed, and the chart does not tell you "
                    "what the cause was."
                )
            else:
                head = (
                    f"Points outside the limits: {j - i + 1} points in a row {b.lab.span(i, j)} are "
                    f"{beyond} the {word} {limit_name}{lim_text}{b.where(g)}. Values this far from "
                    f"the {b.centre} are very unlikely to be common-cause variation, so look for a "
                    "specific cause at those times; several in a row suggest the process itself "
                    "may have changed. The chart does not tell you what the cause was."
                )
            b.add(rule, idx, side, g, head + b.excluded_note(idx) + b.verdict(side))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shift(b: _Builder, flags: BoolArray) -> None:
    res = b.res
    length = int(res.rule_set.get("shift") or 7)
    with np.errstate(invalid="ignore"):
        above, below = res.y > res.cl, res.y < res.cl
    for side, mask in ((1, flags & above), (-1, flags & below)):
        for g, i, j in _episodes(mask, b.bounds):
            idx = [k for k in range(i, j + 1) if mask[k]]
            beyond = "above" if side > 0 else "below"
            text = (
                f"Shift ({length} or more points in a row on one side of the {b.centre}): "
                f"{len(idx)} points in a row are {beyond} the {b.centre} {b.lab.span(i, j)}"
                f"{b.where(g)}. A run this long is unlikely to be chance, so something has "
                f"probably changed the process since {b.lab.label(i)}. It does not by itself "
                "prove that your change idea caused it." + b.verdict(side)
            )
            b.add("shift", idx, side, g, text)


def _trend(b: _Builder, flags: BoolArray) -> None:
    res = b.res
    rules = res.rule_set
    length = int(rules.get("trend") or 7)
    new_group = np.zeros(len(res), dtype=bool)
    for s, _ in b.bounds[1:]:
        new_group[s] = True
    if not b.nhs_style:
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
            moving = "rising" if side > 0 else "falling"
            way = "upwards" if side > 0 else "downwards"
            text = (
                f"Trend ({length} or more points in a row, each {word} than the one before): "
                f"{j - i + 1} points keep {moving} {b.lab.span(i, j)}{b.where(g)}. The process "
                f"is drifting {way}. A trend shows a gradual change; it does not tell you how "
                "long the drift will last or what is causing it." + b.verdict(side)
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
    with np.errstate(invalid="ignore"):
        above, below = res.y > res.cl, res.y < res.cl
    for side, mask in ((1, flags & above), (-1, flags & below)):
        for g, idx in _clusters(mask, b.bounds):
            word = "upper" if side > 0 else "lower"
            beyond = "above" if side > 0 else "below"
            verb = "is" if len(idx) == 1 else "are"
            text = (
                f"Two of three points close to a limit: {b.lab.listing(idx)} {verb} more than two "
                f"sigma {beyond} the {b.centre}, close to the {word} limit, with at least 2 of 3 "
                f"points in a row there and all 3 on the same side{b.where(g)}. This is an early "
                f"warning that the process may have moved {'up' if side > 0 else 'down'}. It is "
                "weaker evidence than a point outside the limits and does not prove a change on "
                "its own." + b.verdict(side)
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
        useful = plural(part.n_useful, "point")
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
                        f"Long run (Anhøj's rule): {part.longest_run} points in a row are "
                        f"{'above' if side > 0 else 'below'} the {b.centre} "
                        f"{b.lab.span(pts[0], pts[-1])}{b.where(g)}. With {useful} off the "
                        f"{b.centre}, runs longer than {part.longest_run_max} are unlikely to be "
                        "chance, so the process has probably shifted. This does not by itself "
                        "show why, or whether the change is big enough to matter."
                    )
                    b.add("anhoej_long_run", pts, side, g, text)
        if (
            part.n_crossings is not None
            and part.n_crossings_min is not None
            and part.n_crossings < part.n_crossings_min
        ):
            text = (
                f"Too few crossings (Anhøj's rule): the data cross the {b.centre} only "
                f"{plural(part.n_crossings, 'time')} {b.lab.span(start, end - 1)}{b.where(g)}. "
                f"With {useful} off the {b.centre}, random variation would usually give at "
                f"least {plural(part.n_crossings_min, 'crossing')}, so this is a sign of a shift "
                "or trend in the process. "
                "It does not say when the change happened or what caused it."
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
            f"{'Too few runs' if few else 'Too many runs'} (IHI rule): the data make "
            f"{plural(runs, 'run')} on either side of the {b.centre} {b.lab.span(start, end - 1)}"
            f"{b.where(g)}, {'fewer' if few else 'more'} than the "
            f"{low if few else high} that chance allows. "
            + (
                "Too few runs suggest a shift in the process."
                if few
                else "Too many runs suggest the data alternate, for example two sources mixed "
                "together, or over-adjustment."
            )
            + " The rule does not identify the cause."
        )
        b.add("ihi_runs", list(range(start, end)), 0, g, text)


def build_details(res: ChartResult) -> list[SignalDetail]:
    """All signal episodes of a chart, each with its explanation.

    Loops over the rules of the chart's rule set in the registry; each rule
    whose flags are set explains its own episodes.
    """
    from .registry import rules_of

    b = _Builder(res)
    for rule in rules_of(str(res.rule_set.get("name"))):
        flags = res.signals.get(rule.signal)
        if flags is not None and bool(np.any(flags)):
            rule.explain(b, flags)
    return sorted(b.details, key=lambda d: (d.indices[0] if d.indices else 0, d.rule))


# The explainers the registry names: each takes the builder and the rule's flags.


def explain_outside_limits(b: _Builder, flags: BoolArray) -> None:
    """Points beyond the limits, one text per block of consecutive points."""
    _outside(b, flags, "outside_limits")


def explain_astronomical(b: _Builder, flags: BoolArray) -> None:
    """IHI astronomical points not already explained as outside the limits."""
    outside = b.res.signals.get("outside_limits")
    if outside is not None:
        flags = flags & ~outside
    if flags.any():
        _outside(b, flags, "astronomical")


def explain_trend(b: _Builder, flags: BoolArray) -> None:
    """Trends, one text per rising or falling episode."""
    _trend(b, flags)


def explain_two_in_three(b: _Builder, flags: BoolArray) -> None:
    """Two of three close to a limit, one text per cluster."""
    _two_in_three(b, flags)


def explain_shift(b: _Builder, flags: BoolArray) -> None:
    """Shifts, one text per run on one side."""
    _shift(b, flags)


def explain_anhoej_runs(b: _Builder, flags: BoolArray) -> None:
    """Anhøj's long run and too few crossings per phase (a coarser text on an XmR chart)."""
    if b.xmr or b.res.parts is None:
        _xmr_anhoej(b, flags)
    else:
        _anhoej(b)


def explain_ihi_runs(b: _Builder, flags: BoolArray) -> None:
    """IHI too many or too few runs per phase."""
    _ihi_runs(b, flags)


def _xmr_anhoej(b: _Builder, flags: BoolArray) -> None:
    for g, (start, end) in enumerate(b.bounds):
        if flags[start:end].any():
            text = (
                f"Runs signal (Anhøj's rules) {b.lab.span(start, end - 1)}{b.where(g)}: an "
                "unusually long run on one side of the mean, or unusually few crossings of it. "
                "The process has probably shifted; this does not by itself show why."
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
