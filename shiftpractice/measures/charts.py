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
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .charting import ChartView, fmt

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

    @property
    def top(self) -> float:
        return 4 + self.row * 14

    @property
    def triangle(self) -> str:
        t = self.top
        return f"M {self.x - 5:.1f} {t} L {self.x + 5:.1f} {t} L {self.x:.1f} {t + 9} Z"

    @property
    def label_x(self) -> float:
        return round(self.x + 7, 1)

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
    phase_lines: list[tuple[float, str, float]] = field(default_factory=list)
    freeze_x: float | None = None
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
        return (self.freeze_x or 0) + 4

    @property
    def target_label_x(self) -> float:
        return self.plot_right - 4

    @property
    def target_label_y(self) -> float:
        return (self.target_y or 0) - 4

    @property
    def svg_ticks(self) -> SafeString:
        return svg_ticks(self)

    @property
    def svg_cycles(self) -> SafeString:
        return svg_cycles(self)

    @property
    def svg_cycle_links(self) -> SafeString:
        return svg_cycle_links(self)

    @property
    def svg_marks(self) -> SafeString:
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

    step = g.plot_width / n
    xs = [g.plot_left + step * (i + 0.5) for i in range(n)]
    g.y_ticks = [(round(sy(t), 1), fmt(t)) for t in ticks]
    g.x_ticks = _x_ticks(view.periods, xs, 4 if size.compact else 8)
    g.data_path = _polyline(xs, [sy(v) if math.isfinite(v) else math.nan for v in y.tolist()])
    groups = _groups(n, view.phase_starts)
    g.cl_path = _steps(xs, step, res.cl, sy, groups)
    if view.has_limits:
        g.lcl_path = _steps(xs, step, res.lcl, sy, groups)
        g.ucl_path = _steps(xs, step, res.ucl, sy, groups)
    if target is not None:
        g.target_y = round(sy(target), 1)
    phases = {ph.start: ph.reason for ph in view.phases}
    for i in view.phase_starts:
        reason = next((r for s, r in sorted(phases.items()) if s <= view.rows[i].period), "New phase")
        x = round(xs[i] - step / 2, 1)
        g.phase_lines.append((x, reason if len(reason) <= 40 else reason[:39] + "…", round(x + 4, 1)))
    if view.freeze_index is not None:
        g.freeze_x = round(xs[view.freeze_index] + step / 2, 1)
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
        g.cycles.append(
            CycleMark(round(x, 1), c.number, c.title, c.start_date, c.get_absolute_url(), row, g.plot_bottom)
        )
    return g


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


# Per-point SVG elements. A chart has one element per point and per cycle; emitting them here rather than
# in a template loop keeps a 100-point chart to about a millisecond (the template engine's cost per tag,
# times a few hundred tags, was most of the page's time). Every text is escaped.


def _n(v: float) -> str:
    return f"{v:.1f}"


def svg_ticks(g: Geometry) -> SafeString:
    size = "10" if g.size.compact else "12"
    parts = []
    for y, label in g.y_ticks:
        parts.append(
            f'<line x1="{_n(g.plot_left)}" x2="{_n(g.plot_right)}" y1="{_n(y)}" y2="{_n(y)}" stroke="#e8edee" '
            f'stroke-width="1"></line><text x="{_n(g.y_label_x)}" y="{_n(y)}" dy="4" text-anchor="end" '
            f'font-size="{size}" fill="#4c6272">{escape(label)}</text>'
        )
    for x, label in g.x_ticks:
        parts.append(
            f'<text x="{_n(x)}" y="{_n(g.x_label_y)}" text-anchor="middle" font-size="{size}" '
            f'fill="#4c6272">{escape(label)}</text>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers and escaped text


def svg_cycles(g: Geometry) -> SafeString:
    size = "10" if g.size.compact else "11"
    parts = []
    for c in g.cycles:
        label = str(c.number) if g.size.compact else f"PDSA {c.number}"
        parts.append(
            f'<g class="sp-pdsa" data-cycle="{c.number}"><title>PDSA {c.number}: {escape(c.title)}, started '
            f'{c.start:%-d %b %Y}</title><line x1="{_n(c.x)}" x2="{_n(c.x)}" y1="{_n(c.line_top)}" '
            f'y2="{_n(c.bottom)}" stroke="#330072" stroke-width="1" stroke-dasharray="2 3"></line>'
            f'<path d="{c.triangle}" fill="#330072"></path><text x="{_n(c.label_x)}" y="{_n(c.label_y)}" '
            f'font-size="{size}" fill="#330072">{label}</text></g>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers and escaped text


def svg_cycle_links(g: Geometry) -> SafeString:
    width = 20 if g.size.compact else 56
    return mark_safe(  # noqa: S308 - built from numbers and URLs we reversed
        "".join(
            f'<a href="{escape(c.url)}" tabindex="-1" style="pointer-events: auto"><rect x="{_n(c.link_x)}" '
            f'y="{_n(c.top)}" width="{width}" height="14" fill="transparent"></rect></a>'
            for c in g.cycles
        )
    )


def svg_marks(g: Geometry) -> SafeString:
    small = g.size.compact
    parts = []
    for m in g.marks:
        x, y = _n(m.x), _n(m.y)
        if m.nature == "improvement":
            shape = (
                f'<circle cx="{x}" cy="{y}" r="4.5" fill="#005eb8"></circle>'
                f'<circle cx="{x}" cy="{y}" r="8" fill="none" stroke="#005eb8" stroke-width="1.5"></circle>'
            )
        elif m.nature == "concern":
            shape = f'<path d="{m.diamond}" fill="#c35500" stroke="#6b2f00" stroke-width="1"></path>'
        elif m.nature == "neutral":
            shape = f'<rect x="{_n(m.sq_x)}" y="{_n(m.sq_y)}" width="9" height="9" fill="#7c2855"></rect>'
        elif m.nature == "excluded":
            shape = f'<circle cx="{x}" cy="{y}" r="4" fill="#ffffff" stroke="#768692" stroke-width="1.5"></circle>'
        else:
            shape = f'<circle cx="{x}" cy="{y}" r="{"2.5" if small else "3.5"}" fill="#425563"></circle>'
        note = ""
        if m.note and not small:
            note = (
                f'<text x="{x}" y="{_n(m.note_y)}" text-anchor="middle" font-size="12" font-weight="bold" '
                f'fill="#212b32">*</text>'
            )
        parts.append(
            f'<g class="sp-point sp-point--{m.nature}" data-index="{m.index}"><title>{escape(m.label)}</title>'
            f"{shape}{note}</g>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers and escaped text
