"""The downloadable packs, each one ZIP built from published items only:

- a training pack per journey stage: the published items tagged with the stage;
- a training pack per workshop: the published items a lead marked as for that workshop (1, 2, ... of a cohort's
  running order; "per workshop" is by number, since a cohort's own workshops, with their dates, joining links and
  members' materials, are private to it);
- the "run your own cohort" facilitator pack: a README, the current model version as readable markdown, each
  workshop's items (its agenda among them), the tool worksheets as PDF (from ``content.visuals`` when it can draw
  them), and the list of survey instruments with their licence notes.

A training page goes in as markdown with its citation; a download as the file itself; a case study as a link to
its public page and PDF (the stories app holds them). Every pack has a README naming each item, its licence and
how to cite it. The ZIP is written to a temporary file, so a large pack never sits in memory.
"""

import tempfile
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone

from shiftpractice.content import selectors as content_selectors
from shiftpractice.content import visuals

from . import selectors
from .choices import ItemKind
from .models import SITE_NAME, LibraryItem


@dataclass
class Pack:
    filename: str
    title: str
    items: list[LibraryItem]
    extra: dict[str, bytes] = field(default_factory=dict)  # path in the ZIP -> bytes
    notes: list[str] = field(default_factory=list)  # README lines after the list of items


def _page_markdown(item: LibraryItem, base_url: str) -> str:
    return (
        f"# {item.title}\n\n{item.summary}\n\n{item.body.strip()}\n\n---\n\n"
        f"Licence: {item.licence_terms.short}. {item.licence_terms.allows}\n\n"
        f"Cite this: {item.citation(base_url)}\n"
    )


def _case_study_markdown(item: LibraryItem, base_url: str) -> str:
    lines = [f"# {item.title}", "", item.summary, "", f"Read it: {base_url}{item.external_url}"]
    if item.pdf_url:
        lines.append(f"PDF: {base_url}{item.pdf_url}")
    lines += ["", f"Cite this: {item.citation(base_url)}", ""]
    return "\n".join(lines)


def _item_entries(item: LibraryItem, folder: str, base_url: str) -> list[tuple[str, object]]:
    """(path in the ZIP, bytes or a stored file) for one item."""
    if item.kind == ItemKind.PAGE:
        return [(f"{folder}{item.slug}.md", _page_markdown(item, base_url).encode())]
    if item.kind == ItemKind.CASE_STUDY:
        return [(f"{folder}{item.slug}.md", _case_study_markdown(item, base_url).encode())]
    if item.file:
        return [(f"{folder}{item.download_name}", item.file)]
    return []


def readme(pack: Pack, base_url: str) -> str:
    lines = [
        f"# {pack.title}",
        "",
        f"From the {SITE_NAME} library ({base_url}/library/), made {timezone.localdate():%d %B %Y}.",
        "Everything here was published when the pack was made; each item's licence says what you may do with it.",
        "",
        "## What is in this pack",
        "",
    ]
    if not pack.items:
        lines.append("No published item yet.")
    for item in pack.items:
        lines.append(f"- {item.title} ({item.get_kind_display().lower()}; {item.licence_terms.short})")
        lines.append(f"  Cite this: {item.citation(base_url)}")
    if pack.notes:
        lines += ["", *pack.notes]
    return "\n".join(lines) + "\n"


