"""Geometry of a measure's chart, computed here and drawn as inline SVG by templates.

Everything a template needs is a number or a short string, so the drawing is declarative, prints, goes
into the PDF (WeasyPrint) and can be tested. Signals are marked by colour and by shape, so they can be
told apart without colour: an improvement is a blue circle with a ring, a concern an orange diamond, a
signal that is neither a purple square, an excluded point a grey hollow circle.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.utils.safestring import SafeString

from .compute import ChartView
from .numbers import fmt

COLOURS = {
    "data": "#425563",
    "common": "#425563",
    "improvement": "#005eb8",
    "concern": "#c35500",
    "neutral": "#7c2855",
    "excluded": "#768692",
    "cl": "#212b32",
    "limit": "#4c6272",
    "target": "#007f3b",
    "phase": "#4c6272",
    "pdsa": "#330072",
    "grid": "#d8dde0",
}


# Advance widths of Arial/Helvetica glyphs in ems, rounded up: enough to keep a label inside the chart.
_NARROW = set(" .,:;'!|iIjlft()[]-")
_WIDE = set("MWmw@%")


def text_width(text: str, font_size: float) -> float:
    """The width a label takes in SVG units (an estimate on the generous side; no font is measured)."""
    ems = 0.0
    for ch in text:
        if ch in _NARROW:
            ems += 0.34
        elif ch in _WIDE:
            ems += 0.9
        elif ch.isupper():
            ems += 0.72
        else:
            ems += 0.58
    return ems * font_size


def fit_label(text: str, font_size: float, room: float) -> str:
    """The label, cut short with an ellipsis if it is wider than the room it has."""
    if text_width(text, font_size) <= room:
        return text
    while text and text_width(text + "…", font_size) > room:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    compact: bool = False


FULL = Size(760, 340, 62, 20, 40, 46)
SMALL = Size(340, 170, 40, 10, 22, 26, compact=True)


@dataclass
class Mark:
    index: int
    x: float
    y: float
    nature: str  # common, improvement, concern, neutral, excluded
    label: str  # what a screen reader or a tooltip says
    note: str = ""

    @property
    def colour(self) -> str:
        return COLOURS[self.nature]

    @property
    def sq_x(self) -> float:
        return round(self.x - 4.5, 1)

    @property
    def sq_y(self) -> float:
        return round(self.y - 4.5, 1)

    @property
    def note_y(self) -> float:
        return round(self.y - 10, 1)

    @property
    def diamond(self) -> str:
        r = 6
        return f"M {self.x:.1f} {self.y - r:.1f} L {self.x + r:.1f} {self.y:.1f} L {self.x:.1f} {self.y + r:.1f} L {self.x - r:.1f} {self.y:.1f} Z"


@dataclass
class CycleMark:
    x: float
    number: int
    title: str
    start: date
    url: str
    row: int = 0  # labels of cycles close together are staggered over two rows
    bottom: float = 0.0
    flip: bool = False  # near the right edge the label goes to the left of the marker

    @property
    def anchor(self) -> str:
        return "end" if self.flip else "start"

    @property
    def top(self) -> float:
        return 4 + self.row * 14

    @property
    def triangle(self) -> str:
        t = self.top
        return f"M {self.x - 5:.1f} {t} L {self.x + 5:.1f} {t} L {self.x:.1f} {t + 9} Z"

    @property
    def label_x(self) -> float:
        return round(self.x - 7 if self.flip else self.x + 7, 1)

    @property
    def link_x(self) -> float:
        return round(self.x - 6, 1)

    @property
    def label_y(self) -> float:
        return self.top + 9

    @property
    def line_top(self) -> float:
        return self.top + 9


@dataclass
class Geometry:
    size: Size
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    data_path: str = ""
    cl_path: str = ""
    lcl_path: str = ""
    ucl_path: str = ""
    target_y: float | None = None
    # Each phase line: its x, its label, the label's x and its text-anchor.
    phase_lines: list[tuple[float, str, float, str]] = field(default_factory=list)
    freeze_x: float | None = None
    freeze_anchor: str = "start"
    marks: list[Mark] = field(default_factory=list)
    cycles: list[CycleMark] = field(default_factory=list)
    cycles_outside: list = field(default_factory=list)

    @property
    def width(self) -> int:
        return self.size.width

    @property
    def height(self) -> int:
        return self.size.height

    @property
    def plot_width(self) -> float:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> float:
        return self.plot_bottom - self.plot_top

    @property
    def y_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def x_label_y(self) -> float:
        return self.plot_bottom + (14 if self.size.compact else 18)

    @property
    def phase_label_y(self) -> float:
        return self.plot_top + 12

    @property
    def freeze_label_y(self) -> float:
        return self.plot_bottom - 6

    @property
    def freeze_label_x(self) -> float:
        return (self.freeze_x or 0) + (-4 if self.freeze_anchor == "end" else 4)

    @property
    def target_label_x(self) -> float:
        return self.plot_right - 4

    @property
    def target_label_y(self) -> float:
        return (self.target_y or 0) - 4

    @property
    def svg_ticks(self) -> SafeString:
        from .svg import svg_ticks

        return svg_ticks(self)

    @property
    def svg_cycles(self) -> SafeString:
        from .svg import svg_cycles

        return svg_cycles(self)

    @property
    def svg_cycle_links(self) -> SafeString:
        from .svg import svg_cycle_links

        return svg_cycle_links(self)

    @property
    def svg_marks(self) -> SafeString:
        from .svg import svg_marks

        return svg_marks(self)

    @property
    def notes(self) -> list[Mark]:
        return [m for m in self.marks if m.note]


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering lo..hi (1, 2, 2.5 or 5 times a power of ten apart).

    >>> nice_ticks(0, 9.3)
    [0, 2, 4, 6, 8, 10]
    """
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v < hi + step * 0.999:
        ticks.append(round(v, 10))
        v += step
    return ticks


