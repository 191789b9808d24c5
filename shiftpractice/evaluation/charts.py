"""Geometry of the dumbbell charts (a row per question: before and after, each on its own scale), drawn as
inline SVG by the templates, with a text summary beside and a data table below (as the measures app does)."""

from dataclasses import dataclass, field

WIDTH = 720
LABEL_WIDTH = 300
PLOT_LEFT = LABEL_WIDTH + 30
PLOT_RIGHT = WIDTH - 30
ROW_HEIGHT = 46
TOP = 40


@dataclass
class Row:
    label: str
    y: float
    x_before: float
    x_after: float
    low: float
    high: float
    before: float
    after: float
    lower_is_better: bool
    label_lines: list = field(default_factory=list)

    @property
    def direction(self) -> str:
        if self.after == self.before:
            return "no change"
        up = self.after > self.before
        better = up != self.lower_is_better
        return "better" if better else "worse"


@dataclass
class Dumbbell:
    rows: list[Row]
    height: int
    summary: str
    before_label: str
    after_label: str
    width: int = WIDTH
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT


def _x(position: float) -> float:
    return round(PLOT_LEFT + position * (PLOT_RIGHT - PLOT_LEFT), 1)


def _wrap(text: str, width: int = 44) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return lines[:2] if len(lines) <= 2 else [lines[0], lines[1][: width - 1] + "…"]


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, int) or float(value).is_integer() else f"{value:.1f}"


def _build(items, before_label: str, after_label: str, what: str) -> Dumbbell | None:
    rows = []
    for series, before, after in items:
        span = series.high - series.low
        if before is None or after is None or not span:
            continue
        rows.append(
            Row(
                label=series.label,
                y=TOP + len(rows) * ROW_HEIGHT,
                x_before=_x((before - series.low) / span),
                x_after=_x((after - series.low) / span),
                low=series.low,
                high=series.high,
                before=before,
                after=after,
                lower_is_better=series.lower_is_better,
            )
        )
        row = rows[-1]
        lines = _wrap(series.label)
        first = row.y + 4 if len(lines) == 1 else row.y - 3
        row.label_lines = [(text, first + 14 * k) for k, text in enumerate(lines)]
    if not rows:
        return None
    better = sum(1 for r in rows if r.direction == "better")
    worse = sum(1 for r in rows if r.direction == "worse")
    summary = (
        f"{what} at {before_label.lower()} (hollow circle) and {after_label.lower()} (filled circle) for "
        f"{len(rows)} question{'s' if len(rows) != 1 else ''}, each on its own scale from its lowest to its "
        f"highest answer. {better} moved in the better direction, {worse} in the worse direction and "
        f"{len(rows) - better - worse} did not move. The table below gives the numbers."
    )
    return Dumbbell(rows, TOP + len(rows) * ROW_HEIGHT, summary, before_label, after_label)


def dumbbell(result) -> Dumbbell | None:
    """Medians before and after for each question shown (never one person's answers)."""
    items = [(r.series, r.median_before, r.median_after) for r in result.shown]
    return _build(items, result.before_label, result.after_label, "Median answers")


def own_chart(series, responses, values) -> Dumbbell | None:
    """The person's own first and latest submitted answers."""
    if len(responses) < 2:
        return None
    first, last = responses[0], responses[-1]
    items = [(s, values[(s.section, s.key)][0], values[(s.section, s.key)][-1]) for s in series]
    return _build(
        items,
        f"{first.window.get_label_display()} ({first.window.cohort.name})",
        f"{last.window.get_label_display()} ({last.window.cohort.name})",
        "Your answers",
    )
