"""Sustainable value (SusQI): environmental, social and financial impacts, kept side by side, never summed."""

from django.db import models

from shiftpractice.core.models import PublicIdModel, TimeStampedModel

from ..choices import ActivityPhase, ImpactDirection, Period
from .project import ChangeProject


class CarbonActivity(PublicIdModel, TimeStampedModel):
    """An activity before or after the change, converted to kg CO2e a year with a chosen emission factor.

    The factor is copied from the factor set at the time of saving, with the factor set's slug@version, so a
    later edition of the factors never silently changes a saved result.
    """

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="carbon_activities")
    phase = models.CharField(max_length=6, choices=ActivityPhase.choices)
    label = models.CharField("activity", max_length=200)
    quantity = models.DecimalField(max_digits=14, decimal_places=4)
    quantity_low = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    quantity_high = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.MONTH)
    factor_set_ref = models.CharField(max_length=120, help_text="The factor set used, as slug@version.")
    factor_key = models.CharField(max_length=120)
    factor_label = models.CharField(max_length=200)
    factor_unit = models.CharField(max_length=40, help_text="The unit the quantity is in, e.g. kg or kWh.")
    factor_kgco2e = models.DecimalField("kg CO2e per unit", max_digits=14, decimal_places=6)
    assumptions = models.TextField(blank=True)
    annual_kgco2e = models.DecimalField(max_digits=16, decimal_places=3)
    annual_kgco2e_low = models.DecimalField(max_digits=16, decimal_places=3)
    annual_kgco2e_high = models.DecimalField(max_digits=16, decimal_places=3)

    class Meta:
        ordering = ["project", "phase", "id"]
        verbose_name_plural = "carbon activities"
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="carbon_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_phase_display()})"


class SocialImpact(PublicIdModel, TimeStampedModel):
    """Who gains or loses from the change, by group (for example a Core20PLUS5 group)."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="social_impacts")
    group = models.CharField(max_length=150)
    direction = models.CharField(max_length=5, choices=ImpactDirection.choices, default=ImpactDirection.GAIN)
    description = models.TextField()

    class Meta:
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return f"{self.group}: {self.get_direction_display()}"


class FinancialImpact(PublicIdModel, TimeStampedModel):
    """Money saved (positive) or spent (negative) each year, with a range and the assumptions behind it."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="financial_impacts")
    description = models.CharField(max_length=200)
    annual_gbp = models.DecimalField(
        "£ a year (saving positive, cost negative)", max_digits=12, decimal_places=2
    )
    annual_gbp_low = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    annual_gbp_high = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    assumptions = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.description
