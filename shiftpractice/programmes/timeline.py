"""Geometry for the programme timeline drawn as inline SVG by the template."""

from dataclasses import dataclass
from datetime import date

from .models import Milestone

WIDTH = 960
LEFT = 40
RIGHT = 40
AXIS_Y = 70


@dataclass(frozen=True)
class TimelineMark:
    milestone: Milestone
    x: float
    label_y: float
    status: str


@dataclass(frozen=True)
class Timeline:
    marks: list[TimelineMark]
    width: int
    height: int
    axis_y: int
    start: date | None
    end: date | None
    today_x: float | None


def build_timeline(milestones: list[Milestone], *, today: date) -> Timeline:
    """Place each milestone along a horizontal axis by date; labels alternate above and below."""
    if not milestones:
        return Timeline([], WIDTH, 140, AXIS_Y, None, None, None)
    start = min(m.due_date for m in milestones)
    end = max(m.due_date for m in milestones)
    span = max((end - start).days, 1)
    usable = WIDTH - LEFT - RIGHT

    def x_of(day: date) -> float:
        return round(LEFT + usable * (day - start).days / span, 1)

    marks = [
        TimelineMark(
            milestone=m,
            x=x_of(m.due_date),
            label_y=AXIS_Y - 28 if i % 2 == 0 else AXIS_Y + 40,
            status="late" if m.is_overdue else m.status,
        )
        for i, m in enumerate(milestones)
    ]
    today_x = x_of(today) if start <= today <= end else None
    return Timeline(marks, WIDTH, 140, AXIS_Y, start, end, today_x)
