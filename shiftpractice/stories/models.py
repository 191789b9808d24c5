"""Case studies: a participant's write-up of their change project, reviewed, consented to and published.

The working copy (``CaseStudy``) is edited in sections until a lead approves it and every consent has been
given against its exact text (``text_version``; any change of the text makes earlier consents lapse). Publishing
freezes that text as a ``PublishedVersion``; a correction is a new version with a note; withdrawal takes the
case study off every public page and keeps every record.
"""

from django.conf import settings
from django.db import models

from shiftpractice.content.licences import DEFAULT_LICENCE, Licence
from shiftpractice.core.choices import Region, Setting
from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.projects.models import ChangeProject

from .choices import ConsentKind, ConsentMethod, Decision, State


class CaseStudyQuerySet(models.QuerySet):
    def public(self):
        """Published and not withdrawn: what anonymous visitors may read."""
        return self.filter(published_version__isnull=False, withdrawn_at__isnull=True)


class CaseStudy(PublicIdModel, TimeStampedModel):
    project = models.OneToOneField(ChangeProject, on_delete=models.PROTECT, related_name="case_study")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_studies"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="case_studies"
    )
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField("summary", max_length=1200, blank=True)
    sections = models.JSONField(default=dict, blank=True, help_text="Section key to markdown text.")
    # Frozen when the case study starts (and when the author refreshes it): charts, lenses, cycles, value.
    snapshot = models.JSONField(default=dict, blank=True)
    licence = models.CharField(max_length=30, choices=Licence.choices, default=DEFAULT_LICENCE)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    organisation = models.CharField("organisation", max_length=200, blank=True)
    setting = models.CharField(max_length=20, choices=Setting.choices, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    text_version = models.PositiveIntegerField(default=1)
    published_version = models.ForeignKey(
        "PublishedVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "case studies"
        indexes = [models.Index(fields=["programme", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.published_version_id is not None and self.withdrawn_at is None


class CaseStudyImage(TimeStampedModel):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to="case-studies/images/")
    content_type = models.CharField(max_length=40)
    alt_text = models.CharField("text alternative", max_length=300)
    caption = models.CharField(max_length=300, blank=True)
    section = models.CharField(max_length=20, blank=True, help_text="The section it sits under.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.alt_text


class Consent(models.Model):
    """One person's answer about publication, against one text version, with the words they agreed to."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    licence = models.CharField(max_length=30, choices=Licence.choices, blank=True)
    text_version = models.PositiveIntegerField()
    text_digest = models.CharField(max_length=64)
    wording = models.TextField(help_text="The statement agreed to, as shown.")
    wording_version = models.PositiveIntegerField()
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["case_study", "text_version"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class SignoffRequest(models.Model):
    """An organisation sign-off asked of a named person by a single-use emailed link (no account needed)."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="signoff_requests")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    text_version = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class ReviewComment(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=20)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=4000)
    text_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class PublishedVersion(models.Model):
    """The text as it was published: later edits, data and consents never change it."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    sections = models.JSONField(default=dict)
    snapshot = models.JSONField(default=dict)
    images = models.JSONField(default=list, help_text="[{id, alt_text, caption, section}] as published.")
    licence = models.CharField(max_length=30, choices=Licence.choices)
    attribution = models.CharField(max_length=400)
    team_names = models.JSONField(default=list)
    organisation = models.CharField(max_length=200, blank=True)
    text_version = models.PositiveIntegerField()
    text_digest = models.CharField(max_length=64)
    note = models.TextField("correction note", blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pdf_name = models.CharField(max_length=200, blank=True)
    pdf_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["case_study", "number"], name="stories_one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"
