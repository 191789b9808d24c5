"""The stakeholder and influence map: who matters to the change, how much power they hold, and the plan for each."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from shiftpractice.core.models import PublicIdModel, TimeStampedModel

from ..choices import Circle, Stance
from .project import ChangeProject

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Stakeholder(PublicIdModel, TimeStampedModel):
    """A person or group on the influence map, placed by power and interest and by circle."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(max_length=150)
    group = models.CharField("role or group", max_length=150, blank=True)
    power = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 (little) to 5 (a great deal)")
    interest = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 (little) to 5 (a great deal)")
    circle = models.CharField(max_length=10, choices=Circle.choices, default=Circle.INFLUENCE)
    stance_now = models.CharField(
        "where they stand now", max_length=10, choices=Stance.choices, default=Stance.UNKNOWN
    )
    stance_hoped = models.CharField(
        "where you hope they will stand", max_length=10, choices=Stance.choices, default=Stance.SUPPORTER
    )
    actions = models.TextField("actions planned with them", blank=True)

    class Meta:
        ordering = ["project", "-power", "-interest", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(power__gte=1, power__lte=5),
                name="stakeholder_power_1_5",
                violation_error_message="Power is from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=models.Q(interest__gte=1, interest__lte=5),
                name="stakeholder_interest_1_5",
                violation_error_message="Interest is from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def quadrant(self) -> str:
        """Mendelow's grid: how to engage someone, from their power and interest."""
        high_power, high_interest = self.power >= 3, self.interest >= 3
        if high_power and high_interest:
            return "Manage closely"
        if high_power:
            return "Keep satisfied"
        if high_interest:
            return "Keep informed"
        return "Monitor"
