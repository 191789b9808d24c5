"""Progress score and sustainable value pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse

from shiftpractice.content import selectors as content_selectors
from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import add_service_errors

from .. import services
from ..forms import CarbonActivityForm, FinancialImpactForm, ProgressForm, SocialImpactForm
from ..models import CarbonActivity, FinancialImpact, SocialImpact
from ..permissions import can_edit_project, get_project_for_user
from ..services.progress import SCALE_SLUG, gathered_evidence


def _scale(project):
    model = content_selectors.model_for_cohort(project.cohort)
    scale = model.by_slug.get(SCALE_SLUG) if model else None
    levels = scale.schema.get("response_scale", {}).get("levels", []) if scale else []
    return scale, levels


def progress(request: HttpRequest, public_id) -> HttpResponse:
    write = request.method == "POST"
    project = get_project_for_user(request.user, public_id, write=write)
    scale, levels = _scale(project)
    choices = [
        (f"{float(lv['value']):.1f}", f"{float(lv['value']):.1f}: {lv['label']}. {lv['description']}")
        for lv in levels
    ]
    form = ProgressForm(request.POST or None, levels=choices)
    if write and form.is_valid():
        try:
            services.progress_set(
                project=project,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
                actor=request.user,
                scale_ref=scale.ref if scale else "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Progress score recorded.")
            return redirect(project)
    suggestion = services.progress_suggest(project=project, **gathered_evidence(project))
    if not form.is_bound:
        form.initial["score"] = f"{suggestion.score:.1f}"
    return render(
        request,
        "projects/progress.html",
        {
            "project": project,
            "form": form,
            "suggestion": suggestion,
            "history": list(project.progress_scores.select_related("set_by")),
            "can_edit": can_edit_project(request.user, project),
        },
    )


def _factor_choices(project) -> list[tuple[str, list[tuple[str, str]]]]:
    model = content_selectors.model_for_cohort(project.cohort)
    groups = []
    for factor_set in model.factor_sets if model else []:
        rows = [
            (f"{factor_set.ref}|{row['key']}", f"{row['activity']} (per {row['unit']})")
            for row in factor_set.schema.get("rows", [])
        ]
        groups.append((factor_set.title, rows))
    return groups


def sustainable_value(request: HttpRequest, public_id) -> HttpResponse:
    """The four parts of sustainable value, side by side, with forms to add to each."""
    write = request.method == "POST"
    project = get_project_for_user(request.user, public_id, write=write)
    which = request.POST.get("form") if write else None
    carbon_form = CarbonActivityForm(
        request.POST if which == "carbon" else None, factor_choices=_factor_choices(project), prefix="carbon"
    )
    social_form = SocialImpactForm(request.POST if which == "social" else None, prefix="social")
    financial_form = FinancialImpactForm(request.POST if which == "financial" else None, prefix="financial")
    form = {"carbon": carbon_form, "social": social_form, "financial": financial_form}.get(which)
    if form is not None and form.is_valid():
        try:
            _save(which, form, project, request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("projects:value", public_id=project.public_id)
    carbon = list(project.carbon_activities.all())
    before = sum((a.annual_kgco2e for a in carbon if a.phase == "before"), 0)
    after = sum((a.annual_kgco2e for a in carbon if a.phase == "after"), 0)
    return render(
        request,
        "projects/value.html",
        {
            "project": project,
            "carbon": carbon,
            "carbon_before": before,
            "carbon_after": after,
            "carbon_saving": before - after,
            "social": list(project.social_impacts.all()),
            "financial": list(project.financial_impacts.all()),
            "carbon_form": carbon_form,
            "social_form": social_form,
            "financial_form": financial_form,
            "can_edit": can_edit_project(request.user, project),
        },
    )


def _save(which: str, form, project, actor) -> None:
    data = dict(form.cleaned_data)
    if which == "carbon":
        factor_set_ref, _, key = data.pop("factor").partition("|")
        services.carbon_activity_add(
            project=project, actor=actor, factor_set_ref=factor_set_ref, factor_key=key, **data
        )
    elif which == "social":
        services.social_impact_add(project=project, actor=actor, **data)
    else:
        services.financial_impact_add(project=project, actor=actor, **data)


def _remove(request, project, removal: Removal, remove, done: str) -> HttpResponse:
    back = reverse("projects:value", args=[project.public_id])
    return confirm_removal(
        request,
        removal,
        remove=remove,
        done_url=back,
        done_message=done,
        template="projects/confirm_remove.html",
        project=project,
    )


def carbon_delete(request: HttpRequest, public_id, activity_id) -> HttpResponse:
    """Confirm, then remove a carbon estimate (``core.confirm``)."""
    project = get_project_for_user(request.user, public_id, write=True)
    activity = get_object_or_404(CarbonActivity, project=project, public_id=activity_id)
    kg = floatformat(activity.annual_kgco2e, "0g")
    removal = Removal(
        title=f"Remove the carbon estimate “{activity.label}”?",
        cancel_url=reverse("projects:value", args=[project.public_id]),
        quote=f"{activity.get_phase_display()}: {activity.label}, {kg} kg CO2e a year "
        f"(factor {activity.factor_label} from {activity.factor_set_ref}).",
        details=["The carbon totals before and after the change are worked out again without it."],
    )
    return _remove(
        request,
        project,
        removal,
        lambda: services.carbon_activity_delete(activity=activity, actor=request.user),
        f"The carbon estimate “{activity.label}” is removed.",
    )


def social_delete(request: HttpRequest, public_id, impact_id) -> HttpResponse:
    """Confirm, then remove a social impact (``core.confirm``)."""
    project = get_project_for_user(request.user, public_id, write=True)
    impact = get_object_or_404(SocialImpact, project=project, public_id=impact_id)
    removal = Removal(
        title=f"Remove the social impact on “{impact.group}”?",
        cancel_url=reverse("projects:value", args=[project.public_id]),
        quote=f"{impact.group} ({impact.get_direction_display().lower()}): {impact.description}",
    )
    return _remove(
        request,
        project,
        removal,
        lambda: services.social_impact_delete(impact=impact, actor=request.user),
        f"The social impact on “{impact.group}” is removed.",
    )


def financial_delete(request: HttpRequest, public_id, impact_id) -> HttpResponse:
    """Confirm, then remove a financial impact (``core.confirm``)."""
    project = get_project_for_user(request.user, public_id, write=True)
    impact = get_object_or_404(FinancialImpact, project=project, public_id=impact_id)
    removal = Removal(
        title=f"Remove the financial impact “{impact.description}”?",
        cancel_url=reverse("projects:value", args=[project.public_id]),
        quote=f"{impact.description}: £{floatformat(impact.annual_gbp, '2g')} a year.",
    )
    return _remove(
        request,
        project,
        removal,
        lambda: services.financial_impact_delete(impact=impact, actor=request.user),
        f"The financial impact “{impact.description}” is removed.",
    )
