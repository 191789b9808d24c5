"""Writes on the library: a lead's training pages and downloads (made, changed, published, withdrawn), and the case
studies the stories app publishes (kept from its ``publication_changed`` signal).

Each public function runs in one transaction, records an audit event and brings the tag index and the search
index up to date in the same transaction, so a withdrawal leaves every public page, search, feed, sitemap and
pack at the commit that withdraws it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from shiftpractice.content.licences import DEFAULT_LICENCE, Licence
from shiftpractice.content.models import ContentItem, ModelVersion
from shiftpractice.core.audit import audit
from shiftpractice.core.text import render_markdown

from . import search
from .choices import WRITABLE_KINDS, Facet, ItemKind, ItemStatus, Lens, Region, Setting, label_of
from .models import LibraryItem, LibraryTag
from .uploads import check_library_file

# What a lead's form sets on an item, as the form's cleaned data names it.
FIELDS = (
    "title",
    "summary",
    "body",
    "licence",
    "attribution",
    "model_version",
    "lenses",
    "stages",
    "setting",
    "region",
    "topics",
    "workshop",
)
MAX_TOPICS = 10
TOPIC_LENGTH = 60
NOT_WRITABLE = "A case study is changed from its own page in the stories app, not in the library."


def normalise_topics(topics) -> list[str]:
    """Lowercase, single-spaced, each once, at most ``MAX_TOPICS``: "Run charts" and "run  charts" are one."""
    if isinstance(topics, str):
        topics = topics.split(",")
    out: list[str] = []
    for topic in topics or []:
        word = " ".join(str(topic).lower().split())[:TOPIC_LENGTH]
        if word and word not in out:
            out.append(word)
    return out[:MAX_TOPICS]


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100] or "item"
    taken = set(
        LibraryItem.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _search_text(item: LibraryItem, *, text: str = "") -> str:
    """The plain text the search reads beside the title and summary: the body, and the labels of every tag."""
    stage_titles = list(
        ContentItem.objects.filter(slug__in=item.stages).values_list("title", flat=True).distinct()
    )
    parts = [
        text or strip_tags(item.body_html),
        " ".join(label_of(Lens, v) for v in item.lenses),
        " ".join(stage_titles),
        " ".join(item.topics),
        label_of(Setting, item.setting) if item.setting else "",
        label_of(Region, item.region) if item.region else "",
        item.attribution,
    ]
    return "\n".join(p for p in parts if p)


def _index(item: LibraryItem, *, text: str = "") -> None:
    """Copy the item's tags into the tag index and its text into the search index."""
    item.search_text = _search_text(item, text=text)
    LibraryItem.objects.filter(pk=item.pk).update(search_text=item.search_text)
    LibraryTag.objects.filter(item=item).delete()
    rows = [LibraryTag(item=item, facet=Facet.LENS, value=v) for v in dict.fromkeys(item.lenses)]
    rows += [LibraryTag(item=item, facet=Facet.STAGE, value=v) for v in dict.fromkeys(item.stages)]
    rows += [LibraryTag(item=item, facet=Facet.TOPIC, value=v[:100]) for v in dict.fromkeys(item.topics)]
    LibraryTag.objects.bulk_create(rows)
    search.index_item(item)


def _clean(data: dict) -> dict:
    out = {k: data[k] for k in FIELDS if k in data}
    if "lenses" in out:
        out["lenses"] = [v for v in dict.fromkeys(out["lenses"] or []) if v in Lens.values]
    if "stages" in out:
        out["stages"] = list(dict.fromkeys(out["stages"] or []))
    if "topics" in out:
        out["topics"] = normalise_topics(out["topics"])
    if "licence" in out and out["licence"] not in Licence.values:
        raise ValidationError({"licence": "Choose a licence from the list."})
    for text in ("summary", "body", "attribution", "setting", "region"):
        if text in out:
            out[text] = out[text] or ""
    return out


def _store_file(item: LibraryItem, upload) -> None:
    ext = check_library_file(upload)
    item.file.save(f"{item.public_id}.{ext}", upload, save=False)
    item.filename = (upload.name or "")[-200:]
    item.file_type = ext
    item.size = upload.size


@transaction.atomic
def item_create(*, programme, kind: str, data: dict, upload=None, actor) -> LibraryItem:
    """A lead's new training page or download, as a draft."""
    if kind not in WRITABLE_KINDS:
        raise ValidationError(NOT_WRITABLE)
    fields = _clean(data)
    if not fields.get("title"):
        raise ValidationError({"title": "Enter a title."})
    if kind == ItemKind.FILE and upload is None:
        raise ValidationError({"file": "Choose the file to upload."})
    fields.setdefault("licence", DEFAULT_LICENCE)
    fields.setdefault("attribution", programme.organisation)
    item = LibraryItem(
        kind=kind, programme=programme, slug=_unique_slug(fields["title"]), created_by=actor, **fields
    )
    item.body_html = render_markdown(item.body) if kind == ItemKind.PAGE else ""
    if kind != ItemKind.PAGE:
        item.body = ""
    if upload is not None and kind == ItemKind.FILE:
        _store_file(item, upload)
    item.save()
    _index(item)
    audit(actor=actor, verb="library.item_created", obj=item, summary=item.title, kind=kind)
    return item


