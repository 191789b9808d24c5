"""Measure pages: the project's measures, adding and editing a measure, its chart page, phases, settings."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format

from shiftpractice.core.access import deny_unless
from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import add_service_errors
from shiftpractice.core.views import form_page
from shiftpractice.programmes.models import Programme
from shiftpractice.programmes.permissions import is_programme_lead
from shiftpractice.projects.permissions import can_edit_project, get_project_for_user

from .. import selectors, services
from ..charts import cached_html, rules_page, window
from ..forms import ChartSettingsForm, ChartWindowForm, CyclesTestedForm, MeasureForm, PhaseForm
from ..models import Phase, ProgrammeChartSettings
from ..permissions import get_measure_for_user


def _cycles(project) -> list:
    return list(project.cycles.order_by("number"))


def project_measures(request: HttpRequest, public_id) -> HttpResponse:
    """All the project's measures as small multiples, with their signals."""
    project = get_project_for_user(request.user, public_id)
    charts = cached_html.small_multiples(project, _cycles(project))
    return render(
        request,
        "measures/project_measures.html",
        {"project": project, "charts": charts, "can_edit": can_edit_project(request.user, project)},
    )


def _form_page(request, form, *, title, project, back_url, template="measures/form.html", **options):
    return form_page(
        request, form, title=title, back_url=back_url, project=project, template=template, **options
    )


