"""Writes on the model. Each public function runs in one transaction, checks the rules, and is audited.

The rules, each refused with a clear message and no change:

* a published model version never changes: draft a new version from it;
* a published item never changes: editing it in a draft makes a new item version;
* an item whose source says "verify" cannot be published until someone records the check;
* every published item has at least one source and a valid structure for its kind;
* an item a saved answer refers to cannot be deleted: retire it instead.
"""

import importlib
from datetime import date

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from shiftpractice.core.audit import audit
from shiftpractice.core.text import render_markdown
from shiftpractice.notifications.kinds import Kind as NotificationKind
from shiftpractice.notifications.services import notify_each_once

from .choices import ItemStatus, VersionStatus
from .models import ContentItem, ContentReference, LicenceRecord, ModelVersion, ModelVersionItem
from .validation import (
    check_pillars,
    check_schema,
    check_slug,
    check_sources,
    parse_ref,
    referenced_slugs,
    sources_need_verification,
)

EDITABLE_FIELDS = {
    "title",
    "summary",
    "body",
    "schema",
    "pillars",
    "sources",
    "licence_name",
    "licence_url",
    "licence_flag",
    "attribution",
    "requires_licence",
    "validated",
    "change_note",
}
COPIED_FIELDS = EDITABLE_FIELDS | {"kind", "slug"}


def _require_draft(version: ModelVersion) -> None:
    if not version.is_draft:
        raise ValidationError(
            f"“{version.name}” is published and cannot change. Draft a new version from it instead."
        )


