"""The public library: one ``LibraryItem`` for every public thing (a training page written here, an uploaded file,
a case study published by the stories app), and ``LibraryTag``, the index its filters read.

Anyone, signed in or not, reads a published item; a programme's leads write their programme's items. A withdrawn
item is kept (its page answers "withdrawn"), and no list, search, feed, sitemap or pack shows it.

Search runs in the database: on PostgreSQL over ``search_vector`` (a weighted tsvector kept by the services, GIN
indexed by migration 0002); on SQLite over the FTS5 table ``library_search`` (made by the same migration, only on
SQLite, kept in step by the services). ``search.py`` says how.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shiftpractice.content.licences import DEFAULT_LICENCE, Licence, terms
from shiftpractice.content.models import ModelVersion
from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.programmes.models import Programme

from .choices import Facet, ItemKind, ItemStatus, Lens, Region, Setting, label_of

SITE_NAME = "shiftpractice"


class LibraryItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ItemStatus.PUBLISHED)

    def visible_to(self, user):
        """What a person may open: every published item; and, for a programme's leads, their programme's drafts
        and withdrawn items (superusers: every item)."""
        if not getattr(user, "is_authenticated", False):
            return self.published()
        if user.is_superuser:
            return self
        led = Programme.leads.through.objects.filter(user_id=user.pk).values("programme_id")
        return self.filter(Q(status=ItemStatus.PUBLISHED) | Q(programme_id__in=led))


class LibraryItem(PublicIdModel, TimeStampedModel):
    """One thing the library publishes. A training page holds its markdown (``body``, rendered and sanitised once
    on write into ``body_html``); a download holds a checked file, always served as an attachment; a case study
    points at the stories app's public page and PDF (``external_url``, ``pdf_url``) and is kept by its signal
    under ``source_key``."""

    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="library_items",
        help_text="Whose leads write it. Empty for a case study, which the stories app keeps.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(max_length=1000, help_text="One paragraph: what it is and who it is for.")
    body = models.TextField(blank=True, help_text="Markdown: headings, lists, bold, links and tables.")
    body_html = models.TextField(blank=True, editable=False)
    file = models.FileField(upload_to="library/%Y/%m/", blank=True, max_length=200)
    filename = models.CharField("original file name", max_length=200, blank=True)
    file_type = models.CharField(max_length=8, blank=True, help_text="The checked extension: pdf, pptx, ...")
    size = models.PositiveIntegerField(null=True, blank=True)
    external_url = models.CharField(max_length=300, blank=True, help_text="A case study's public page.")
    pdf_url = models.CharField(max_length=300, blank=True, help_text="A case study's PDF.")
    source_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    search_text = models.TextField(blank=True, editable=False, help_text="Plain text the search reads.")
    licence = models.CharField(max_length=30, choices=Licence.choices, default=DEFAULT_LICENCE)
    attribution = models.CharField(
        max_length=300, help_text="Who made it, as a citation names them: people, organisation."
    )
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="library_items"
    )
    lenses = models.JSONField(default=list, blank=True, help_text="Values of core.choices.Lens.")
    stages = models.JSONField(
        default=list, blank=True, help_text="Journey stage item slugs: stage.orient, ..."
    )
    setting = models.CharField(max_length=60, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    topics = models.JSONField(default=list, blank=True, help_text="Lowercase words or phrases.")
    workshop = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The workshop of a cohort's running order (1, 2, ...) this is for: its training pack.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only; NULL on SQLite

    objects = LibraryItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="library_item_public"),
            models.Index(fields=["programme", "status"], name="library_item_programme"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="library_item_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="case_study") | Q(programme__isnull=False),
                name="library_item_material_has_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:item", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == ItemStatus.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ItemStatus.WITHDRAWN

    @property
    def licence_terms(self):
        return terms(self.licence)

    @property
    def lens_labels(self) -> list[str]:
        return [label_of(Lens, v) for v in self.lenses]

    @property
    def lens_pairs(self) -> list[tuple[str, str]]:
        return [(v, label_of(Lens, v)) for v in self.lenses]

    @property
    def setting_label(self) -> str:
        return label_of(Setting, self.setting) if self.setting else ""

    @property
    def region_label(self) -> str:
        return label_of(Region, self.region) if self.region else ""

    @property
    def download_name(self) -> str:
        return f"{self.slug}.{self.file_type}" if self.file_type else self.slug

    def citation(self, base_url: str = "") -> str:
        """The "cite this" text: who, year, title, site, address, licence."""
        year = (self.published_at or self.created_at).year if (self.published_at or self.created_at) else ""
        url = f"{base_url.rstrip('/')}{self.get_absolute_url()}" if base_url else self.get_absolute_url()
        who = self.attribution.strip().rstrip(".") or SITE_NAME
        return f"{who} ({year}). {self.title}. {SITE_NAME}. Available at: {url}. Licence: {self.licence_terms.short}."


class LibraryTag(models.Model):
    """One tag of a published or draft item, as the filters read it: the lenses, journey stages and topics of
    ``LibraryItem`` (whose lists the pages show) copied here by the services, one row each, so a filter is an
    indexed lookup on either database (SQLite cannot look inside a JSON list)."""

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="tags")
    facet = models.CharField(max_length=8, choices=Facet.choices)
    value = models.CharField(max_length=100)

    class Meta:
        ordering = ["facet", "value"]
        constraints = [models.UniqueConstraint(fields=["facet", "value", "item"], name="library_tag_once")]

    def __str__(self) -> str:
        return f"{self.facet}:{self.value} on {self.item_id}"
