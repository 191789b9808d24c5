"""The per-point SVG elements of a laid-out chart (points, ticks, PDSA markers and their links), as escaped
strings: a template loop over a few hundred elements was most of the page's time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .layout import cycle_label

if TYPE_CHECKING:
    from .layout import Geometry

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
        label = cycle_label(c.number, compact=g.size.compact)
        parts.append(
            f'<g class="sp-pdsa" data-cycle="{c.number}"><title>PDSA {c.number}: {escape(c.title)}, started '
            f'{c.start:%-d %b %Y}</title><line x1="{_n(c.x)}" x2="{_n(c.x)}" y1="{_n(c.line_top)}" '
            f'y2="{_n(c.bottom)}" stroke="#330072" stroke-width="1" stroke-dasharray="2 3"></line>'
            f'<path d="{c.triangle}" fill="#330072"></path><text x="{_n(c.label_x)}" y="{_n(c.label_y)}" '
            f'text-anchor="{c.anchor}" font-size="{size}" fill="#330072">{label}</text></g>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers and escaped text


def svg_cycle_links(g: Geometry) -> SafeString:
    width = 20 if g.size.compact else 56
    return mark_safe(  # noqa: S308 - built from numbers and URLs we reversed
        "".join(
            f'<a href="{escape(c.url)}" tabindex="-1" style="pointer-events: auto"><rect '
            f'x="{_n(c.link_x - (width - 12) if c.flip else c.link_x)}" '
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
