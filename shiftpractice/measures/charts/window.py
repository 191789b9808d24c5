"""The part of a long chart that is drawn: the engine reads every point, a page draws a window of them.

A measure can hold 100,000 points (the importer accepts them); drawn and tabulated whole, its page ran to tens
of megabytes. So the limits and signals are computed on all the data (``compute.build_chart``), and the drawing,
its table and its signal list show a window: the latest ``DEFAULT_POINTS`` periods unless the reader chooses a
phase ("since phase 2") or a range of dates, and never more than ``MOST_POINTS``. The rest is said in words
("1,234 earlier points not drawn; the limits and signals use all 1,286 points") and reached by moving the
window (plain links and a GET form, so it works without JavaScript).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

from django.utils.http import urlencode

from .compute import ChartView, SignalView

DEFAULT_POINTS = 52  # a year of weekly data, four of monthly
MOST_POINTS = 156  # the most any one drawing shows: three years of weekly data


@dataclass(frozen=True)
class Spec:
    """What the reader asked for: the latest points (nothing chosen), since a phase (1 is the first new
    phase), or a range of dates (either end may be open)."""

    phase: int | None = None
    start: date | None = None
    end: date | None = None

    @property
    def key(self) -> str:
        return f"{self.phase or ''}|{self.start or ''}|{self.end or ''}"

    @property
    def chosen(self) -> bool:
        return bool(self.phase or self.start or self.end)


LATEST = Spec()


@dataclass
class Window:
    """The points drawn: indices ``start`` to ``stop`` (half-open) of ``total``."""

    start: int
    stop: int
    total: int
    cut: bool = False  # the chosen range held more than MOST_POINTS: only the first (or last) are drawn
    empty: bool = False  # the chosen range held no points: the latest are drawn instead
    spec: Spec = field(default_factory=Spec)

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.stop == self.total

    @property
    def drawn(self) -> int:
        return self.stop - self.start


def choose(view: ChartView, spec: Spec = LATEST, *, latest: int = DEFAULT_POINTS) -> Window:
    """The window a spec asks for, within the chart's points (``latest``: how many when nothing is chosen)."""
    periods = view.periods
    n = len(periods)
    if spec.phase:
        starts = sorted(ph.start for ph in view.phases)
        if spec.phase <= len(starts):
            a = bisect.bisect_left(periods, starts[spec.phase - 1])
            return _capped(a, n, n, spec, from_start=True)
    elif spec.start or spec.end:
        a = bisect.bisect_left(periods, spec.start) if spec.start else 0
        b = bisect.bisect_right(periods, spec.end) if spec.end else n
        if a < b:
            return _capped(a, b, n, spec, from_start=spec.start is not None)
        shown = _capped(max(0, n - latest), n, n, spec, from_start=False)
        shown.empty = True
        return shown
    return Window(max(0, n - latest), n, n, spec=LATEST)


def _capped(a: int, b: int, n: int, spec: Spec, *, from_start: bool) -> Window:
    if b - a <= MOST_POINTS:
        return Window(a, b, n, spec=spec)
    if from_start:
        return Window(a, a + MOST_POINTS, n, cut=True, spec=spec)
    return Window(b - MOST_POINTS, b, n, cut=True, spec=spec)


class _WindowResult:
    """The engine's result with its per-point lines cut to the window; everything else is the whole chart's."""

    def __init__(self, result, start: int, stop: int):
        self._result = result
        for name in ("cl", "lcl", "ucl"):
            values = getattr(result, name)
            setattr(self, name, None if values is None else values[start:stop])

    def __getattr__(self, name):
        return getattr(self._result, name)


class WindowView(ChartView):
    """A computed chart cut to a window: what the drawing and its table read. The summary in words is the whole
    chart's, followed by what is drawn."""

    full: ChartView
    window: Window

    def summary(self) -> str:
        return f"{self.full.summary()} {sentence(self.full, self.window)}".strip()

    @property
    def explanations(self) -> list[str]:
        if self.signals:
            return [s.text for s in self.signals]
        return [] if self.full.signals or self.result is None else list(self.result.explanations)


def windowed(view: ChartView, window: Window) -> ChartView:
    """The chart as drawn in the window (the view itself when the window holds every point)."""
    if window.whole:
        return view
    a, b = window.start, window.stop
    part = WindowView(
        measure=view.measure,
        rows=view.rows[a:b],
        chart=view.chart,
        automatic=view.automatic,
        rule_set=view.rule_set,
        result=None if view.result is None else _WindowResult(view.result, a, b),
        problem=view.problem,
        y=view.y[a:b],
        point_nature=view.point_nature[a:b],
        point_rules=view.point_rules[a:b],
        phase_starts=[i - a for i in view.phase_starts if a < i < b],
        freeze_index=(
            view.freeze_index - a if view.freeze_index is not None and a <= view.freeze_index < b else None
        ),
        phases=view.phases,
    )
    part.full, part.window = view, window
    part.signals = [
        SignalView(
            s.rule, s.rule_label, tuple(i - a for i in s.indices if a <= i < b), s.direction, s.nature, s.text
        )
        for s in view.signals
        if not s.indices or any(a <= i < b for i in s.indices)
    ]
    return part


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' if n != 1 else ''}"


def sentence(view: ChartView, window: Window) -> str:
    """What is drawn, in words: "Drawn: the latest 52 points, 5 Jan 2015 to 28 Dec 2015. 1,234 earlier points
    are not drawn; the limits and signals use all 1,286 points." ("" when every point is drawn)."""
    if window.whole or not window.total:
        return ""
    rows = view.rows
    first, last = rows[window.start].period, rows[window.stop - 1].period
    what = "the latest " if window.stop == window.total and not window.spec.chosen else ""
    parts = [f"Drawn: {what}{_count(window.drawn, 'point')}, {first:%-d %b %Y} to {last:%-d %b %Y}."]
    if window.empty:
        parts.insert(0, "No points fall in the range chosen, so the latest are drawn.")
    if window.cut:
        parts.append(f"The range chosen holds more; a chart draws at most {MOST_POINTS} points.")
    before, after = window.start, window.total - window.stop
    hidden = [text for n, text in ((before, f"{before:,} earlier"), (after, f"{after:,} later")) if n]
    verb = "is" if before + after == 1 else "are"
    parts.append(
        f"{' and '.join(hidden)} point{'s' if before + after != 1 else ''} {verb} not drawn; the limits and signals "
        f"use all {window.total:,} points."
    )
    text = " ".join(parts)
    return text[0].upper() + text[1:]


def navigation(view: ChartView, window: Window) -> dict:
    """Links that move the window, as query strings: the same number of points earlier and later, the latest,
    and since each phase. Plain links: no JavaScript needed."""
    rows = view.rows
    size = max(window.drawn, 1)
    out: dict = {
        "earlier": "",
        "later": "",
        "latest": "" if not window.spec.chosen and not window.empty else "?",
    }
    if window.start > 0:
        a = max(0, window.start - size)
        out["earlier"] = "?" + urlencode(
            {"start": rows[a].period.isoformat(), "end": rows[window.start - 1].period.isoformat()}
        )
    if window.stop < window.total:
        b = min(window.total, window.stop + size)
        out["later"] = "?" + urlencode(
            {"start": rows[window.stop].period.isoformat(), "end": rows[b - 1].period.isoformat()}
        )
    out["phases"] = [
        {"number": k, "start": ph.start, "reason": ph.reason, "href": "?" + urlencode({"phase": k})}
        for k, ph in enumerate(sorted(view.phases, key=lambda ph: ph.start), start=1)
    ]
    return out