def build_geometry(view: ChartView, cycles: list, *, size: Size = FULL) -> Geometry | None:
    """Lay the chart out: one x position per point, y scaled to cover the data, lines, target and ticks."""
    n = len(view.rows)
    if not n or view.result is None:
        return None
    res = view.result
    g = Geometry(size, size.left, size.width - size.right, size.top, size.height - size.bottom)
    y = view.y
    lines = [res.cl, res.lcl, res.ucl]
    candidates = [y] + [np.asarray(a, dtype=float) for a in lines if a is not None]
    values = np.concatenate([c[np.isfinite(c)] for c in candidates]) if candidates else np.zeros(0)
    target = view.measure.target
    if target is not None:
        values = np.append(values, target)
    if not values.size:
        return None
    lo, hi = float(values.min()), float(values.max())
    if lo >= 0 and lo < (hi - lo) * 0.5:
        lo = 0.0  # start at zero when it costs little room: fewer misleading axes
    ticks = nice_ticks(lo, hi, 3 if size.compact else 5)
    y_lo, y_hi = ticks[0], ticks[-1]

    def sy(v: float) -> float:
        return g.plot_bottom - (v - y_lo) / (y_hi - y_lo) * g.plot_height

    font = 10 if size.compact else 12
    y_labels = [fmt(t) for t in ticks]
    # The y axis's labels are right-aligned 6 units left of the plot: widen the margin for long ones.
    widest = max(text_width(label, font) for label in y_labels)
    g.plot_left = float(max(size.left, math.ceil(widest + 6 + 4)))
    step = g.plot_width / n
    xs = [g.plot_left + step * (i + 0.5) for i in range(n)]
    g.y_ticks = [(round(sy(t), 1), label) for t, label in zip(ticks, y_labels, strict=True)]
    g.x_ticks = [
        (_inside(x, text_width(label, font), size.width), label)
        for x, label in _x_ticks(view.periods, xs, 4 if size.compact else 8)
    ]
    g.data_path = _polyline(xs, [sy(v) if math.isfinite(v) else math.nan for v in y.tolist()])
    groups = _groups(n, view.phase_starts)
    g.cl_path = _steps(xs, step, res.cl, sy, groups)
    if view.has_limits:
        g.lcl_path = _steps(xs, step, res.lcl, sy, groups)
        g.ucl_path = _steps(xs, step, res.ucl, sy, groups)
    if target is not None:
        g.target_y = round(sy(target), 1)
    phases = {ph.start: ph.reason for ph in view.phases}
    label_size = 11
    for k, i in enumerate(view.phase_starts):
        reason = next((r for s, r in sorted(phases.items()) if s <= view.rows[i].period), "New phase")
        x = round(xs[i] - step / 2, 1)
        # The label runs right of its line up to the next phase line (or the plot's edge); when the room to
        # the left is larger (a phase near the right edge), it runs left instead. Too long: cut short.
        right_edge = (
            xs[view.phase_starts[k + 1]] - step / 2 if k + 1 < len(view.phase_starts) else g.plot_right
        )
        left_edge = xs[view.phase_starts[k - 1]] - step / 2 if k else g.plot_left
        room_right, room_left = right_edge - x - 6, x - left_edge - 6
        flip = text_width(reason, label_size) > room_right and room_left > room_right
        label = fit_label(reason, label_size, room_left if flip else room_right)
        g.phase_lines.append((x, label, round(x - 4 if flip else x + 4, 1), "end" if flip else "start"))
    if view.freeze_index is not None:
        g.freeze_x = round(xs[view.freeze_index] + step / 2, 1)
        if g.freeze_x + 4 + text_width("Baseline frozen", label_size) > g.plot_right:
            g.freeze_anchor = "end"
    for i, p in enumerate(view.rows):
        v = y[i]
        if not math.isfinite(v):
            continue
        nature = "excluded" if p.excluded else view.point_nature[i]
        label = f"{p.period:%-d %b %Y}: {fmt(v)}"
        if view.point_rules[i]:
            label += f" ({', '.join(dict.fromkeys(view.point_rules[i]))})"
        if p.excluded:
            label += f" (excluded: {p.exclusion_reason})"
        g.marks.append(Mark(i, round(xs[i], 1), round(sy(v), 1), nature, label, p.note))
    first, last = view.rows[0].period, view.rows[-1].period
    period_days = _typical_gap(view.periods)
    for c in cycles:
        if c.start_date is None:
            continue
        if c.start_date < first or (c.start_date - last).days > period_days:
            g.cycles_outside.append(c)
            continue
        x = _x_for_date(c.start_date, view.periods, xs, step)
        row = 0
        if g.cycles and x - g.cycles[-1].x < (24 if size.compact else 64):
            row = 1 - g.cycles[-1].row
        label = cycle_label(c.number, compact=size.compact)
        flip = x + 7 + text_width(label, 10 if size.compact else 11) > size.width - 2
        g.cycles.append(
            CycleMark(
                round(x, 1), c.number, c.title, c.start_date, c.get_absolute_url(), row, g.plot_bottom, flip
            )
        )
    return g


