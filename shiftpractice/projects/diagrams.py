"""Geometry for the influence map and driver diagram, drawn as inline SVG by templates.

The numbers are computed here so templates stay declarative and the drawings are testable.
"""

import math
from dataclasses import dataclass

from .choices import Circle
from .models import Stakeholder
from .selectors import TreeNode

GRID = 400  # the power/interest grid is GRID x GRID, inside a margin for axis labels
MARGIN = 60


@dataclass(frozen=True)
class GridPoint:
    stakeholder: Stakeholder
    number: int
    x: float
    y: float


def power_interest_points(stakeholders: list[Stakeholder]) -> list[GridPoint]:
    """Place each person on the grid (interest across, power up), nudging people who share a cell apart."""
    seen: dict[tuple[int, int], int] = {}
    points = []
    cell = GRID / 5
    for number, s in enumerate(stakeholders, start=1):
        k = seen.get((s.interest, s.power), 0)
        seen[(s.interest, s.power)] = k + 1
        angle = k * 2.4
        dx, dy = (math.cos(angle) * 14 * min(k, 1), math.sin(angle) * 14 * min(k, 1))
        x = MARGIN + (s.interest - 0.5) * cell + dx
        y = MARGIN + GRID - (s.power - 0.5) * cell + dy
        points.append(GridPoint(s, number, round(x, 1), round(y, 1)))
    return points


CIRCLE_RADII = {Circle.CONTROL: 60, Circle.INFLUENCE: 120, Circle.CONCERN: 180}


def circle_points(stakeholders: list[Stakeholder]) -> list[GridPoint]:
    """Place each person in the ring of their circle (control innermost), spread around it."""
    by_circle: dict[str, list[tuple[int, Stakeholder]]] = {}
    for number, s in enumerate(stakeholders, start=1):
        by_circle.setdefault(s.circle, []).append((number, s))
    centre = 200
    points = []
    for circle, members in by_circle.items():
        outer = CIRCLE_RADII[circle]
        inner = {Circle.CONTROL: 0, Circle.INFLUENCE: 60, Circle.CONCERN: 120}[circle]
        r = (outer + inner) / 2 if inner else 30
        for i, (number, s) in enumerate(members):
            angle = -math.pi / 4 + 2 * math.pi * i / max(
                len(members), 1
            )  # start off the ring labels at the top
            points.append(
                GridPoint(
                    s, number, round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1)
                )
            )
    return sorted(points, key=lambda p: p.number)


@dataclass(frozen=True)
class Box:
    label: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    parent_x: float | None
    parent_y: float | None

    @property
    def lines(self) -> list[str]:
        """The label wrapped to fit the box: two lines of about 28 characters, shortened with an ellipsis."""
        return wrap_label(self.label, width=28, lines=2)


def wrap_label(text: str, *, width: int, lines: int) -> list[str]:
    """Greedy word wrap into at most ``lines`` lines, the last ending in "…" when text is left over.

    >>> wrap_label("Reduce clinical waste sent for high-temperature incineration on the ward", width=28, lines=2)
    ['Reduce clinical waste sent', 'for high-temperature incine…']
    """
    out: list[str] = []
    current = ""
    words = text.split()
    for i, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines:
            rest = " ".join(words[i:])
            out[-1] = (out[-1] + " " + rest)[: width - 1].rstrip() + "…"
            return out
    if current:
        out.append(current)
    return out[:lines]


COLUMN_X = {"aim": 10, "primary": 200, "secondary": 400, "change_idea": 600}
BOX_W, BOX_H, ROW = 180, 44, 54


def driver_boxes(aim: str, roots: list[TreeNode]) -> tuple[list[Box], int, int]:
    """Lay the driver tree out left to right: aim, primary drivers, secondary drivers, change ideas.

    Each leaf gets its own row and a parent sits level with the middle of its children. Returns the boxes
    (the aim first) with the point each one's connector starts from, and the drawing's width and height.
    """
    y_of: dict[int, float] = {}
    rows = 0

    def place(tree: TreeNode) -> float:
        nonlocal rows
        child_ys = [place(child) for child in tree.children]
        if child_ys:
            y = sum(child_ys) / len(child_ys)
        else:
            y, rows = rows * ROW + 10, rows + 1
        y_of[tree.node.pk] = y
        return y

    root_ys = [place(root) for root in roots]
    aim_y = sum(root_ys) / len(root_ys) if root_ys else 10
    boxes = [Box(aim or "Aim not written yet", "aim", COLUMN_X["aim"], aim_y, BOX_W, BOX_H, None, None)]

    def emit(tree: TreeNode, parent_x: float, parent_y: float) -> None:
        node = tree.node
        x, y = COLUMN_X[node.kind], y_of[node.pk]
        boxes.append(Box(node.text, node.kind, x, y, BOX_W, BOX_H, parent_x, parent_y + BOX_H / 2))
        for child in tree.children:
            emit(child, x + BOX_W, y)

    for root in roots:
        emit(root, COLUMN_X["aim"] + BOX_W, aim_y)
    return boxes, 800, max(rows, 1) * ROW + 20