def write_zip(pack: Pack, base_url: str, *, folder_of=None):
    """The pack as a ZIP in a temporary file, read from its start."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", readme(pack, base_url))
        for item in pack.items:
            folder = folder_of(item) if folder_of else ""
            for path, content in _item_entries(item, folder, base_url):
                if isinstance(content, bytes):
                    archive.writestr(path, content)
                    continue
                try:
                    with content.open("rb") as handle, archive.open(path, "w") as target:
                        for chunk in iter(lambda h=handle: h.read(1024 * 1024), b""):
                            target.write(chunk)
                except FileNotFoundError:
                    archive.writestr(
                        path + ".missing.txt", "This file is missing from the library's storage.\n"
                    )
        for path, content in pack.extra.items():
            archive.writestr(path, content)
    out.seek(0)
    return out


def stage_pack(stage_slug: str, stage_title: str) -> Pack:
    name = stage_slug.split(".", 1)[-1]
    return Pack(
        filename=f"training-pack-{name}.zip",
        title=f"Training pack: {stage_title}",
        items=list(selectors.stage_pack_items(stage_slug)),
    )


def workshop_pack(number: int) -> Pack:
    return Pack(
        filename=f"training-pack-workshop-{number}.zip",
        title=f"Training pack: workshop {number}",
        items=list(selectors.workshop_pack_items(number)),
    )


def model_markdown(view) -> str:
    """A model version as plain markdown: its parts, lenses, journey stages with their prompts and tools, and
    what else it holds."""
    version = view.version
    lines = [f"# {version.name}", "", f"Version {version.number}, dated {version.dated:%d %B %Y}.", ""]
    for heading, items in view.grouped():
        lines += [f"## {heading}", ""]
        for item in items:
            lines.append(f"### {item.title}")
            if item.summary:
                lines += ["", item.summary]
            if item.body:
                lines += ["", item.body.strip()]
            if item.kind == "stage":
                prompts = ", ".join(p.title for p in view.stage_prompts(item))
                tools = ", ".join(t.title for t in view.stage_tools(item))
                if prompts:
                    lines += ["", f"Prompts: {prompts}"]
                if tools:
                    lines += ["", f"Tools: {tools}"]
            if item.attribution:
                lines += ["", f"Source: {item.attribution}"]
            lines.append("")
    return "\n".join(lines) + "\n"


def instruments_markdown(view) -> str:
    lines = ["# Survey instruments", ""]
    lines.append(
        "The model's instruments for evaluating a cohort. Check each one's licence before you use it: some are "
        "published scales whose owners license them."
    )
    lines.append("")
    for item in view.instruments:
        lines.append(f"## {item.title}")
        if item.summary:
            lines += ["", item.summary]
        notes = []
        if item.validated:
            notes.append("a published, validated scale")
        if item.requires_licence:
            notes.append("needs a licence from its owner before use")
        if item.licence_name:
            notes.append(f"licence: {item.licence_name}")
        if notes:
            lines += ["", "; ".join(notes).capitalize() + "."]
        if item.attribution:
            lines += ["", f"Source: {item.attribution}"]
        lines.append("")
    return "\n".join(lines) + "\n"


def worksheets(version) -> dict[str, bytes]:
    """The model picture (``model/``) and the tool worksheets (``worksheets/``) of ``version`` as PDF, when the
    visuals can be drawn (nothing until they can)."""
    out: dict[str, bytes] = {}
    try:
        found = visuals.framework_visuals(version)
    except NotImplementedError:
        return out
    for visual in found:
        try:
            data, _type, name = visuals.visual_file(version, visual.slug, "pdf")
        except (KeyError, NotImplementedError):
            continue
        folder = "worksheets" if visual.slug.startswith("worksheet") else "model"
        out[f"{folder}/{name or visual.slug + '.pdf'}"] = data
    return out


def facilitator_pack() -> Pack:
    version = content_selectors.current_version()
    view = content_selectors.model_view(version) if version is not None else None
    numbers = selectors.workshop_numbers()
    items = list(
        selectors.published()
        .filter(workshop__in=numbers)
        .select_related("programme")
        .order_by("workshop", "title", "id")
    )
    extra: dict[str, bytes] = {}
    notes = [
        "## How to use it",
        "",
        "1. Read the model (model/, in words and as a picture) with the people who will coach and facilitate.",
        "2. Each workshop folder (workshop-1/, workshop-2/, ...) holds that workshop's agenda and materials.",
        "3. Print the worksheets (worksheets/) for the tools participants use between workshops.",
        "4. Plan the evaluation from the survey instruments (instruments.md): check each one's licence first.",
    ]
    if view is not None:
        extra[f"model/{version.slug}.md"] = model_markdown(view).encode()
        extra["instruments.md"] = instruments_markdown(view).encode()
        extra.update(worksheets(version))
    if not any(path.startswith("worksheets/") for path in extra):
        notes += [
            "",
            "The printable worksheets are not in this pack yet: the library adds them once they are drawn.",
        ]
    return Pack(
        filename="run-your-own-cohort.zip",
        title="Run your own cohort: the facilitator pack",
        items=items,
        extra=extra,
        notes=notes,
    )


def workshop_folder(item: LibraryItem) -> str:
    return f"workshop-{item.workshop}/" if item.workshop else ""
