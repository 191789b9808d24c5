"""The influence map and the driver diagram: a page each, with forms that work with and without htmx."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shiftpractice.content import selectors as content_selectors
from shiftpractice.core.forms import add_service_errors

from .. import selectors, services
from ..diagrams import circle_points, driver_boxes, power_interest_points
from ..forms import DriverForm, StakeholderForm
from ..models import DriverNode, Stakeholder
from ..permissions import can_edit_project, get_project_for_user


def _map_context(request, project, form) -> dict:
    stakeholders = selectors.stakeholder_list(project=project, viewer=request.user)
    return {
        "project": project,
        "stakeholders": stakeholders,
        "grid_points": power_interest_points(stakeholders),
        "circle_points": circle_points(stakeholders),
        "form": form,
        "can_edit": can_edit_project(request.user, project),
    }


def influence_map(request: HttpRequest, public_id) -> HttpResponse:
    """The map and, for the team, the form to add someone. With htmx only the map section is swapped."""
    write = request.method == "POST"
    project = get_project_for_user(request.user, public_id, write=write)
    form = StakeholderForm(request.POST or None)
    # Errors come back with 200 too: htmx swaps only successful responses, and the errors must be seen.
    if write and form.is_valid():
        try:
            services.stakeholder_save(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, f"{form.cleaned_data['name']} added to the influence map.")
                return redirect("projects:influence", public_id=project.public_id)
            form = StakeholderForm()
    template = "projects/_influence_section.html" if request.htmx else "projects/influence.html"
    return render(request, template, _map_context(request, project, form))


def stakeholder_edit(request: HttpRequest, public_id, stakeholder_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, write=True)
    stakeholder = get_object_or_404(Stakeholder, project=project, public_id=stakeholder_id)
    form = StakeholderForm(request.POST or None, instance=Stakeholder.objects.get(pk=stakeholder.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_save(
                project=project, stakeholder=stakeholder, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{stakeholder.name} updated.")
            return redirect("projects:influence", public_id=project.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": f"Edit {stakeholder.name}",
            "back_url": f"/projects/{project.public_id}/influence/",
        },
    )


@require_POST
def stakeholder_delete(request: HttpRequest, public_id, stakeholder_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, write=True)
    stakeholder = get_object_or_404(Stakeholder, project=project, public_id=stakeholder_id)
    services.stakeholder_delete(stakeholder=stakeholder, actor=request.user)
    messages.success(request, f"{stakeholder.name} removed from the map.")
    return redirect("projects:influence", public_id=project.public_id)


def _lens_choices(project) -> list[tuple[str, str]]:
    model = content_selectors.model_for_cohort(project.cohort)
    return [(lens.slug, lens.title) for lens in (model.lenses if model else [])]


def driver_diagram(request: HttpRequest, public_id) -> HttpResponse:
    write = request.method == "POST"
    project = get_project_for_user(request.user, public_id, write=write)
    nodes = project.driver_nodes.exclude(kind="change_idea")
    form = DriverForm(request.POST or None, nodes=nodes, lens_choices=_lens_choices(project))
    if write and form.is_valid():
        try:
            services.driver_add(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Added to the driver diagram.")
            return redirect("projects:drivers", public_id=project.public_id)
    tree = selectors.build_driver_tree(list(project.driver_nodes.all()))
    boxes, width, height = driver_boxes(project.aim_statement, tree)
    return render(
        request,
        "projects/drivers.html",
        {
            "project": project,
            "driver_tree": tree,
            "driver_boxes": boxes,
            "driver_width": width,
            "driver_height": height,
            "form": form,
            "lens_titles": dict(_lens_choices(project)),
            "can_edit": can_edit_project(request.user, project),
        },
    )


@require_POST
def driver_delete(request: HttpRequest, public_id, node_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, write=True)
    node = get_object_or_404(DriverNode, project=project, public_id=node_id)
    try:
        services.driver_delete(node=node, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"“{node.text}” removed.")
    return redirect("projects:drivers", public_id=project.public_id)
