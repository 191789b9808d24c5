"""The model as versioned content: items (lenses, prompts, tools, ...) and the model versions that group them.

An item is identified by its slug ("lens.systems") and a whole-number version; together they make the
reference "lens.systems@2" that other apps store beside every answer. Published items and published model
versions never change: services refuse, and a lead drafts a new version instead.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shiftpractice.core.models import TimeStampedModel

from .choices import ItemStatus, Kind, LicenceFlag, VersionStatus

slug_validator = RegexValidator(
    r"^[a-z][a-z_]*\.[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use the kind, a dot, then lowercase words joined by hyphens, for example lens.systems.",
)


class ContentItem(TimeStampedModel):
    """One version of one piece of the model: a lens, prompt, tool, stage, instrument, indicator or factor set.

    ``schema`` holds what the kind needs (validated in ``validation.py``): a lens's key questions, a tool's
    fields, an instrument's items, response scale and scoring, a factor set's rows. ``sources`` is a list of
    ``{citation, url, accessed, note, verify}``; a source marked ``verify`` keeps the item from being
    published until someone records that they checked it against the primary source.
    """

    slug = models.CharField(max_length=100, validators=[slug_validator])
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown: headings, lists, bold and links.")
    body_html = models.TextField(blank=True, editable=False)
    schema = models.JSONField(default=dict, blank=True)
    pillars = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=list, blank=True)

    licence_name = models.CharField(max_length=200, blank=True)
    licence_url = models.URLField(blank=True)
    licence_flag = models.CharField(max_length=30, choices=LicenceFlag.choices, default=LicenceFlag.OWN)
    attribution = models.TextField("attribution text", blank=True)
    requires_licence = models.BooleanField(
        default=False, help_text="An organisation must record its own licence before this can be used."
    )
    validated = models.BooleanField(
        default=False, help_text="For instruments: a published, validated scale (not our own items)."
    )

    needs_verification = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(blank=True)

    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    change_note = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "slug", "version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="content_item_slug_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="content_item_version_positive"),
            # An item that needs verifying can only be published once someone has recorded the check.
            models.CheckConstraint(
                condition=~Q(status="published", needs_verification=True, verified_at__isnull=True),
                name="content_item_published_is_verified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.ref})"

    @property
    def ref(self) -> str:
        """The reference other apps store with an answer: ``slug@version``."""
        return f"{self.slug}@{self.version}"

    @property
    def name(self) -> str:
        """The slug without its kind prefix, used in public URLs (``lens.systems`` -> ``systems``)."""
        return self.slug.split(".", 1)[-1]

    @property
    def is_verified(self) -> bool:
        return not self.needs_verification or self.verified_at is not None

    @property
    def is_published(self) -> bool:
        return self.status != ItemStatus.DRAFT


class ModelVersion(TimeStampedModel):
    """A named, dated set of items: what one cohort is taught and answers against.

    Drafted from the version before it, edited, then published; once published it never changes.
    """

    number = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    dated = models.DateField("date", help_text="The date this version takes effect.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    change_note = models.TextField(
        "what changed and why", blank=True, help_text="Markdown. Required before publishing."
    )
    change_note_html = models.TextField(blank=True, editable=False)
    items = models.ManyToManyField(ContentItem, through="ModelVersionItem", related_name="model_versions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="model_version_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:version", args=[self.slug])

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class ModelVersionItem(models.Model):
    """An item version's place in a model version. ``slug`` is copied so the database can refuse two
    versions of the same item in one model version."""

    model_version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="memberships")
    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="memberships")
    slug = models.CharField(max_length=100)

    class Meta:
        ordering = ["model_version", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["model_version", "slug"], name="model_version_item_slug_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model_version}: {self.slug}"


class ContentReference(models.Model):
    """A saved answer, score or result that used an item version.

    Other apps record one whenever they store ``slug@version`` beside an answer (through
    ``services.reference_record``), so the item can never be deleted from under it; it can only be retired.
    """

    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="references")
    ref = models.CharField(max_length=120)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "object_type", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "object_type", "object_id"], name="content_reference_unique"
            )
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="content_ref_object_idx")]

    def __str__(self) -> str:
        return f"{self.ref} used by {self.object_type}:{self.object_id}"


class LicenceRecord(TimeStampedModel):
    """The licence this installation holds for a licence-gated item (SWEMWBS, for example).

    Kept apart from the item: the licence belongs to the organisation, not to the content, so recording it
    does not change a published item. Keyed by slug, so it covers every version of the item.
    """

    slug = models.CharField(max_length=100, unique=True)
    reference = models.CharField("licence reference", max_length=200)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"{self.slug}: {self.reference}"
