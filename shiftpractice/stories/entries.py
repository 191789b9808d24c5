"""The public face of a published case study, as the library indexes it (see ``signals.publication_changed``)."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class LibraryEntry:
    key: str  # "case-study:<id>", stable across versions
    title: str
    summary: str  # one paragraph, plain text
    text: str  # the whole published text, plain, for full-text search
    url: str  # the public page (a path)
    published_at: datetime  # first published
    updated_at: datetime  # the current version's date
    licence: str  # content.licences.Licence value
    attribution: str  # "Dr A. Example, Example Health Centre"
    model_version_id: int | None = None
    lenses: list[str] = field(default_factory=list)  # network Lens / content lens names: "systems", ...
    stages: list[str] = field(default_factory=list)  # journey stage item slugs
    setting: str = ""
    region: str = ""  # core.choices.Region value or ""
    topics: list[str] = field(default_factory=list)
    pdf_url: str = ""
