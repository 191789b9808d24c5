"""The library's vocabularies: what kind of thing an item is, where it stands, the settings it can be tagged with
and the facets a tag can belong to."""

from django.db import models

from shiftpractice.core.choices import Lens, Region, Setting

__all__ = ["Facet", "ItemKind", "ItemStatus", "Lens", "Region", "Setting", "label_of"]


class ItemKind(models.TextChoices):
    PAGE = "page", "Training page"
    FILE = "file", "Download"
    CASE_STUDY = "case_study", "Case study"


# The kinds a lead writes in the library; case studies arrive from the stories app.
WRITABLE_KINDS = (ItemKind.PAGE, ItemKind.FILE)


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Facet(models.TextChoices):
    """What a row of the tag index says about an item (``LibraryTag``)."""

    LENS = "lens", "Lens"
    STAGE = "stage", "Journey stage"
    TOPIC = "topic", "Topic"


def label_of(choices, value: str) -> str:
    """The label of ``value`` in ``choices``, or the value itself when it is not one of them (a case study may
    carry a setting the library does not list)."""
    try:
        return choices(value).label
    except ValueError:
        return value
