"""PDSA cycle pages: plan a cycle, fill in each stage, move it on, correct it once complete, start the next."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shiftpractice.core.forms import add_service_errors

from .. import services
from ..choices import CycleStatus, DriverKind
from ..forms import CorrectionForm, CycleCreateForm, CycleForm
from ..models import Cycle
from ..permissions import can_edit_project, get_project_for_user
from ..services.cycles import StaleCycleError
from .common import form_page

CORRECTABLE = [
    ("objective", "Objective"),
    ("questions", "Questions"),
    ("prediction", "Prediction"),
    ("tasks", "Tasks"),
    ("data_plan", "Data collection plan"),
    ("what_happened", "What happened"),
    ("observations", "Observations"),
    ("problems", "Problems and surprises"),
    ("results", "Results against the prediction"),
    ("learning", "What we learned"),
    ("next_step", "Next step"),
]


def _change_ideas(project):
    return project.driver_nodes.filter(kind=DriverKind.CHANGE_IDEA)


def cycle_create(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, write=True)
    form = CycleCreateForm(request.POST or None, change_ideas=_change_ideas(project))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            cycle = services.cycle_create(
                project=project, title=data.pop("title"), actor=request.user, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"PDSA cycle {cycle.number} planned.")
            return redirect(cycle)
    return form_page(request, form, title="Plan a PDSA cycle", project=project, submit="Save the plan")


def _get_cycle(request, public_id, number, *, write=False):
    project = get_project_for_user(request.user, public_id, write=write)
    cycle = get_object_or_404(
        Cycle.objects.select_related("change_idea", "previous").prefetch_related(
            "corrections__made_by", "next_cycles"
        ),
        project=project,
        number=number,
    )
    cycle.project = project  # already loaded with its permissions' prefetches
    return project, cycle


def cycle_detail(request: HttpRequest, public_id, number: int) -> HttpResponse:
    """The whole worksheet; the team edits the current stage here, or records corrections once complete."""
    write = request.method == "POST"
    project, cycle = _get_cycle(request, public_id, number, write=write)
    can_edit = can_edit_project(request.user, project)
    form = None
    status = 200
    if can_edit and not cycle.is_locked:
        form = CycleForm(
            request.POST or None,
            instance=Cycle.objects.get(pk=cycle.pk),
            stage=cycle.status,
            change_ideas=_change_ideas(project),
        )
        if write and form.is_valid():
            try:
                services.cycle_update(
                    cycle=cycle,
                    revision=form.cleaned_data["revision"],
                    actor=request.user,
                    **form.changed_values(),
                )
            except StaleCycleError as exc:
                form, status = _form_after_clash(request, project, cycle, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Cycle saved.")
                return redirect(cycle)
    elif write:
        return redirect(cycle)
    correction_form = CorrectionForm(choices=CORRECTABLE) if can_edit and cycle.is_locked else None
    if form is None and write and cycle.is_locked:
        messages.error(request, "Someone completed this cycle while you were editing it; it is now locked.")
    return render(
        request,
        "projects/cycle.html",
        {
            "project": project,
            "cycle": cycle,
            "form": form,
            "correction_form": correction_form,
            "can_edit": can_edit,
            "stages": CycleStatus.choices,
        },
        status=status,
    )


def _form_after_clash(request, project, cycle, exc):
    """Someone saved first: show the saved cycle, keep this person's text in the form, and let them save again."""
    cycle.refresh_from_db()
    cycle.project = project
    if cycle.is_locked:
        return None, 409
    data = request.POST.copy()
    data["revision"] = str(cycle.revision)  # saving again now deliberately replaces what is saved
    form = CycleForm(
        data, instance=Cycle.objects.get(pk=cycle.pk), stage=cycle.status, change_ideas=_change_ideas(project)
    )
    form.is_valid()
    add_service_errors(form, exc)
    return form, 409


@require_POST
def cycle_advance(request: HttpRequest, public_id, number: int) -> HttpResponse:
    _project, cycle = _get_cycle(request, public_id, number, write=True)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        messages.error(request, "Reload the page and try again.")
        return redirect(cycle)
    try:
        services.cycle_advance(cycle=cycle, revision=revision, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Cycle {cycle.number} moved on to {cycle.get_status_display().lower()}.")
    return redirect(cycle)


def cycle_correct(request: HttpRequest, public_id, number: int) -> HttpResponse:
    project, cycle = _get_cycle(request, public_id, number, write=True)
    form = CorrectionForm(request.POST or None, choices=CORRECTABLE)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_correct(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Correction recorded.")
            return redirect(cycle)
    return form_page(
        request,
        form,
        title=f"Correct PDSA cycle {cycle.number}",
        project=project,
        back_url=cycle.get_absolute_url(),
        submit="Record the correction",
        intro="The cycle is complete, so the original entry is kept in its history with who corrected it, when and why.",
    )


@require_POST
def cycle_next(request: HttpRequest, public_id, number: int) -> HttpResponse:
    _project, cycle = _get_cycle(request, public_id, number, write=True)
    try:
        new = services.cycle_start_next(cycle=cycle, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(cycle)
    messages.success(request, f"PDSA cycle {new.number} started from cycle {cycle.number}'s next step.")
    return redirect(new)
