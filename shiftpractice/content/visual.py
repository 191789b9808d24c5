"""Geometry for the model's pictures: pillars as columns, lenses as rows, a dot where a lens serves a pillar;
the journey's stages in order; and the blank worksheets for the tools.

Computed here and drawn by templates as SVG, like the programme timeline, so it needs no JavaScript, prints,
and is testable. The model page draws the grid inline; ``visuals.py`` draws the standalone pictures and
worksheets from the same geometry. Every page gives the same information in words beside the picture.
"""

from dataclasses import dataclass, field
from itertools import pairwise

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
    wrap_at: int = 24

    @property
    def title_lines(self) -> list[str]:
        return _wrap(self.title, self.wrap_at)[:2]

    @property
    def text_y(self) -> float:
        # Two-line titles start higher so the pair is centred on the row.
        return self.y - 3 if len(self.title_lines) > 1 else self.y + 5

    @property
    def rule_y(self) -> float:
        return self.y + ROW / 2


@dataclass
class Group:
    """A bracket over neighbouring pillars of one group ("Sustainable development")."""

    label: str
    x1: float
    x2: float


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
    column_font: int = 12
    groups: list[Group] = field(default_factory=list)

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


def _wrap(text: str, width: int = 14, limit: int = 3) -> list[str]:
    """Split a label into at most ``limit`` short lines (SVG text does not wrap by itself)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines[:limit]


GROUP_LABELS = {"method": "Ways of working", "sustainable development": "Sustainable development"}


def _pillar_columns(pillars) -> list[tuple[str, str, str]]:
    """(code, label, group) per pillar: from the version's pillar items when given (so a renamed or added
    pillar draws itself), else from the pillars the code knows."""
    if not pillars:
        sd = set(SUSTAINABLE_DEVELOPMENT)
        return [
            (code, Pillar(code).label, "sustainable development" if code in sd else "")
            for code in Pillar.values
        ]
    return [(p.name, p.title, (p.schema or {}).get("group", "")) for p in pillars]


def _groups(columns: list[Column], groups: list[str], column_width: float) -> list[Group]:
    """One bracket per run of neighbouring columns in a labelled group."""
    out: list[Group] = []
    previous = None
    for col, group in zip(columns, groups, strict=True):
        label = GROUP_LABELS.get(group)
        half = column_width / 2
        if label and previous == group:
            out[-1].x2 = round(col.x + half - 4, 1)
        elif label:
            out.append(Group(label, round(col.x - half + 4, 1), round(col.x + half - 4, 1)))
        previous = group
    return out


def model_picture(
    lenses, pillars=None, *, label_width: int = LABEL_WIDTH, column_font: int = 12
) -> ModelPicture:
    """Lay out the pillars (the version's pillar items, or the known pillars) and the given lenses (items with
    ``title`` and ``pillars``). The standalone picture, drawn in DejaVu Sans (wider than the Arial a browser
    uses), narrows the lens titles and the pillar labels so the longest pillar word fits its column."""
    specs = _pillar_columns(pillars)
    column_width = (WIDTH - label_width - MARGIN) / max(len(specs), 1)
    columns = [
        Column(
            code=code,
            label_lines=_wrap(label),
            x=round(label_width + column_width * (n + 0.5), 1),
            thread=group == "thread" or code == Pillar.INFLUENCE,
        )
        for n, (code, label, group) in enumerate(specs)
    ]
    x_of = {c.code: c.x for c in columns}
    rows = [
        Row(
            title=lens.title,
            y=HEADER + ROW * (n + 0.5),
            dots=[x_of[p] for p in lens.pillars if p in x_of],
            wrap_at=int((label_width - 16) / 8.2),
        )
        for n, lens in enumerate(lenses)
    ]
    groups = _groups(columns, [g for _c, _l, g in specs], column_width)
    sd = next((g for g in groups if g.label == GROUP_LABELS["sustainable development"]), None)
    return ModelPicture(
        width=WIDTH,
        height=HEADER + ROW * len(rows) + MARGIN,
        columns=columns,
        rows=rows,
        column_width=column_width,
        group_x1=sd.x1 if sd else 0,
        group_x2=sd.x2 if sd else 0,
        groups=groups,
        label_width=label_width,
        column_font=column_font,
    )


# The journey -------------------------------------------------------------------------------------------

STAGES_PER_ROW = 4
STAGE_HEIGHT = 70
STAGE_GAP = 28


@dataclass
class StageBox:
    number: int
    title: str
    x: float
    y: float
    width: float
    height: float = STAGE_HEIGHT

    @property
    def title_lines(self) -> list[str]:
        return _wrap(self.title, 20)

    @property
    def badge_x(self) -> float:
        return self.x + 22

    @property
    def mid_y(self) -> float:
        return self.y + self.height / 2

    @property
    def number_y(self) -> float:
        return self.mid_y + 5

    @property
    def text_x(self) -> float:
        return self.x + 44

    @property
    def text_y(self) -> float:
        # The lines are centred on the box: 17 units apart.
        return round(self.mid_y + 5 - 8.5 * (len(self.title_lines) - 1), 1)


@dataclass
class Journey:
    top: float
    height: float
    boxes: list[StageBox]
    paths: list[str]  # the arrows from each stage to the next, as SVG path data


def journey(stages, *, top: float, width: int = WIDTH) -> Journey:
    """The stages (items with ``title``, already in order) in rows of four, joined by arrows."""
    inner = width - 2 * MARGIN
    box_width = (inner - STAGE_GAP * (STAGES_PER_ROW - 1)) / STAGES_PER_ROW
    boxes = []
    for n, stage in enumerate(stages):
        row, col = divmod(n, STAGES_PER_ROW)
        x = round(MARGIN + col * (box_width + STAGE_GAP), 1)
        y = round(top + row * (STAGE_HEIGHT + STAGE_GAP), 1)
        boxes.append(StageBox(n + 1, stage.title, x, y, round(box_width, 1)))
    paths = []
    for a, b in pairwise(boxes):
        if b.y == a.y:  # same row: straight across the gap
            paths.append(f"M{a.x + a.width + 3},{a.mid_y} H{b.x - 6}")
        else:  # down to the next row, back to its start
            bend = a.y + a.height + STAGE_GAP / 2
            paths.append(f"M{a.x + a.width / 2},{a.y + a.height + 3} V{bend} H{b.x + b.width / 2} V{b.y - 6}")
    rows = -(-len(boxes) // STAGES_PER_ROW)
    height = rows * STAGE_HEIGHT + max(rows - 1, 0) * STAGE_GAP
    return Journey(top=top, height=height, boxes=boxes, paths=paths)


@dataclass
class ModelPoster:
    """The standalone model picture: a heading, the pillars-and-lenses grid, then the journey on the thread."""

    width: int
    height: int
    grid_top: int
    picture: ModelPicture
    journey: Journey
    journey_heading_y: float
    thread_top: float
    thread_height: float
    footer_y: float

    @property
    def thread_width(self) -> int:
        return self.width - 16

    @property
    def thread_label_y(self) -> float:
        return self.thread_top + 26

    @property
    def footer_y2(self) -> float:
        return self.footer_y + 16


POSTER_HEADER = 96


def model_poster(*, pillars, lenses, stages) -> ModelPoster:
    picture = model_picture(lenses, pillars, label_width=196, column_font=11)
    grid_bottom = POSTER_HEADER + picture.height
    heading_y = grid_bottom + 44
    thread_top = heading_y + 18
    path = journey(stages, top=thread_top + 40)
    thread_height = path.height + 62
    footer_y = thread_top + thread_height + 34
    return ModelPoster(
        width=WIDTH,
        height=int(footer_y + 30),
        grid_top=POSTER_HEADER,
        picture=picture,
        journey=path,
        journey_heading_y=heading_y,
        thread_top=thread_top,
        thread_height=thread_height,
        footer_y=footer_y,
    )


# Worksheets --------------------------------------------------------------------------------------------
# Blank A4 sheets to fill in by hand, in CSS pixels (96 to the inch), so a sheet is 794 by 1123 units.

A4_SHORT, A4_LONG = 794, 1123
SHEET_MARGIN = 40
CONTENT_TOP = 168
LINE_GAP = 28  # between the ruled writing lines: room for handwriting at print size
SHORT_BOX = 58


def _chars(width: float, size: float) -> int:
    """Characters of text at ``size`` that fit ``width`` (DejaVu Sans and Arial average under 0.6 em)."""
    return max(int(width / (size * 0.58)), 8)


@dataclass
class Box:
    """One box to write in: a heading, a prompt, then ruled lines, tick boxes or a table."""

    x: float
    y: float
    w: float
    h: float
    heading: str = ""
    prompt: str = ""
    choices: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # a table: headings across, ruled rows below
    ruled: bool = True
    fill: str = "#ffffff"

    @property
    def heading_lines(self) -> list[str]:
        return _wrap(self.heading, _chars(self.w - 20, 14), 2) if self.heading else []

    @property
    def prompt_lines(self) -> list[str]:
        return _wrap(self.prompt, _chars(self.w - 20, 11.5), 5) if self.prompt else []

    @property
    def text_x(self) -> float:
        return self.x + 10

    @property
    def heading_y(self) -> float:
        return self.y + 20

    @property
    def prompt_y(self) -> float:
        return self.heading_y + 17 * len(self.heading_lines) + (0 if self.heading_lines else -4)

    @property
    def body_top(self) -> float:
        return self.prompt_y + 15 * len(self.prompt_lines) - 6

    @property
    def choice_marks(self) -> list[tuple[float, float, str, float, float]]:
        """(x, y, label, label's x, label's y) of each tick box, left to right (onto a second line when the first is full)."""
        marks, x, y = [], self.text_x, self.body_top + 8
        for label in self.choices:
            width = 22 + len(label) * 7.2 + 18
            if x + width > self.x + self.w and x > self.text_x:
                x, y = self.text_x, y + 22
            marks.append((round(x, 1), round(y, 1), label, round(x + 20, 1), round(y + 12, 1)))
            x += width
        return marks

    @property
    def line_ys(self) -> list[float]:
        if not self.ruled or self.choices:
            return []
        start = self.body_top + (LINE_GAP + 8 if self.columns else LINE_GAP)
        ys, y = [], start
        while y <= self.y + self.h - 8:
            ys.append(round(y, 1))
            y += LINE_GAP
        return ys

    @property
    def column_cells(self) -> list[tuple[float, list[str]]]:
        """(x, heading lines) for each table column; the columns share the width equally."""
        if not self.columns:
            return []
        width = (self.w - 12) / len(self.columns)
        return [
            (round(self.x + 6 + n * width, 1), _wrap(c, _chars(width - 8, 10.5), 2))
            for n, c in enumerate(self.columns)
        ]

    @property
    def column_rules(self) -> list[tuple[float, float, float]]:
        """(x, top, bottom) of the rules between table columns."""
        return [(x - 3, self.table_top - 12, self.bottom - 6) for x, _lines in self.column_cells[1:]]

    @property
    def line_x2(self) -> float:
        return round(self.x + self.w - 10, 1)

    @property
    def table_top(self) -> float:
        return self.body_top + 6

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class Label:
    x: float
    y: float
    text: str
    size: float = 12
    bold: bool = False
    anchor: str = "start"
    rotate: int = 0


@dataclass
class Sheet:
    width: int
    height: int
    title: str
    intro: str
    boxes: list[Box]
    footer: list[str]
    labels: list[Label] = field(default_factory=list)
    arrows: list[str] = field(default_factory=list)  # SVG path data, each drawn with an arrowhead
    bands: list[Box] = field(default_factory=list)  # shaded strips behind boxes (the PDSA phases)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def intro_lines(self) -> list[str]:
        return _wrap(self.intro, _chars(self.width - 2 * SHEET_MARGIN, 12.5), 3)

    @property
    def name_line_y(self) -> float:
        return 86 + 17 * len(self.intro_lines) + 10

    @property
    def footer_lines(self) -> list[str]:
        chars = _chars(self.width - 2 * SHEET_MARGIN, 10)
        return [line for text in self.footer for line in _wrap(text, chars, 2)]

    @property
    def footer_y(self) -> float:
        return self.height - SHEET_MARGIN + 14 - 13 * (len(self.footer_lines) - 1)

    @property
    def content_bottom(self) -> float:
        return self.footer_y - 22


def _field_box(f: dict, x: float, y: float, w: float, h: float) -> Box:
    kind = f.get("type", "textarea")
    return Box(
        x,
        y,
        w,
        h,
        heading=f.get("label", ""),
        choices=list(f.get("choices") or []) if kind == "choice" else [],
        prompt="Write one on each line." if kind == "list" and not f.get("columns") else "",
        columns=list(f.get("columns") or []),
    )


def _stack(fields: list[dict], x: float, top: float, bottom: float, w: float, gap: float = 8) -> list[Box]:
    """Boxes for the fields, one under another: short ones (a line, a number, tick boxes) get a fixed
    height, the rest share what is left, lists twice as much as a paragraph."""
    short = {"text", "number", "date", "choice", "scale"}
    weights = [0 if f.get("type") in short else 2 if f.get("type") == "list" else 1 for f in fields]
    free = bottom - top - gap * (len(fields) - 1) - SHORT_BOX * weights.count(0)
    unit = free / max(sum(weights), 1)
    boxes, y = [], top
    for f, weight in zip(fields, weights, strict=True):
        h = SHORT_BOX if weight == 0 else unit * weight
        boxes.append(_field_box(f, x, round(y, 1), w, round(h, 1)))
        y += h + gap
    return boxes


def _questions_box(questions: list[str], x: float, y: float, w: float, h: float, title: str) -> Box:
    return Box(x, y, w, h, heading=title, prompt=" ".join(questions[:3]), ruled=False, fill="#f0f4f5")


def _sheet(*, landscape: bool = False, **kwargs) -> Sheet:
    width, height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    return Sheet(width=width, height=height, **kwargs)


def driver_diagram_sheet(*, title, intro, labels: dict, questions: list[str], footer: list[str]) -> Sheet:
    """Aim, primary drivers, secondary drivers and change ideas as columns of boxes, joined left to right."""
    sheet = _sheet(landscape=True, title=title, intro=intro, boxes=[], footer=footer)
    inner = sheet.width - 2 * SHEET_MARGIN
    gap = 30
    shares = [0.2, 0.24, 0.26, 0.30]
    widths = [(inner - 3 * gap) * s for s in shares]
    xs = [SHEET_MARGIN + sum(widths[:n]) + gap * n for n in range(4)]
    top = CONTENT_TOP + 22
    bottom = sheet.content_bottom - (86 if questions else 0)
    keys = ["aim", "primary_drivers", "secondary_drivers", "change_ideas"]
    for x, key in zip(xs, keys, strict=True):
        sheet.labels.append(Label(x, CONTENT_TOP + 8, labels[key], size=14, bold=True))
    height = bottom - top
    aim_h = min(height, 240)
    aim = Box(xs[0], round(top + (height - aim_h) / 2, 1), widths[0], aim_h, prompt=labels["aim_prompt"])

    def column(n: int, count: int, gap_y: float, prompt: str = "") -> list[Box]:
        h = (height - gap_y * (count - 1)) / count
        return [
            Box(xs[n], round(top + k * (h + gap_y), 1), widths[n], round(h, 1), prompt=prompt, ruled=False)
            for k in range(count)
        ]

    primary = column(1, 3, 14)
    secondary = column(2, 6, 10)
    ideas = column(3, 6, 10, prompt=labels["idea_prompt"])
    sheet.boxes += [aim, *primary, *secondary, *ideas]

    def join(a: Box, b: Box) -> str:
        ya, yb = round(a.y + a.h / 2, 1), round(b.y + b.h / 2, 1)
        mid = round(a.x + a.w + gap / 2, 1)
        return f"M{round(a.x + a.w, 1)},{ya} H{mid} V{yb} H{round(b.x - 5, 1)}"

    sheet.arrows += [join(aim, p) for p in primary]
    sheet.arrows += [join(primary[k // 2], s) for k, s in enumerate(secondary)]
    sheet.arrows += [join(s, i) for s, i in zip(secondary, ideas, strict=True)]
    if questions:
        sheet.boxes.append(
            _questions_box(questions, SHEET_MARGIN, bottom + 16, inner, 70, labels["questions_title"])
        )
    return sheet


def influence_map_sheet(
    *, title, intro, quadrants: list[str], axes: tuple[str, str], columns: list[str], questions, footer
) -> Sheet:
    """Power against interest in four squares, each with what to do about the people in it; then a table
    to note each person or group."""
    sheet = _sheet(title=title, intro=intro, boxes=[], footer=footer)
    left, right = SHEET_MARGIN + 34, sheet.width - SHEET_MARGIN
    top, size = CONTENT_TOP, (sheet.width - SHEET_MARGIN - (SHEET_MARGIN + 34)) / 2
    size = min(size, 210)
    width = (right - left) / 2
    # Quadrants in the order the tool lists its approaches: high power and interest first.
    places = [(1, 0), (0, 0), (1, 1), (0, 1)]
    corner = ["High power, high interest", "High power, low interest", "Low power, high interest"]
    corner.append("Low power, low interest")
    for (col, row), heading, where in zip(places, quadrants, corner, strict=False):
        sheet.boxes.append(
            Box(
                round(left + col * width, 1),
                round(top + row * size, 1),
                round(width, 1),
                size,
                heading,
                where,
            )
        )
    power, interest = axes
    grid_bottom = top + 2 * size
    sheet.arrows.append(f"M{left - 14},{grid_bottom} V{top + 6}")
    sheet.arrows.append(f"M{left},{grid_bottom + 14} H{right - 6}")
    sheet.labels.append(Label(left - 20, top + size, f"{power}: low to high", 12, True, "middle", -90))
    sheet.labels.append(Label(left + width, grid_bottom + 32, f"{interest}: low to high", 12, True, "middle"))
    table_top = grid_bottom + 48
    q_height = 92 if questions else 0
    table_bottom = sheet.content_bottom - (q_height + 12 if questions else 0)
    sheet.boxes.append(
        Box(
            SHEET_MARGIN, table_top, sheet.width - 2 * SHEET_MARGIN, table_bottom - table_top, columns=columns
        )
    )
    if questions:
        sheet.boxes.append(
            _questions_box(
                questions,
                SHEET_MARGIN,
                table_bottom + 12,
                sheet.width - 2 * SHEET_MARGIN,
                q_height,
                "Questions to ask",
            )
        )
    return sheet


def phased_sheet(*, title, intro, phases: list[tuple[str, list[dict]]], footer) -> Sheet:
    """Fields in named phases (Plan, Do, Study, Act), each phase a labelled strip down the left."""
    sheet = _sheet(title=title, intro=intro, boxes=[], footer=footer)
    band_w = 34
    x, w = SHEET_MARGIN + band_w + 8, sheet.width - 2 * SHEET_MARGIN - band_w - 8
    fields = [f for _name, fs in phases for f in fs]
    boxes = _stack(fields, x, CONTENT_TOP, sheet.content_bottom, w)
    sheet.boxes += boxes
    n = 0
    for name, fs in phases:
        if not fs:
            continue
        first, last = boxes[n], boxes[n + len(fs) - 1]
        band = Box(
            SHEET_MARGIN, first.y, band_w, round(last.bottom - first.y, 1), ruled=False, fill="#e8edee"
        )
        sheet.bands.append(band)
        sheet.labels.append(
            Label(SHEET_MARGIN + 23, round(first.y + band.h / 2, 1), name, 15, True, "middle", -90)
        )
        n += len(fs)
    return sheet


def stacked_sheet(*, title, intro, fields: list[dict], extra: list[str], questions, footer) -> Sheet:
    """The tool's fields one under another, then ``extra`` boxes side by side, then the questions."""
    sheet = _sheet(title=title, intro=intro, boxes=[], footer=footer)
    inner = sheet.width - 2 * SHEET_MARGIN
    q_height = 80 if questions else 0
    extra_h = 150 if extra else 0
    bottom = sheet.content_bottom - (q_height + 10 if questions else 0) - (extra_h + 10 if extra else 0)
    sheet.boxes += _stack(fields, SHEET_MARGIN, CONTENT_TOP, bottom, inner)
    if extra:
        gap = 10
        w = (inner - gap * (len(extra) - 1)) / len(extra)
        for n, heading in enumerate(extra):
            sheet.boxes.append(
                Box(round(SHEET_MARGIN + n * (w + gap), 1), bottom + 10, round(w, 1), extra_h, heading)
            )
    if questions:
        y = bottom + (extra_h + 20 if extra else 10)
        sheet.boxes.append(_questions_box(questions, SHEET_MARGIN, y, inner, q_height, "Questions to ask"))
    return sheet