def cycle_label(number: int, *, compact: bool) -> str:
    return str(number) if compact else f"PDSA {number}"


def _inside(x: float, width: float, total: float) -> float:
    """A centred label's x, moved in so that the whole label lies inside the drawing."""
    half = width / 2 + 2
    return round(min(max(x, half), total - half), 1)


def _groups(n: int, starts: list[int]) -> list[int]:
    """The phase number of each point."""
    out, k, bounds = [], 0, set(starts)
    for i in range(n):
        k += i in bounds
        out.append(k)
    return out


def _polyline(xs: list[float], ys: list[float]) -> str:
    parts, pen = [], False
    for x, y in zip(xs, ys, strict=True):
        if math.isnan(y):
            pen = False
            continue
        parts.append(f"{'L' if pen else 'M'} {x:.1f} {y:.1f}")
        pen = True
    return " ".join(parts)


def _steps(xs, step, values, sy, groups) -> str:
    """A line held level across each point's slot, stepping where it changes, broken between phases."""
    if values is None:
        return ""
    vals = np.asarray(values, dtype=float).tolist()
    parts, prev_group, pen = [], None, False
    for i, (x, v) in enumerate(zip(xs, vals, strict=True)):
        if not math.isfinite(v):
            pen = False
            continue
        if groups[i] != prev_group:
            pen = False
        y = sy(v)
        left, right = x - step / 2, x + step / 2
        if pen:
            parts.append(f"L {left:.1f} {y:.1f} L {right:.1f} {y:.1f}")
        else:
            parts.append(f"M {left:.1f} {y:.1f} L {right:.1f} {y:.1f}")
        pen = True
        prev_group = groups[i]
    return " ".join(parts)


def _typical_gap(periods: list[date]) -> int:
    if len(periods) < 2:
        return 31
    gaps = sorted((b - a).days for a, b in itertools.pairwise(periods))
    return max(gaps[len(gaps) // 2], 1)


def _x_for_date(d: date, periods: list[date], xs: list[float], step: float) -> float:
    """Place a date between the points around it, in proportion to the days."""
    for i in range(len(periods) - 1):
        a, b = periods[i], periods[i + 1]
        if a <= d <= b:
            frac = (d - a).days / max((b - a).days, 1)
            return xs[i] + frac * (xs[i + 1] - xs[i])
    if d <= periods[0]:
        return xs[0]
    gap = _typical_gap(periods)
    return min(xs[-1] + (d - periods[-1]).days / gap * step, xs[-1] + step / 2)


def _x_ticks(periods: list[date], xs: list[float], most: int) -> list[tuple[float, str]]:
    n = len(periods)
    every = max(1, math.ceil(n / most))
    monthly = all(p.day == 1 for p in periods)
    out = []
    for i in range(0, n, every):
        p = periods[i]
        out.append((round(xs[i], 1), f"{p:%b %Y}" if monthly else f"{p:%-d %b %y}"))
    return out
