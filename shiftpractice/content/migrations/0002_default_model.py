"""Load the default model, "v1 pilot", on a fresh install.

Self-contained by rule: historical models only, and the data frozen beside it in ``_default_model_v1``.
Markdown is rendered here with the same libraries and settings as ``core.text.render_markdown`` rather than
by importing it, so this migration keeps working whatever later happens to app code.
``load_default_model`` is also what ``content.services.default_model_ensure`` runs when a test database
has been flushed, so the two can never disagree.
"""

import datetime

import nh3
from django.db import migrations
from django.utils import timezone
from markdown_it import MarkdownIt

from ._default_model_v1 import ACCESSED, ITEMS, SOURCES, VERSION

_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
}
_TAGS |= {"table", "thead", "tbody", "tr", "th", "td"}


def _html(text: str) -> str:
    rendered = MarkdownIt("commonmark", {"html": False}).enable("table").render(text or "")
    return nh3.clean(
        rendered,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}, "td": set()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _sources(entries) -> list[dict]:
    result = []
    for entry in entries:
        key, note = entry if isinstance(entry, tuple) else (entry, "")
        citation, url = SOURCES[key]
        result.append(
            {"citation": citation, "url": url, "accessed": ACCESSED, "note": note, "verify": bool(note)}
        )
    return result


def load_default_model(apps, schema_editor=None) -> None:
    """Create v1 and its items unless a model version already exists (never overwrite a team's edits)."""
    ContentItem = apps.get_model("content", "ContentItem")
    ModelVersion = apps.get_model("content", "ModelVersion")
    ModelVersionItem = apps.get_model("content", "ModelVersionItem")
    if ModelVersion.objects.exists():
        return
    now = timezone.now()
    version = ModelVersion.objects.create(
        number=VERSION["number"],
        name=VERSION["name"],
        slug=VERSION["slug"],
        status="published",
        dated=datetime.date.fromisoformat(VERSION["dated"]),
        change_note=VERSION["change_note"],
        change_note_html=_html(VERSION["change_note"]),
        published_at=now,
    )
    for data in ITEMS:
        sources = _sources(data["sources"])
        needs_verification = any(s["verify"] for s in sources)
        licence = data["licence"]
        item = ContentItem.objects.create(
            slug=data["slug"],
            version=1,
            kind=data["kind"],
            status="draft" if needs_verification else "published",
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            body_html=_html(data["body"]),
            schema=data["schema"],
            pillars=data["pillars"],
            sources=sources,
            licence_name=licence["name"],
            licence_url=licence["url"],
            licence_flag=licence["flag"],
            attribution=licence["attribution"],
            requires_licence=data.get("requires_licence", False),
            validated=data.get("validated", False),
            needs_verification=needs_verification,
            change_note="First version.",
            published_at=None if needs_verification else now,
        )
        # Unverified items wait outside every version until someone records the check.
        if not needs_verification:
            ModelVersionItem.objects.create(model_version=version, item=item, slug=item.slug)


def unload_default_model(apps, schema_editor) -> None:
    ContentItem = apps.get_model("content", "ContentItem")
    ModelVersion = apps.get_model("content", "ModelVersion")
    slugs = [data["slug"] for data in ITEMS]
    ModelVersion.objects.filter(slug=VERSION["slug"], children__isnull=True).delete()
    ContentItem.objects.filter(
        slug__in=slugs, version=1, memberships__isnull=True, references__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(load_default_model, unload_default_model)]
