"""The framework visuals a model version draws for itself, as the library lists them.

CONTRACT (for the library): ``framework_visuals(version)`` returns one ``FrameworkVisual`` per downloadable visual
of that published model version, in display order. Each names its public page and its SVG, PNG and PDF downloads.

Every visual is drawn as one SVG document from the version's items (the geometry is in ``visual.py``, the
drawing in ``templates/content/visuals/``), so a new version draws its own. The PNG is that SVG rasterised by
resvg (a Rust wheel: no system library), the PDF is the same SVG on an A4 page printed by WeasyPrint. A
published version never changes, so its files are drawn once and kept in the cache by version, visual and
format; a draft's are drawn on every request (it may have changed since).
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from . import visual as geometry
from .selectors import ModelView, model_view

# Raise when a drawing changes, so no cached file of the old look is served again.
DRAWING_VERSION = 1
CACHE_SECONDS = 60 * 60 * 24 * 30
FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
MODEL_NAME = "the activist workplace change model"


@dataclass(frozen=True)
class FrameworkVisual:
    slug: str  # "model", "worksheet-pdsa", ...
    title: str
    alt_text: str  # short text alternative
    description: str  # the long description, plain text
    page_url: str
    svg_url: str = ""
    png_url: str = ""
    pdf_url: str = ""
    kind: str = "worksheet"  # "picture" or "worksheet"

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.description.split("\n\n") if p.strip()]


# The drawings ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawing:
    """What one visual needs: its texts, the template and context of its SVG, and how it prints."""

    title: str
    alt_text: str
    paragraphs: list[str]
    template: str
    context: dict
    landscape: bool = False
    about_page: bool = False  # the PDF also prints the long description (the model picture)


def _titles(items) -> str:
    titles = [i.title for i in items]
    if len(titles) < 2:
        return "".join(titles)
    return ", ".join(titles[:-1]) + " and " + titles[-1]


def _footer_site(view: ModelView) -> str:
    return f"{settings.SITE_URL}{reverse('content:version_visuals', args=[view.version.slug])}"


def _model(view: ModelView) -> Drawing:
    version = view.version
    pillars, lenses, stages = view.pillars, view.lenses, view.stages
    poster = geometry.model_poster(pillars=pillars, lenses=lenses, stages=stages)
    groups: dict[str, list] = {}
    for p in pillars:
        groups.setdefault((p.schema or {}).get("group", ""), []).append(p)
    thread = groups.get("thread", [])
    thread_name = _titles(thread) or "Influence and activism"
    sd = groups.get("sustainable development", [])
    described = [
        ("method", "Ways of working"),
        ("sustainable development", f"{len(sd)} lenses from sustainable development"),
        ("thread", "The thread through every pillar"),
    ]
    others = [p for g, items in groups.items() if g not in dict(described) for p in items]
    pillar_parts = [f"{label}: {_titles(groups[g])}." for g, label in described if groups.get(g)]
    if others:
        pillar_parts.append(f"Also: {_titles(others)}.")
    by_code = {p.name: p.title for p in pillars}
    lens_parts = [
        f"{lens.title} ({', '.join(by_code[c] for c in lens.pillars if c in by_code) or 'no pillar'})"
        for lens in lenses
    ]
    paragraphs = [
        f"A picture of {MODEL_NAME}, {version.name}, in two parts. At the top, a grid: the model's "
        f"{len(pillars)} pillars are the columns and its {len(lenses)} lenses are the rows; a dot shows that a "
        "lens serves a pillar. Below, the journey: its stages in order, joined by arrows, on a band that stands "
        f"for {thread_name.lower()} running through every stage.",
        "The pillars. " + " ".join(pillar_parts),
        "The lenses, each with the pillars it serves: " + "; ".join(lens_parts) + ".",
        f"The journey, in {len(stages)} stages: "
        + "; ".join(f"{n}. {s.title}" for n, s in enumerate(stages, 1))
        + ".",
    ]
    footer = [
        f"{version.name} of {MODEL_NAME}, from {version.dated:%-d %B %Y}. Our own drawing from the version's content.",
        f"Sources and licences of each part: {settings.SITE_URL}"
        f"{reverse('content:version_attribution', args=[version.slug])}",
    ]
    return Drawing(
        title="The model at a glance",
        alt_text=f"{MODEL_NAME[0].upper()}{MODEL_NAME[1:]}, {version.name}: {len(pillars)} pillars, "
        f"{len(lenses)} lenses and the {len(stages)} stages of the journey, with {thread_name.lower()} as a "
        "thread through them all.",
        paragraphs=paragraphs,
        template="content/visuals/model.svg",
        context={
            "poster": poster,
            "heading": f"{MODEL_NAME[0].upper()}{MODEL_NAME[1:]}",
            "thread_label": f"{thread_name}: a thread through every stage of the journey",
            "footer": footer,
            "version": version,
        },
        about_page=True,
    )


def _fields(view: ModelView, slug: str, default: list[dict]) -> tuple[object, list[dict]]:
    tool = view.by_slug.get(slug)
    fields = (tool.schema or {}).get("fields") if tool else None
    return tool, [dict(f) for f in (fields or default)]


def _questions(view: ModelView, slug: str) -> tuple[str, list[str]]:
    prompt = view.by_slug.get(slug)
    if prompt is None:
        return "", []
    return prompt.title, [str(q) for q in (prompt.schema or {}).get("questions", [])]


def _sheet_texts(view: ModelView, tool, fallback_title: str, fallback_intro: str, what: str) -> dict:
    title = tool.title if tool else fallback_title
    if not title.lower().endswith("worksheet"):
        title = f"{title} worksheet"
    licence = "our own text"
    if tool is not None and tool.licence_name:
        licence = tool.licence_name.rstrip(".")
    credit = f" {tool.attribution}" if tool is not None and tool.attribution else ""
    return {
        "title": title,
        "intro": (tool.summary if tool and tool.summary else fallback_intro),
        "footer": [
            f"{title}: a blank worksheet from {view.version.name} of {MODEL_NAME}. Print, fill in by hand. "
            f"Every visual of this version: {_footer_site(view)}",
            f"Licence: {licence}.{credit}",
        ],
        "alt": f"A blank {what} worksheet to print on A4 and fill in by hand: {title}, from {view.version.name}.",
    }


def _label(fields: list[dict], name: str, default: str) -> str:
    return next((f.get("label") for f in fields if f.get("name") == name and f.get("label")), default)


def _driver_diagram(view: ModelView) -> Drawing:
    tool, fields = _fields(view, "tool.driver-diagram", [])
    q_title, questions = _questions(view, "prompt.design-tags")
    texts = _sheet_texts(
        view,
        tool,
        "Driver diagram",
        "From the aim to primary and secondary drivers to change ideas.",
        "driver",
    )
    labels = {
        "aim": _label(fields, "aim", "Aim"),
        "primary_drivers": _label(fields, "primary_drivers", "Primary drivers"),
        "secondary_drivers": _label(fields, "secondary_drivers", "Secondary drivers"),
        "change_ideas": _label(fields, "change_ideas", "Change ideas"),
        "aim_prompt": "What will improve, for whom, by how much and by when? Add an environmental and a social aim.",
        "idea_prompt": "Tags: principle, leverage point, horizon.",
        "questions_title": q_title,
    }
    sheet = geometry.driver_diagram_sheet(
        title=texts["title"], intro=texts["intro"], labels=labels, questions=questions, footer=texts["footer"]
    )
    paragraphs = [
        f"A landscape A4 worksheet titled {texts['title']}, with four columns joined by arrows from left to right: "
        f"{labels['aim']} (one box: {labels['aim_prompt']}), {labels['primary_drivers']} (three boxes), "
        f"{labels['secondary_drivers']} (six boxes, two for each primary driver) and {labels['change_ideas']} "
        f"(six boxes, one for each secondary driver, each asking for its tags: principle, leverage point and "
        "horizon).",
    ]
    if questions:
        paragraphs.append(f"Along the bottom, {q_title}: " + " ".join(questions[:3]))
    return _worksheet(sheet, texts, paragraphs, landscape=True)


def _influence_map(view: ModelView) -> Drawing:
    default = [
        {"name": "stakeholder", "label": "Person or group", "type": "text"},
        {"name": "power", "label": "Power", "type": "choice"},
        {"name": "interest", "label": "Interest", "type": "choice"},
        {"name": "approach", "label": "Approach", "type": "choice"},
    ]
    tool, fields = _fields(view, "tool.stakeholder-map", default)
    q_title, questions = _questions(view, "prompt.circles")
    texts = _sheet_texts(
        view, tool, "Influence map", "Place each person or group by power and interest.", "influence map"
    )
    approach = next((f for f in fields if f.get("name") == "approach"), {})
    choices = [str(c) for c in approach.get("choices") or []]
    if len(choices) != 4:
        choices = ["manage closely", "keep satisfied", "keep informed", "monitor"]
    quadrants = [c[:1].upper() + c[1:] for c in choices]
    axes = (_label(fields, "power", "Power"), _label(fields, "interest", "Interest"))
    columns = [f.get("label", "") for f in fields][:6]
    sheet = geometry.influence_map_sheet(
        title=texts["title"],
        intro=texts["intro"],
        quadrants=quadrants,
        axes=axes,
        columns=columns,
        questions=questions,
        footer=texts["footer"],
    )
    paragraphs = [
        f"An A4 worksheet titled {texts['title']}. At the top, a square in four parts with {axes[0].lower()} "
        f"rising from bottom to top and {axes[1].lower()} rising from left to right: high power and high "
        f"interest, {quadrants[0].lower()}; high power and low interest, {quadrants[1].lower()}; low power and "
        f"high interest, {quadrants[2].lower()}; low power and low interest, {quadrants[3].lower()}.",
        "Below, a table with one row for each person or group and these columns: " + "; ".join(columns) + ".",
    ]
    if questions:
        paragraphs.append(f"At the bottom, {q_title}: " + " ".join(questions[:3]))
    return _worksheet(sheet, texts, paragraphs)


PDSA_DEFAULT = [
    {"name": "change", "label": "The change being tested", "type": "textarea"},
    {"name": "prediction", "label": "What do you predict will happen?", "type": "textarea"},
    {"name": "do", "label": "What happened?", "type": "textarea"},
    {"name": "study", "label": "How did the results compare with the prediction?", "type": "textarea"},
    {
        "name": "act",
        "label": "Adopt, adapt or abandon",
        "type": "choice",
        "choices": ["adopt", "adapt", "abandon"],
    },
]


def _pdsa(view: ModelView) -> Drawing:
    tool, fields = _fields(view, "tool.pdsa-worksheet", PDSA_DEFAULT)
    texts = _sheet_texts(view, tool, "PDSA worksheet", "Plan, do, study, act for one cycle.", "PDSA")
    # The fields are in the cycle's order; "do", "study" and "act" start their phases, the rest is the plan.
    phases: list[tuple[str, list[dict]]] = [("Plan", [])]
    starts = {"do": "Do", "study": "Study", "act": "Act"}
    for f in fields:
        if f.get("name") in starts:
            phases.append((starts[f["name"]], []))
        phases[-1][1].append(f)
    sheet = geometry.phased_sheet(
        title=texts["title"], intro=texts["intro"], phases=phases, footer=texts["footer"]
    )
    paragraphs = [
        f"An A4 worksheet titled {texts['title']}, in the four phases of a cycle, one under another."
    ]
    for name, fs in phases:
        if fs:
            parts = [
                f.get("label", "")
                + (f" (tick one: {', '.join(map(str, f['choices']))})" if f.get("choices") else "")
                for f in fs
            ]
            paragraphs.append(f"{name}: a box for each of: " + "; ".join(parts) + ".")
    return _worksheet(sheet, texts, paragraphs)


SUSTAINABLE_VALUE_DEFAULT = [
    {"name": "functional_unit", "label": "Functional unit and boundary", "type": "text"},
    {"name": "before", "label": "Activity before the change", "type": "list"},
    {"name": "after", "label": "Activity after the change", "type": "list"},
    {"name": "assumptions", "label": "Assumptions, factor year and source", "type": "textarea"},
]
CARBON_COLUMNS = ["Activity", "Amount a year", "Unit", "Factor (kg CO2e a unit)", "kg CO2e a year"]
IMPACTS = [
    "Outcomes for patients and staff",
    "Social impacts, by group",
    "Financial impact, with assumptions",
]


def _sustainable_value(view: ModelView) -> Drawing:
    tool, fields = _fields(view, "tool.sustainable-value-calculator", SUSTAINABLE_VALUE_DEFAULT)
    for f in fields:
        if f.get("name") in {"before", "after"}:
            f["columns"] = CARBON_COLUMNS
    q_title, questions = _questions(view, "prompt.sustainable-goals")
    texts = _sheet_texts(
        view,
        tool,
        "Sustainable value worksheet",
        "Environmental, social and financial impacts side by side, never one score.",
        "sustainable value",
    )
    sheet = geometry.stacked_sheet(
        title=texts["title"],
        intro=texts["intro"],
        fields=fields,
        extra=IMPACTS,
        questions=questions,
        footer=texts["footer"],
    )
    paragraphs = [
        f"An A4 worksheet titled {texts['title']}, with a box for each of: "
        + "; ".join(
            f.get("label", "") + (" (a table: " + ", ".join(CARBON_COLUMNS) + ")" if f.get("columns") else "")
            for f in fields
        )
        + ".",
        "Then three boxes side by side, kept apart rather than added into one score: "
        + "; ".join(IMPACTS)
        + ".",
    ]
    if questions:
        paragraphs.append(f"At the bottom, {q_title}: " + " ".join(questions[:3]))
    return _worksheet(sheet, texts, paragraphs)


def _worksheet(sheet, texts: dict, paragraphs: list[str], *, landscape: bool = False) -> Drawing:
    return Drawing(
        title=texts["title"],
        alt_text=texts["alt"],
        paragraphs=paragraphs,
        template="content/visuals/worksheet.svg",
        context={"sheet": sheet},
        landscape=landscape,
    )


DRAWINGS: dict[str, Callable[[ModelView], Drawing]] = {
    "model": _model,
    "worksheet-driver-diagram": _driver_diagram,
    "worksheet-influence-map": _influence_map,
    "worksheet-pdsa": _pdsa,
    "worksheet-sustainable-value": _sustainable_value,
}


# The contract ------------------------------------------------------------------------------------------


def _visual(version, slug: str, drawing: Drawing) -> FrameworkVisual:
    def url(fmt: str) -> str:
        return reverse("content:visual_file", args=[version.slug, slug, fmt])

    return FrameworkVisual(
        slug=slug,
        title=drawing.title,
        alt_text=drawing.alt_text,
        description="\n\n".join(drawing.paragraphs),
        page_url=reverse("content:visual", args=[version.slug, slug]),
        svg_url=url("svg"),
        png_url=url("png"),
        pdf_url=url("pdf"),
        kind="picture" if slug == "model" else "worksheet",
    )


def framework_visuals(version) -> list[FrameworkVisual]:
    """Every visual of the version, the model picture first. One query (the version's items)."""
    view = model_view(version)
    return [_visual(version, slug, draw(view)) for slug, draw in DRAWINGS.items()]


def visual_file(version, slug: str, fmt: str) -> tuple[bytes, str, str]:
    """The bytes, content type and download file name of one visual in one format ("svg", "png" or "pdf"), for the
    library's packs. Raises ``KeyError`` for a visual or format the version does not have."""
    if slug not in DRAWINGS or fmt not in FORMATS:
        raise KeyError(f"{slug}.{fmt}")
    return _file(version, slug, fmt), FORMATS[fmt], f"shiftpractice-{version.slug}-{slug}.{fmt}"


def _file(version, slug: str, fmt: str, view: ModelView | None = None) -> bytes:
    """One file, from the cache when the version is published (it never changes), else drawn now."""
    key = f"content:visual:{DRAWING_VERSION}:{version.pk}:{slug}:{fmt}"
    keep = not version.is_draft
    if keep and (cached := cache.get(key)) is not None:
        return cached
    if fmt == "png":
        data = rasterize(_file(version, slug, "svg", view))
    else:
        view = view or model_view(version)
        drawing = DRAWINGS[slug](view)
        described = _visual(version, slug, drawing)
        svg = render_svg(drawing, described)
        data = svg if fmt == "svg" else print_pdf(svg, drawing, described)
    if keep:
        cache.set(key, data, CACHE_SECONDS)
    return data


# Drawing the files -------------------------------------------------------------------------------------


def render_svg(drawing: Drawing, visual: FrameworkVisual) -> bytes:
    """The standalone SVG document: every text from content escaped by the template."""
    return render_to_string(drawing.template, {**drawing.context, "visual": visual}).encode()


def rasterize(svg: bytes) -> bytes:
    """PNG at twice the SVG's size (about 190 dots to the inch for an A4 sheet), on white."""
    import resvg_py

    png = resvg_py.svg_to_bytes(
        svg_string=svg.decode(), zoom=2, background="#ffffff", sans_serif_family="DejaVu Sans"
    )
    return bytes(png)


def _fetcher():
    from weasyprint.urls import URLFetcher

    class InlineOnly(URLFetcher):
        """The page holds its picture as a data: URL; anything else is refused, so printing fetches nothing."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"the visuals' PDFs fetch nothing, not {url[:200]}")

    return InlineOnly()


def print_pdf(svg: bytes, drawing: Drawing, visual: FrameworkVisual) -> bytes:
    """The SVG on an A4 page (with its long description after it, for the model picture), as a tagged PDF.

    Raises OSError when the Pango library WeasyPrint draws text with is missing on this machine."""
    from weasyprint import HTML

    html = render_to_string(
        "content/visuals/print.html",
        {
            "visual": visual,
            "paragraphs": drawing.paragraphs,
            "image": "data:image/svg+xml;base64," + base64.b64encode(svg).decode(),
            "landscape": drawing.landscape,
            "about": drawing.about_page,
        },
    )
    return HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=_fetcher()).write_pdf(
        pdf_tags=True
    )
