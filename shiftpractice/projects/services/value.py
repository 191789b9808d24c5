"""Sustainable value: a carbon calculator on versioned emission factors, social and financial impacts."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from shiftpractice.content import selectors as content_selectors
from shiftpractice.content import services as content_services
from shiftpractice.core.audit import audit

from ..choices import PERIODS_PER_YEAR
from ..models import CarbonActivity, ChangeProject, FinancialImpact, SocialImpact
from .projects import touch_project


def factor_row(factor_set_ref: str, key: str) -> tuple[dict, str]:
    """The factor row ``key`` of the factor set version ``factor_set_ref`` (slug@version), and the set's ref."""
    item = content_selectors.item_for_ref(factor_set_ref)
    if item is None or item.kind != "factor_set":
        raise ValidationError({"factor": "Choose a factor from one of the model's factor sets."})
    row = next((r for r in item.schema.get("rows", []) if r.get("key") == key), None)
    if row is None:
        raise ValidationError({"factor": "That factor is not in the chosen factor set."})
    return row, item.ref


def _factor_range(value) -> tuple[Decimal, Decimal, Decimal]:
    if isinstance(value, dict):
        low, high = Decimal(str(value["low"])), Decimal(str(value["high"]))
        return low, (low + high) / 2, high
    central = Decimal(str(value))
    return central, central, central


@transaction.atomic
def carbon_activity_add(
    *,
    project: ChangeProject,
    actor,
    phase: str,
    label: str,
    quantity,
    period: str,
    factor_set_ref: str,
    factor_key: str,
    unit: str,
    quantity_low=None,
    quantity_high=None,
    assumptions: str = "",
) -> CarbonActivity:
    """Convert an activity to kg CO2e a year. ``unit`` is the unit the person measured in: it must be the factor's.

    The range multiplies the low and high quantities by the factor's low and high values (a factor given as
    one number has no range of its own).
    """
    row, ref = factor_row(factor_set_ref, factor_key)
    problems = {}
    quantity = Decimal(str(quantity))
    low = Decimal(str(quantity_low)) if quantity_low not in (None, "") else quantity
    high = Decimal(str(quantity_high)) if quantity_high not in (None, "") else quantity
    if quantity < 0 or low < 0 or high < 0:
        problems["quantity"] = (
            "A quantity cannot be negative: record a reduction as a smaller 'after' activity."
        )
    elif not low <= quantity <= high:
        problems["quantity_low"] = (
            "The low estimate must not be above the quantity, nor the high estimate below it."
        )
    if unit.strip().lower() != str(row["unit"]).strip().lower():
        problems["factor"] = (
            f"This factor is per {row['unit']}, but the quantity is in {unit}: choose a factor in {unit}."
        )
    if problems:
        raise ValidationError(problems)
    f_low, f_mid, f_high = _factor_range(row["kg_co2e"])
    per_year = PERIODS_PER_YEAR[period]
    activity = CarbonActivity.objects.create(
        project=project,
        phase=phase,
        label=label.strip(),
        quantity=quantity,
        quantity_low=low,
        quantity_high=high,
        period=period,
        factor_set_ref=ref,
        factor_key=factor_key,
        factor_label=str(row["activity"]),
        factor_unit=str(row["unit"]),
        factor_kgco2e=f_mid,
        assumptions=assumptions.strip(),
        annual_kgco2e=(quantity * f_mid * per_year).quantize(Decimal("0.001")),
        annual_kgco2e_low=(low * f_low * per_year).quantize(Decimal("0.001")),
        annual_kgco2e_high=(high * f_high * per_year).quantize(Decimal("0.001")),
    )
    content_services.reference_record(ref=ref, obj=activity)
    audit(actor=actor, verb="carbon_activity.added", obj=activity, summary=activity.label, factor=ref)
    touch_project(project)
    return activity


@transaction.atomic
def carbon_activity_delete(*, activity: CarbonActivity, actor) -> None:
    content_services.reference_release(obj=activity)
    audit(actor=actor, verb="carbon_activity.deleted", obj=activity, summary=activity.label)
    activity.delete()
    touch_project(activity.project)


@transaction.atomic
def social_impact_add(
    *, project: ChangeProject, actor, group: str, direction: str, description: str
) -> SocialImpact:
    if not group.strip() or not description.strip():
        raise ValidationError("Name the group and describe the impact on it.")
    impact = SocialImpact.objects.create(
        project=project, group=group.strip(), direction=direction, description=description.strip()
    )
    audit(actor=actor, verb="social_impact.added", obj=impact, summary=impact.group)
    touch_project(project)
    return impact


@transaction.atomic
def financial_impact_add(
    *,
    project: ChangeProject,
    actor,
    description: str,
    annual_gbp,
    annual_gbp_low=None,
    annual_gbp_high=None,
    assumptions: str = "",
) -> FinancialImpact:
    impact = FinancialImpact(
        project=project,
        description=description.strip(),
        annual_gbp=annual_gbp,
        annual_gbp_low=annual_gbp_low,
        annual_gbp_high=annual_gbp_high,
        assumptions=assumptions.strip(),
    )
    if (
        annual_gbp_low is not None
        and annual_gbp_high is not None
        and not annual_gbp_low <= annual_gbp <= annual_gbp_high
    ):
        raise ValidationError({"annual_gbp_low": "The range must contain the central estimate."})
    impact.full_clean()
    impact.save()
    audit(actor=actor, verb="financial_impact.added", obj=impact, summary=impact.description)
    touch_project(project)
    return impact


@transaction.atomic
def social_impact_delete(*, impact: SocialImpact, actor) -> None:
    audit(actor=actor, verb="social_impact.deleted", obj=impact, summary=impact.group)
    impact.delete()
    touch_project(impact.project)


@transaction.atomic
def financial_impact_delete(*, impact: FinancialImpact, actor) -> None:
    audit(actor=actor, verb="financial_impact.deleted", obj=impact, summary=impact.description)
    impact.delete()
    touch_project(impact.project)
