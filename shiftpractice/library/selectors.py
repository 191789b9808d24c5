"""Reads for the library's pages, feed, sitemap and packs: each a queryset to page through or a bounded list, run
in a fixed number of queries whatever the number of items. Every public read starts from ``published()``: a
draft or withdrawn item reaches no public list, search, feed, sitemap or pack."""

from dataclasses import dataclass

from django.db.models import Count, Subquery

from shiftpractice.content import selectors as content_selectors
from shiftpractice.content.choices import Kind as ContentKind
from shiftpractice.content.licences import Licence

from . import search
from .choices import Facet, ItemKind, ItemStatus, Lens, Region, Setting
from .models import LibraryItem, LibraryTag

FEED_SIZE = 30
TOPIC_CHOICES = 40  # the most used topics offered as a filter


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    lens: str = ""
    stage: str = ""
    setting: str = ""
    region: str = ""
    topic: str = ""
    licence: str = ""
    q: str = ""

    def as_params(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}

    @property
    def any(self) -> bool:
        return bool(self.as_params())


# What the filter checks against (``paging.choice``): an unknown value is dropped, never widening anything.
ALLOWED = {
    "kind": ItemKind.values,
    "lens": Lens.values,
    "setting": Setting.values,
    "region": Region.values,
    "licence": Licence.values,
}


def published():
    return LibraryItem.objects.published()


def _tagged(facet: str, value: str):
    return Subquery(LibraryTag.objects.filter(facet=facet, value=value).values("item_id"))


def item_list(filters: Filters):
    """The published items matching ``filters``, newest first (best first when searching): a queryset."""
    qs = published().select_related("programme")
    for field in ("kind", "setting", "region", "licence"):
        if value := getattr(filters, field):
            qs = qs.filter(**{field: value})
    for facet in (Facet.LENS, Facet.STAGE, Facet.TOPIC):
        if value := getattr(filters, facet.value):
            qs = qs.filter(pk__in=_tagged(facet, value))
    if filters.q:
        return search.search(qs, filters.q)
    return qs.order_by("-published_at", "-id")


def stage_choices(version=None) -> list[tuple[str, str]]:
    """(slug, title) of the journey stages of ``version`` (the current published model when not given)."""
    version = version or content_selectors.current_version()
    if version is None:
        return []
    return [(s.slug, s.title) for s in content_selectors.model_view(version).stages]


def stage_titles(version=None) -> dict[str, str]:
    return dict(stage_choices(version))


def topic_choices() -> list[str]:
    """The topics published items carry, the most used first (one query, bounded)."""
    rows = (
        LibraryTag.objects.filter(facet=Facet.TOPIC, item__status=ItemStatus.PUBLISHED)
        .values("value")
        .annotate(n=Count("id"))
        .order_by("-n", "value")[:TOPIC_CHOICES]
    )
    return sorted(r["value"] for r in rows)


def latest(limit: int = FEED_SIZE):
    return published().select_related("programme").order_by("-published_at", "-id")[:limit]


def programme_items(programme):
    """A programme's items in every state, for its leads' page (a queryset)."""
    return LibraryItem.objects.filter(programme=programme).order_by("status", "-updated_at", "-id")


def stage_pack_items(stage_slug: str):
    return published().filter(pk__in=_tagged(Facet.STAGE, stage_slug)).order_by("title", "id")


def workshop_pack_items(number: int):
    return published().filter(workshop=number).order_by("title", "id")


def workshop_numbers() -> list[int]:
    """The workshops some published item is for, in order (one query)."""
    return list(
        published()
        .filter(workshop__isnull=False)
        .order_by("workshop")
        .values_list("workshop", flat=True)
        .distinct()
    )


def stage_counts() -> dict[str, int]:
    """How many published items each stage has (one query)."""
    rows = (
        LibraryTag.objects.filter(facet=Facet.STAGE, item__status=ItemStatus.PUBLISHED)
        .values("value")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["value"]: r["n"] for r in rows}


def instruments(version) -> list:
    """The survey instruments of a model version (content items of kind INSTRUMENT)."""
    if version is None:
        return []
    return content_selectors.model_view(version).of_kind(ContentKind.INSTRUMENT)
