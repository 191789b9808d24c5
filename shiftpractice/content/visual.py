"""Geometry for the model picture: pillars as columns, lenses as rows, a dot where a lens serves a pillar.

Computed here and drawn by the template as inline SVG, like the programme timeline, so it needs no
JavaScript, prints, and is testable. The page gives the same information as a list beside it.
"""

from dataclasses import dataclass, field

from .choices import SUSTAINABLE_DEVELOPMENT, Pillar

WIDTH = 1000
LABEL_WIDTH = 220
HEADER = 120
ROW = 42
MARGIN = 16


@dataclass
class Column:
    code: str
    label_lines: list[str]
    x: float
    thread: bool = False

    @property
    def band_x(self) -> float:
        return self.x - 44


@dataclass
class Row:
    title: str
    y: float
    dots: list[float] = field(default_factory=list)

    @property
    def title_lines(self) -> list[str]:
        return _wrap(self.title, 24)[:2]

    @property
    def text_y(self) -> float:
        # Two-line titles start higher so the pair is centred on the row.
        return self.y - 3 if len(self.title_lines) > 1 else self.y + 5

    @property
    def rule_y(self) -> float:
        return self.y + ROW / 2


@dataclass
class ModelPicture:
    width: int
    height: int
    columns: list[Column]
    rows: list[Row]
    column_width: float
    group_x1: float
    group_x2: float
    label_width: int = LABEL_WIDTH
    header: int = HEADER
    row_height: int = ROW

    @property
    def band_height(self) -> int:
        return self.height - 44

    @property
    def grid_top(self) -> int:
        return self.header - 14

    @property
    def grid_bottom(self) -> int:
        return self.height - 12

    @property
    def rule_x2(self) -> int:
        return self.width - 8


def _wrap(text: str, width: int = 14) -> list[str]:
    """Split a label into at most three short lines (SVG text does not wrap by itself)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines[:3]


def model_picture(lenses) -> ModelPicture:
    """Lay out the pillars and the given lenses (items with ``title`` and ``pillars``)."""
    codes = list(Pillar.values)
    column_width = (WIDTH - LABEL_WIDTH - MARGIN) / len(codes)
    columns = [
        Column(
            code=code,
            label_lines=_wrap(Pillar(code).label),
            x=round(LABEL_WIDTH + column_width * (n + 0.5), 1),
            thread=code == Pillar.INFLUENCE,
        )
        for n, code in enumerate(codes)
    ]
    x_of = {c.code: c.x for c in columns}
    rows = [
        Row(title=lens.title, y=HEADER + ROW * (n + 0.5), dots=[x_of[p] for p in lens.pillars if p in x_of])
        for n, lens in enumerate(lenses)
    ]
    first_sd = codes.index(SUSTAINABLE_DEVELOPMENT[0])
    last_sd = codes.index(SUSTAINABLE_DEVELOPMENT[-1])
    return ModelPicture(
        width=WIDTH,
        height=HEADER + ROW * len(rows) + MARGIN,
        columns=columns,
        rows=rows,
        column_width=column_width,
        group_x1=round(LABEL_WIDTH + column_width * first_sd + 4, 1),
        group_x2=round(LABEL_WIDTH + column_width * (last_sd + 1) - 4, 1),
    )