@transaction.atomic
def item_update(*, item: LibraryItem, data: dict, upload=None, actor) -> LibraryItem:
    """Change a lead's item; a new file replaces the old one. A published item stays published: its page, the
    search and the feed show the change at once."""
    item = LibraryItem.objects.select_for_update().get(pk=item.pk)
    if item.kind not in WRITABLE_KINDS:
        raise ValidationError(NOT_WRITABLE)
    fields = _clean(data)
    if "title" in fields and not fields["title"]:
        raise ValidationError({"title": "Enter a title."})
    for name, value in fields.items():
        setattr(item, name, value)
    if item.kind == ItemKind.PAGE:
        item.body_html = render_markdown(item.body)
    else:
        item.body = item.body_html = ""
    old_file = item.file.name if upload is not None and item.file else ""
    if upload is not None and item.kind == ItemKind.FILE:
        _store_file(item, upload)
    item.save()
    _index(item)
    audit(actor=actor, verb="library.item_changed", obj=item, summary=item.title)
    if old_file and old_file != item.file.name:
        storage = item.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return item


@transaction.atomic
def item_publish(*, item: LibraryItem, actor) -> LibraryItem:
    """Publish a draft, or publish again an item that was withdrawn (its first publication date is kept)."""
    item = LibraryItem.objects.select_for_update().get(pk=item.pk)
    if item.kind not in WRITABLE_KINDS:
        raise ValidationError(NOT_WRITABLE)
    if item.status == ItemStatus.PUBLISHED:
        return item
    if item.kind == ItemKind.PAGE and not item.body.strip():
        raise ValidationError("Write the page before publishing it.")
    if item.kind == ItemKind.FILE and not item.file:
        raise ValidationError("Upload the file before publishing it.")
    item.status = ItemStatus.PUBLISHED
    item.published_at = item.published_at or timezone.now()
    item.withdrawn_at, item.withdrawn_reason = None, ""
    item.save(update_fields=["status", "published_at", "withdrawn_at", "withdrawn_reason", "updated_at"])
    audit(actor=actor, verb="library.item_published", obj=item, summary=item.title)
    return item


@transaction.atomic
def item_withdraw(*, item: LibraryItem, reason: str = "", actor) -> LibraryItem:
    """Take an item off every public page, search, feed, sitemap and pack; the record stays."""
    item = LibraryItem.objects.select_for_update().get(pk=item.pk)
    if item.kind not in WRITABLE_KINDS:
        raise ValidationError(NOT_WRITABLE)
    if item.status != ItemStatus.PUBLISHED:
        raise ValidationError("Only a published item can be withdrawn.")
    item.status = ItemStatus.WITHDRAWN
    item.withdrawn_at, item.withdrawn_reason = timezone.now(), (reason or "")[:300]
    item.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "updated_at"])
    audit(actor=actor, verb="library.item_withdrawn", obj=item, summary=item.title, reason=reason[:300])
    return item


# Case studies, from the stories app ----------------------------------------------------------------------


def _safe_url(url: str) -> str:
    """A case study's address as a link may hold it: a path on this site or an http(s) address, else nothing."""
    url = (url or "").strip()
    return url[:300] if url.startswith(("/", "https://", "http://")) and not url.startswith("//") else ""


def _valid_version_id(version_id) -> int | None:
    if not version_id:
        return None
    return version_id if ModelVersion.objects.filter(pk=version_id).exists() else None


@transaction.atomic
def case_study_sync(*, key: str, entry) -> LibraryItem | None:
    """Keep the library's case study for ``key`` as the stories app publishes it: made or changed from
    ``entry`` (a ``stories.entries.LibraryEntry``), or withdrawn when ``entry`` is None (the record stays)."""
    item = LibraryItem.objects.select_for_update().filter(source_key=key).first()
    if entry is None:
        if item is None or item.status == ItemStatus.WITHDRAWN:
            return item
        item.status, item.withdrawn_at = ItemStatus.WITHDRAWN, timezone.now()
        item.withdrawn_reason = "Withdrawn by its authors or the programme."
        # Its text leaves the search index too: the consent it was published under has ended.
        item.search_text = ""
        item.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "search_text", "updated_at"])
        search.index_item(item)
        audit(actor=None, verb="library.case_study_withdrawn", obj=item, summary=item.title, key=key)
        return item
    fields = {
        "kind": ItemKind.CASE_STUDY,
        "status": ItemStatus.PUBLISHED,
        "title": entry.title[:200],
        "summary": entry.summary,
        "external_url": _safe_url(entry.url),
        "pdf_url": _safe_url(entry.pdf_url),
        "licence": entry.licence if entry.licence in Licence.values else DEFAULT_LICENCE,
        "attribution": (entry.attribution or "")[:300],
        "model_version_id": _valid_version_id(entry.model_version_id),
        "lenses": [v for v in dict.fromkeys(entry.lenses or []) if v in Lens.values],
        "stages": list(dict.fromkeys(entry.stages or [])),
        "setting": (entry.setting or "")[:60],
        "region": entry.region if entry.region in Region.values else "",
        "topics": normalise_topics(entry.topics),
        "published_at": entry.published_at,
        "withdrawn_at": None,
        "withdrawn_reason": "",
    }
    created = item is None
    if created:
        item = LibraryItem(source_key=key, slug=_unique_slug(entry.title), **fields)
    else:
        for name, value in fields.items():
            setattr(item, name, value)
    item.save()
    _index(item, text=entry.text)
    audit(
        actor=None,
        verb="library.case_study_published" if created else "library.case_study_changed",
        obj=item,
        summary=item.title,
        key=key,
    )
    return item
