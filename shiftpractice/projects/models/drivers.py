"""The driver diagram: the aim, primary and secondary drivers, and the change ideas PDSA cycles test."""

from django.db import models

from shiftpractice.core.models import PublicIdModel, TimeStampedModel

from ..choices import DriverKind
from .project import ChangeProject


class DriverNode(PublicIdModel, TimeStampedModel):
    """One box of the driver diagram. Primary drivers hang from the aim, the rest from their parent."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="driver_nodes")
    kind = models.CharField(max_length=12, choices=DriverKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    text = models.CharField(max_length=300)
    lens_tags = models.JSONField(
        default=list, blank=True, help_text="Slugs of the lenses this idea draws on."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=DriverKind.PRIMARY, parent__isnull=True)
                | models.Q(parent__isnull=False) & ~models.Q(kind=DriverKind.PRIMARY),
                name="driver_primary_has_no_parent",
            )
        ]

    def __str__(self) -> str:
        return self.text