def _locked(version: ModelVersion) -> ModelVersion:
    """Lock the version's row and refresh the caller's instance, so two leads cannot publish or edit it at once
    and the caller sees the state the rules were checked against."""
    list(ModelVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk", flat=True))
    version.refresh_from_db()
    return version


def item_problems(item: ContentItem) -> dict[str, list[str]]:
    """Everything that stops ``item`` being saved, by field (structure, slug, pillars, sources)."""
    problems = {
        "slug": check_slug(item.kind, item.slug),
        "schema": check_schema(item.kind, item.schema),
        "pillars": check_pillars(item.pillars),
        "sources": check_sources(item.sources, required=False),
    }
    return {name: found for name, found in problems.items() if found}


def _validate(item: ContentItem) -> None:
    problems = item_problems(item)
    if problems:
        raise ValidationError(problems)


def _tell_leads_if_awaiting_verification(item: ContentItem, actor) -> None:
    """The lead's inbox, as a notification: the model's editors (every programme's leads) are told once per
    item version that it cites a source to verify before it can be published."""
    if item.needs_verification and item.verified_at is None:
        leads = get_user_model().objects.filter(led_programmes__isnull=False, is_active=True).distinct()
        notify_each_once(
            recipients=leads,
            kind=NotificationKind.AWAITING_LEAD,
            key=f"content-verify:{item.pk}",
            title=f"{item.ref} needs its sources verified before it can be published",
            url=reverse("content:pending"),
            actor=actor,
        )


def _prepare(item: ContentItem) -> None:
    item.body_html = render_markdown(item.body)
    item.needs_verification = sources_need_verification(item.sources)


# Model versions ------------------------------------------------------------------------------------------


@transaction.atomic
def version_draft(*, actor, source: ModelVersion, name: str = "", dated: date | None = None) -> ModelVersion:
    """Start a new draft version holding the same item versions as ``source``.

    Args:
        actor: the lead drafting it.
        source: the published version it is drafted from (becomes its parent).
        name: defaults to "v<number>".
        dated: the date it takes effect; defaults to today.

    Returns:
        The new draft ``ModelVersion``.
    """
    if source.is_draft:
        raise ValidationError("Draft a new version from a published one.")
    number = (ModelVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    name = (name or f"v{number}").strip()
    if ModelVersion.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a version called “{name}”."})
    slug = slugify(name) or f"v{number}"
    # "new" is a page of its own (model/versions/new/), so no version may take it.
    if slug == "new" or ModelVersion.objects.filter(slug=slug).exists():
        slug = f"{slug}-{number}"
    version = ModelVersion.objects.create(
        number=number,
        name=name,
        slug=slug,
        dated=dated or timezone.localdate(),
        parent=source,
        created_by=actor,
    )
    ModelVersionItem.objects.bulk_create(
        ModelVersionItem(model_version=version, item_id=m.item_id, slug=m.slug)
        for m in source.memberships.order_by("id")
    )
    audit(actor=actor, verb="model_version.drafted", obj=version, summary=name, parent=source.slug)
    return version


@transaction.atomic
def version_update(*, version: ModelVersion, actor, name: str, dated: date, change_note: str) -> ModelVersion:
    version = _locked(version)
    _require_draft(version)
    if ModelVersion.objects.filter(name__iexact=name).exclude(pk=version.pk).exists():
        raise ValidationError({"name": f"There is already a version called “{name}”."})
    version.name, version.dated, version.change_note = name.strip(), dated, change_note
    version.change_note_html = render_markdown(change_note)
    version.full_clean()
    version.save()
    audit(actor=actor, verb="model_version.updated", obj=version, summary=version.name)
    return version


def publish_problems(version: ModelVersion) -> list[str]:
    """Why ``version`` cannot be published yet; empty when it can. Read-only, so pages can show it first."""
    problems = []
    if not version.change_note.strip():
        problems.append("Write what changed and why before publishing.")
    items = [m.item for m in version.memberships.select_related("item")]
    if not items:
        problems.append("A version needs at least one item.")
    slugs = {item.slug for item in items}
    for item in sorted(items, key=lambda i: i.slug):
        label = f"{item.title} ({item.ref})"
        if not item.is_verified:
            problems.append(
                f"{label} cites a source marked “verify”: record who checked it against the primary source first."
            )
        if not item.sources:
            problems.append(f"{label} has no source: every published item cites at least one.")
        for message in [msg for found in item_problems(item).values() for msg in found]:
            problems.append(f"{label}: {message}")
        for missing in [s for s in referenced_slugs(item.kind, item.schema) if s not in slugs]:
            problems.append(f"{label} refers to {missing}, which is not in this version.")
    return problems


@transaction.atomic
def version_publish(*, version: ModelVersion, actor) -> ModelVersion:
    """Publish a draft: its items become published and immutable, and so does the version.

    Items of the parent version that this one no longer contains are marked retired (they stay in the
    versions that used them).

    Raises:
        ValidationError: listing every problem, when the version is not a draft or is not ready.
    """
    version = _locked(version)
    _require_draft(version)
    problems = publish_problems(version)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    item_ids = list(version.memberships.values_list("item_id", flat=True))
    ContentItem.objects.filter(pk__in=item_ids, status=ItemStatus.DRAFT).update(
        status=ItemStatus.PUBLISHED, published_at=now
    )
    # An item brought back after being retired is current again.
    ContentItem.objects.filter(pk__in=item_ids, status=ItemStatus.RETIRED).update(status=ItemStatus.PUBLISHED)
    if version.parent_id:
        kept = version.memberships.values("slug")
        ContentItem.objects.filter(memberships__model_version_id=version.parent_id).exclude(
            slug__in=kept
        ).update(status=ItemStatus.RETIRED)
    version.status, version.published_at, version.published_by = VersionStatus.PUBLISHED, now, actor
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit(actor=actor, verb="model_version.published", obj=version, summary=version.name, items=len(item_ids))
    return version


# Items in a draft ----------------------------------------------------------------------------------------


def _membership(version: ModelVersion, slug: str) -> ModelVersionItem:
    membership = version.memberships.select_related("item").filter(slug=slug).first()
    if membership is None:
        raise ValidationError(f"{slug} is not part of “{version.name}”.")
    return membership


def _editable_in_place(item: ContentItem, version: ModelVersion) -> bool:
    """A draft item that only this draft uses can be edited directly; anything else gets a new version."""
    return (
        item.status == ItemStatus.DRAFT
        and not item.memberships.exclude(model_version=version).exists()
        and not item.references.exists()
    )


def _new_item_version(item: ContentItem, actor) -> ContentItem:
    latest = ContentItem.objects.filter(slug=item.slug).aggregate(n=Max("version"))["n"]
    copy = ContentItem(**{name: getattr(item, name) for name in COPIED_FIELDS})
    copy.version, copy.supersedes, copy.created_by, copy.change_note = latest + 1, item, actor, ""
    return copy


@transaction.atomic
def item_revise(*, version: ModelVersion, slug: str, actor, **fields) -> ContentItem:
    """Change an item within a draft version.

    A published item is never changed: the draft gets a new item version ("lens.systems@2") in its place,
    keeping its position. A draft item only this draft uses is edited directly.

    Args:
        version: the draft model version.
        slug: the item to change.
        actor: the lead.
        **fields: any of ``EDITABLE_FIELDS``.

    Returns:
        The item version now in the draft.
    """
    version = _locked(version)
    _require_draft(version)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be edited: {', '.join(sorted(unknown))}.")
    membership = _membership(version, slug)
    item = membership.item
    if not _editable_in_place(item, version):
        item = _new_item_version(item, actor)
    for name, value in fields.items():
        setattr(item, name, value)
    _prepare(item)
    _validate(item)
    if item.pk and item.needs_verification:
        # Anything edited needs re-checking: the old check was of the old text.
        item.verified_by, item.verified_at = None, None
    item.save()
    if membership.item_id != item.pk:
        membership.item = item
        membership.save(update_fields=["item"])
    audit(actor=actor, verb="content_item.revised", obj=item, summary=item.ref, version=version.slug)
    _tell_leads_if_awaiting_verification(item, actor)
    return item


@transaction.atomic
def item_add(*, version: ModelVersion, actor, kind: str, slug: str, **fields) -> ContentItem:
    """Add a brand-new item (version 1) to a draft version."""
    version = _locked(version)
    _require_draft(version)
    if ContentItem.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": f"{slug} already exists: edit it, or bring it back into this version from the list."}
        )
    item = ContentItem(kind=kind, slug=slug, version=1, created_by=actor, **fields)
    _prepare(item)
    _validate(item)
    item.save()
    ModelVersionItem.objects.create(model_version=version, item=item, slug=slug)
    audit(actor=actor, verb="content_item.added", obj=item, summary=item.ref, version=version.slug)
    _tell_leads_if_awaiting_verification(item, actor)
    return item


@transaction.atomic
def item_retire(*, version: ModelVersion, slug: str, actor) -> ContentItem:
    """Take an item out of a draft version. Nothing is deleted: earlier versions and answers keep it."""
    version = _locked(version)
    _require_draft(version)
    membership = _membership(version, slug)
    item = membership.item
    membership.delete()
    audit(actor=actor, verb="content_item.retired", obj=item, summary=item.ref, version=version.slug)
    return item


@transaction.atomic
def item_include(*, version: ModelVersion, item: ContentItem, actor) -> ContentItem:
    """Bring an item (a retired one, or a draft now verified) into a draft version."""
    version = _locked(version)
    _require_draft(version)
    if version.memberships.filter(slug=item.slug).exists():
        raise ValidationError(f"“{version.name}” already has a version of {item.slug}.")
    ModelVersionItem.objects.create(model_version=version, item=item, slug=item.slug)
    audit(actor=actor, verb="content_item.included", obj=item, summary=item.ref, version=version.slug)
    return item


@transaction.atomic
def item_delete(*, item: ContentItem, actor) -> None:
    """Delete an item version that was never published and nothing uses.

    Raises:
        ValidationError: when a saved answer refers to it, or it is published or part of a version; the
            message says to retire it instead.
    """
    item = ContentItem.objects.select_for_update().get(pk=item.pk)
    used = item.references.count()
    if used:
        raise ValidationError(
            f"{item.ref} is referred to by {used} saved answer{'s' if used != 1 else ''}, so it cannot be "
            "deleted. Retire it instead: leave it out of the next version."
        )
    if item.status != ItemStatus.DRAFT:
        raise ValidationError(
            f"{item.ref} has been published and is kept for the versions that used it. Retire it instead."
        )
    versions = list(item.model_versions.values_list("name", flat=True))
    if versions:
        raise ValidationError(f"{item.ref} is part of {', '.join(versions)}: take it out of the draft first.")
    audit(actor=actor, verb="content_item.deleted", obj=item, summary=item.ref)
    item.delete()


@transaction.atomic
def item_verify(*, item: ContentItem, actor, note: str) -> ContentItem:
    """Record that ``actor`` checked the item against its primary sources, so it may be published."""
    item = ContentItem.objects.select_for_update().get(pk=item.pk)
    if not item.needs_verification:
        raise ValidationError(f"{item.ref} cites no source marked “verify”: there is nothing to record.")
    if item.status != ItemStatus.DRAFT:
        raise ValidationError(f"{item.ref} is published and cannot change.")
    if not note.strip():
        raise ValidationError(
            {"note": "Say what you checked it against, for example the publication and page."}
        )
    item.verified_by, item.verified_at, item.verification_note = actor, timezone.now(), note.strip()
    item.save(update_fields=["verified_by", "verified_at", "verification_note", "updated_at"])
    audit(actor=actor, verb="content_item.verified", obj=item, summary=item.ref, note=note)
    return item


@transaction.atomic
def licence_record(*, slug: str, reference: str, note: str = "", actor) -> LicenceRecord:
    """Record this organisation's licence for a licence-gated item, which switches it on."""
    if not ContentItem.objects.filter(slug=slug, requires_licence=True).exists():
        raise ValidationError(f"{slug} does not need a licence.")
    if not reference.strip():
        raise ValidationError({"reference": "Enter the licence reference you were given."})
    record, _ = LicenceRecord.objects.update_or_create(
        slug=slug, defaults={"reference": reference.strip(), "note": note, "recorded_by": actor}
    )
    audit(actor=actor, verb="content_licence.recorded", obj=record, summary=slug)
    return record


# References from other apps ------------------------------------------------------------------------------


@transaction.atomic
def reference_record(*, ref: str, obj) -> ContentReference:
    """Note that a saved answer (``obj``) used the item version ``ref``; call it when saving the answer.

    Raises:
        ValidationError: if ``ref`` is malformed, unknown, or names an unpublished draft.
    """
    try:
        slug, number = parse_ref(ref)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    item = ContentItem.objects.filter(slug=slug, version=number).first()
    if item is None or item.status == ItemStatus.DRAFT:
        raise ValidationError(f"{ref} is not a published item of the model.")
    reference, _ = ContentReference.objects.get_or_create(
        item=item, object_type=obj._meta.label_lower, object_id=str(obj.pk), defaults={"ref": ref}
    )
    return reference


def reference_release(*, obj) -> int:
    """Forget the references a deleted answer held; returns how many."""
    deleted, _ = ContentReference.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).delete()
    return deleted


# Default content -----------------------------------------------------------------------------------------


def default_model_ensure() -> None:
    """Load the default model if the database has none (after a test flush, or a hand-emptied database).

    Runs the data migration's own loader, so a fresh install and this path load exactly the same content.
    """
    if ModelVersion.objects.exists():
        return
    migration = importlib.import_module("shiftpractice.content.migrations.0002_default_model")
    with transaction.atomic():
        migration.load_default_model(django_apps)


def is_enabled(item: ContentItem, licences: dict) -> bool:
    """Whether a licence-gated item may be used here: only once a licence reference is recorded."""
    return not item.requires_licence or item.slug in licences
