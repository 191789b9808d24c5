"""The IHI progress score, kept as a history: only a person sets it, the app only suggests."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from shiftpractice.core.models import TimeStampedModel

from .project import ChangeProject

SCORES = [Decimal(n) / 2 for n in range(1, 11)]  # 0.5, 1.0, ... 5.0


class ProgressScore(TimeStampedModel):
    """A progress score someone set on a date, with the scale version it used and why."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="progress_scores")
    score = models.DecimalField(max_digits=2, decimal_places=1, choices=[(s, f"{s}") for s in SCORES])
    scale_ref = models.CharField(
        max_length=120, blank=True, help_text="The progress scale used, as slug@version."
    )
    note = models.TextField("why this score", blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scored_on = models.DateField()

    class Meta:
        ordering = ["project", "-scored_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0.5, score__lte=5), name="progress_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.score} on {self.scored_on}"
