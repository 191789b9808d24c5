"""A person's request for a copy of their data (UK GDPR right of access and portability)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shiftpractice.core.models import PublicIdModel

from .choices import ExportStatus


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
