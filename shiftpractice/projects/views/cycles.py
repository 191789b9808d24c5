"""PDSA cycle pages: plan a cycle, fill in each stage and move it on, correct it once complete, start the next.

The stage form has two buttons, "Save" and the stage's move-on button; both submit what was typed. A save from a
form opened before someone else's save is merged field by field (services.cycles); a field both changed is
shown with both versions for the person to choose.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shiftpractice.core.forms import add_service_errors

from .. import services, stages
from ..choices import CycleStatus, DriverKind
from ..forms import CorrectionChoiceForm, CorrectionForm, CycleForm
from ..models import Cycle
from ..permissions import can_edit_project, get_project_for_user
from ..services.cycles import CycleConflict, StaleCycleError, describe_clashes
from .common import form_page


def _change_ideas(project):
    return project.driver_nodes.filter(kind=DriverKind.CHANGE_IDEA)


def cycle_create(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, write=True)
    form = CycleForm(
        request.POST or None,
        instance=Cycle(project=project),
        stage=CycleStatus.PLANNING,
        change_ideas=_change_ideas(project),
        creating=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.values()
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
            "edits__made_by", "edits__correction", "next_cycles"
        ),
        project=project,
        number=number,
    )
    cycle.project = project  # already loaded with its permissions' prefetches
    return project, cycle


def _fresh(cycle: Cycle) -> Cycle:
    fresh = Cycle.objects.select_related("change_idea").get(pk=cycle.pk)
    fresh.project = cycle.project
    return fresh


def _stage_form(project, cycle, *, stage=None, **kwargs) -> CycleForm:
    return CycleForm(
        instance=_fresh(cycle), stage=stage or cycle.status, change_ideas=_change_ideas(project), **kwargs
    )


def cycle_detail(request: HttpRequest, public_id, number: int) -> HttpResponse:
    """The whole worksheet; the team edits the current stage here, or records corrections once complete."""
    write = request.method == "POST"
    project, cycle = _get_cycle(request, public_id, number, write=write)
    can_edit = can_edit_project(request.user, project)
    context = {"form": None, "unsaved": [], "saved_not_moved": False}
    status = 200
    if write and cycle.is_locked:
        context["unsaved"] = _unsaved(request, cycle)
        if not context["unsaved"]:
            return redirect(cycle)
        status = 409
    elif write:
        outcome = _save(request, project, cycle)
        if isinstance(outcome, HttpResponse):
            return outcome
        context, status = {**context, **outcome[0]}, outcome[1]
        _reload_history(cycle)
    elif can_edit and not cycle.is_locked:
        context["form"] = _stage_form(project, cycle)
    form = context["form"]
    stage = stages.STAGES.get(form["stage"].value()) if form is not None else None
    return render(
        request,
        "projects/cycle.html",
        {
            **context,
            "project": project,
            "cycle": cycle,
            "can_edit": can_edit,
            "can_correct": can_edit and cycle.is_locked,
            "stage_choices": CycleStatus.choices,
            "form_stage_label": CycleStatus(stage.status).label if stage else "",
            # The move-on button only for the stage the cycle is in (a form redrawn after a clash may be older).
            "advance_label": stage.advance_label if stage and stage.status == cycle.status else "",
        },
        status=status,
    )


def _reload_history(cycle: Cycle) -> None:
    """The page shows the history after a save in this request: drop the prefetched copy."""
    getattr(cycle, "_prefetched_objects_cache", {}).pop("edits", None)


def _save(request, project, cycle):
    """Save the stage form (merged with others' saves), then move the cycle on if that button was pressed.

    Returns a redirect when done, else (context, status) to redraw the page with the person's text.
    """
    stage = request.POST.get("stage")
    if stage not in stages.STAGES:
        stage = cycle.status
    editable = {f.name for f in stages.fields_edited_in(stage)}
    clashing = [n for n in dict.fromkeys(request.POST.getlist("conflict")) if n in editable]
    form = CycleForm(
        request.POST,
        instance=_fresh(cycle),
        stage=stage,
        change_ideas=_change_ideas(project),
        clashes=describe_clashes(_fresh(cycle), clashing) if clashing else (),
    )
    if not form.is_valid():
        return {"form": form}, 200
    revision = form.cleaned_data["revision"]
    try:
        services.cycle_update(cycle=cycle, revision=revision, actor=request.user, **form.values())
    except CycleConflict as exc:
        return {"form": _form_after_clash(project, cycle, form, exc, stage)}, 409
    except ValidationError as exc:
        add_service_errors(form, exc)
        return {"form": form}, 200
    if request.POST.get("action") != "advance":
        messages.success(request, "Cycle saved.")
        return redirect(cycle)
    try:
        services.cycle_advance(cycle=cycle, revision=revision, actor=request.user, from_status=stage)
    except StaleCycleError as exc:
        messages.error(request, exc.messages[0])
        return redirect(cycle)
    except ValidationError as exc:
        # Saved, but a stage entry is missing: redraw the form as saved, the error on each field that needs it.
        form = _bound_to_saved(project, cycle, stage)
        add_service_errors(form, exc)
        return {"form": form, "saved_not_moved": True}, 200
    messages.success(request, f"PDSA cycle {cycle.number} moved on to {cycle.get_status_display().lower()}.")
    return redirect(cycle)


def _bound_to_saved(project, cycle, stage) -> CycleForm:
    fresh = _fresh(cycle)
    data = {
        **stages.values_of(fresh, [f.name for f in stages.fields_edited_in(stage)]),
        "revision": fresh.revision,
        "stage": stage,
    }
    form = CycleForm(data, instance=fresh, stage=stage, change_ideas=_change_ideas(project))
    form.is_valid()
    return form


def _form_after_clash(project, cycle, form, exc: CycleConflict, stage) -> CycleForm:
    """Someone saved first and changed what this person changed too: nothing is saved yet.

    The redrawn form holds the saved values where only the other person changed something, this person's text
    where they changed it, and, for each field both changed, the saved version beside theirs to choose from.
    It carries the revision saved now, so saving it again merges against what this person has now seen.
    """
    initial = {name: form.cleaned_data[name] for name in exc.changed}
    initial.update(revision=exc.revision, stage=stage)
    return _stage_form(project, cycle, stage=stage, initial=initial, clashes=exc.clashes)


def _unsaved(request, cycle) -> list[tuple[str, str]]:
    """The texts a person sent for a cycle that was completed meanwhile, where they differ from what is saved."""
    saved = stages.values_of(cycle)
    sent = []
    for f in stages.FIELDS:
        if f.kind in (stages.TEXT, stages.LINE) and f.name in request.POST:
            text = stages.as_text(request.POST[f.name])
            if text and text != saved[f.name]:
                sent.append((f.title, text))
    if sent:
        messages.error(
            request,
            "Someone completed this cycle while you were editing it, so it is locked and your changes were not "
            "saved. They are shown below.",
        )
    return sent


def cycle_correct(request: HttpRequest, public_id, number: int) -> HttpResponse:
    """Correct one entry of a completed cycle, starting from its recorded text."""
    project, cycle = _get_cycle(request, public_id, number, write=True)
    correctable = {f.name: f for f in stages.correctable()}
    entry = correctable.get(request.POST.get("field") or request.GET.get("field", ""))
    context = {"project": project, "cycle": cycle, "entry": entry}
    if not cycle.is_locked:
        return render(request, "projects/cycle_correct.html", context)
    if entry is None:
        choice = CorrectionChoiceForm(request.GET if "field" in request.GET else None)
        choice.is_valid()
        return render(request, "projects/cycle_correct.html", {**context, "choice_form": choice})
    recorded = stages.as_text(getattr(cycle, entry.name))
    status = 200
    if request.method == "POST":
        form = CorrectionForm(request.POST, entry=entry)
        if form.is_valid():
            try:
                services.cycle_correct(
                    cycle=cycle,
                    actor=request.user,
                    field=entry.name,
                    new_value=form.cleaned_data["new_value"],
                    reason=form.cleaned_data["reason"],
                    revision=form.cleaned_data["revision"],
                )
            except StaleCycleError as exc:
                # Someone corrected this entry since: show theirs, keep this person's text, save over on resubmit.
                data = request.POST.copy()
                data["revision"] = str(exc.revision)
                form = CorrectionForm(data, entry=entry)
                form.is_valid()
                add_service_errors(form, exc)
                cycle = _fresh(cycle)
                recorded = stages.as_text(getattr(cycle, entry.name))
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Correction to “{entry.title}” recorded.")
                return redirect(cycle)
    else:
        form = CorrectionForm(
            initial={"field": entry.name, "revision": cycle.revision, "new_value": recorded}, entry=entry
        )
    return render(
        request,
        "projects/cycle_correct.html",
        {**context, "form": form, "recorded": recorded},
        status=status,
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
