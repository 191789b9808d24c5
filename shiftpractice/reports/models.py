"""Evaluation reports: an interim report for a cohort and a final report for the programme, computed from live
data while a draft and frozen as a published version (a snapshot later data never changes; a new version can
be issued)."""

from django.conf import settings
from django.db import models

from shiftpractice.cohorts.models import Cohort
from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.programmes.models import Milestone, Programme

from .choices import Judgement, ReportKind


class Report(PublicIdModel, TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="evaluation_reports")
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluation_reports"
    )
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    title = models.CharField(max_length=200)
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The programme milestone publishing this report reaches.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="interim", cohort__isnull=False)
                | models.Q(kind="final", cohort__isnull=True),
                name="reports_interim_is_of_a_cohort",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Writing(TimeStampedModel):
    """A section the critical friends write in the app: commentary, limitations, or a judgement of one evaluation
    question or indicator (``key``)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="writings")
    key = models.CharField(max_length=40)
    judgement = models.CharField(max_length=12, choices=Judgement.choices, blank=True)
    body = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report", "key"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="reports_one_writing_per_key")]

    def __str__(self) -> str:
        return f"{self.report}: {self.key}"


class ReportVersion(models.Model):
    """A published version: the report's data and writing as they were, never recomputed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    writing = models.JSONField(default=dict, help_text="key -> {judgement, body, by} as published.")
    unwritten = models.JSONField(default=list, help_text="The sections published without a word written.")
    note = models.TextField(blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pdf_name = models.CharField(max_length=200, blank=True)
    pdf_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} (version {self.number})"