def measure_create(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, write=True)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            measure = services.measure_create(
                project=project,
                name=data.pop("name"),
                measure_type=data.pop("measure_type"),
                data_kind=data.pop("data_kind"),
                actor=request.user,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{measure.name}” added. Next, enter its data or import a file.")
            return redirect(measure)
    return _form_page(
        request,
        form,
        title="Add a measure",
        project=project,
        back_url=project.get_absolute_url(),
        submit="Add the measure",
        intro="How will you know that a change is an improvement? Define the measure so that anyone would count it the same way.",
    )


def chart_window(request: HttpRequest) -> tuple[ChartWindowForm, window.Spec]:
    """The part of the chart the reader asked for (GET), and the form that asks; the latest points when the
    form has errors or nothing is chosen."""
    form = ChartWindowForm(request.GET if request.GET else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, window.Spec(data.get("phase"), data.get("start"), data.get("end"))
    return form, window.LATEST


@login_not_required
def measure_detail(request: HttpRequest, measure_id) -> HttpResponse:
    """The chart with its summary in words, the PDSA cycles marked, the data table, and the measure's definition.

    A long chart shows a window of its points (the latest by default; a phase or dates chosen with a GET form);
    its limits and signals are computed on all of them.
    """
    measure = get_measure_for_user(request.user, measure_id, public_face=True)
    project = measure.project
    cycles = _cycles(project)
    window_form, spec = chart_window(request)
    chart = cached_html.measure_page(measure, cycles, spec)  # from the cache unless the data changed
    can_edit = can_edit_project(request.user, project)
    tested = selectors.tested_cycle_ids(measure)
    return render(
        request,
        "measures/detail.html",
        {
            "measure": measure,
            "chart": chart,
            "window_form": window_form,
            "svg_query": request.GET.urlencode() if spec.chosen else "",
            "project": project,
            "cycles": cycles,
            "tested_by": [c for c in cycles if c.pk in tested],
            "can_edit": can_edit,
            "changes": selectors.recent_changes(measure) if can_edit else [],
            "imports": selectors.recent_imports(measure) if can_edit else [],
        },
    )


def measure_edit(request: HttpRequest, measure_id) -> HttpResponse:
    measure = get_measure_for_user(request.user, measure_id, write=True)
    form = MeasureForm(request.POST or None, instance=type(measure).objects.get(pk=measure.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(measure=measure, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Measure saved.")
            return redirect(measure)
    return _form_page(
        request,
        form,
        title=f"Edit {measure.name}",
        project=measure.project,
        back_url=measure.get_absolute_url(),
    )


def measure_delete(request: HttpRequest, measure_id) -> HttpResponse:
    measure = get_measure_for_user(request.user, measure_id, write=True)
    if request.method == "POST":
        project = measure.project
        services.measure_delete(measure=measure, actor=request.user)
        messages.success(request, f"“{measure.name}” and its data have been deleted.")
        return redirect("measures:project", public_id=project.public_id)
    return render(request, "measures/delete.html", {"measure": measure, "project": measure.project})


def measure_phases(request: HttpRequest, measure_id) -> HttpResponse:
    """Phases (each from a date, with a reason): the limits are calculated afresh in each."""
    measure = get_measure_for_user(request.user, measure_id, write=True)
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_add(measure=measure, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "New phase added: the limits are now calculated separately from that date."
            )
            return redirect(measure)
    return _form_page(
        request,
        form,
        title=f"Phases of {measure.name}",
        project=measure.project,
        back_url=measure.get_absolute_url(),
        submit="Add the phase",
        intro="Start a new phase when the process itself has changed, for example when a new pathway started. "
        "The centre line and limits are then calculated separately before and after.",
        template="measures/phases.html",
        measure=measure,
        phases=list(measure.phases.all()),
    )


def measure_cycles(request: HttpRequest, measure_id) -> HttpResponse:
    """The team ties the PDSA cycles that test this measure: only those (and untied ones) mark its chart."""
    measure = get_measure_for_user(request.user, measure_id, write=True)
    project = measure.project
    form = CyclesTestedForm(
        request.POST if request.method == "POST" else None,  # ticking none is a real answer
        project=project,
        initial={"cycles": list(measure.tested_by_cycles.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_cycles_set(
                measure=measure, cycles=form.cleaned_data["cycles"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved: the chart marks the PDSA cycles that test this measure.")
            return redirect(measure)
    return _form_page(
        request,
        form,
        title=f"PDSA cycles that test {measure.name}",
        project=project,
        back_url=measure.get_absolute_url(),
        submit="Save the cycles",
        intro="Tie a cycle to the measures it tests, so that its marker shows on their charts and not on "
        "others. Cycles tied to no measure are marked on every chart.",
        template="measures/cycles.html",
        has_cycles=bool(form.fields["cycles"].queryset.exists()),
    )


def phase_delete(request: HttpRequest, measure_id, start: str) -> HttpResponse:
    """A phase is named in the URL by its start date (unique within the measure), not a database id. Removing it
    asks first: the chart's limits are worked out again across the line it drew."""
    measure = get_measure_for_user(request.user, measure_id, write=True)
    try:
        day = date.fromisoformat(start)
    except ValueError:
        raise Http404 from None
    phase = get_object_or_404(Phase, start=day, measure=measure)
    back = reverse("measures:phases", args=[measure.public_id])
    when = date_format(day, "j F Y")
    removal = Removal(
        title=f"Remove the phase that starts on {when}?",
        cancel_url=back,
        quote=phase.reason,
        details=[
            f"The chart of {measure.name} no longer starts new limits on {when}: its limits are worked out "
            "again across the data on both sides. No data point is removed."
        ],
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.phase_delete(phase=phase, actor=request.user),
        done_url=back,
        done_message=f"The phase from {when} is removed.",
        template="measures/confirm_remove.html",
        project=measure.project,
    )


@login_not_required
def rules(request: HttpRequest) -> HttpResponse:
    """What each rule set's rules mean, in plain words (linked from every chart)."""
    return render(request, "measures/rules.html", {"rule_sets": rules_page.rule_sets()})


def programme_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """A programme lead chooses the programme's default rules and whether values get the NHS XmR view."""
    programme = get_object_or_404(Programme.objects.prefetch_related("leads"), slug=slug)
    deny_unless(is_programme_lead(request.user, programme), visible=False)
    instance = ProgrammeChartSettings.objects.filter(programme=programme).first()
    form = ChartSettingsForm(
        request.POST or None, instance=instance or ProgrammeChartSettings(programme=programme)
    )
    if request.method == "POST" and form.is_valid():
        services.programme_settings_set(programme=programme, actor=request.user, **form.cleaned_data)
        messages.success(request, "Chart settings saved: every chart of the programme now uses them.")
        return redirect("measures:settings", slug=programme.slug)
    return _form_page(
        request,
        form,
        title=f"Chart settings for {programme.name}",
        project=None,
        back_url="/programmes/",
        intro="A measure can still choose its own rules; these are the defaults for every measure in the programme.",
    )
