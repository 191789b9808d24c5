"""A person's request for a copy of their data (UK GDPR right of access and portability)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shiftpractice.core.models import PublicIdModel

from .choices import ErasureStatus, ExportStatus


def _export_path(instance: "DataExport", filename: str) -> str:
    return f"data-exports/{instance.public_id.hex}.zip"


class DataExport(PublicIdModel):
    """One export: built in the background, downloaded once by the person it is about, then deleted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.BUILDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=_export_path, blank=True)
    size = models.PositiveIntegerField(default=0)
    files = models.JSONField(default=list, blank=True, help_text="The names of the files in the ZIP.")
    problem = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One export in preparation per person: a second request reuses it.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="building"), name="data_export_one_building_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Data export for {self.user} ({self.status})"


class ErasureRequest(PublicIdModel):
    """A person's request to have their account erased (UK GDPR right to erasure).

    Asked for with their password; confirmed from a single-use link sent by email (only its SHA-256 is kept here,
    and it stops working after ``ERASURE_CONFIRM_HOURS``); then ``ERASURE_GRACE_DAYS`` pass, during which the
    person can cancel, before ``manage.py erase_due_accounts`` erases the account. The row outlives the erasure
    as the record that it happened; it holds nothing personal.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="erasure_requests"
    )
    status = models.CharField(
        max_length=12, choices=ErasureStatus.choices, default=ErasureStatus.AWAITING_CONFIRMATION
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    requested_at = models.DateTimeField(auto_now_add=True)
    confirm_by = models.DateTimeField(help_text="The confirmation link stops working at this time.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    erase_after = models.DateTimeField(null=True, blank=True, help_text="The end of the grace period.")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=500, blank=True, help_text="Why the account could not be erased.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One request under way per person: asking again replaces an unconfirmed one.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["unconfirmed", "scheduled"]),
                name="erasure_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(erase_after__isnull=False, confirmed_at__isnull=False),
                name="erasure_scheduled_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "erase_after"], name="erasure_due_idx")]

    def __str__(self) -> str:
        return f"Erasure request {self.public_id} ({self.status})"
