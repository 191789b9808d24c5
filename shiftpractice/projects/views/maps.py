"""The influence map and the driver diagram: a page each, with forms that work with and without htmx."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from shiftpractice.content import selectors as content_selectors
from shiftpractice.core.confirm import Removal, confirm_removal, counted, joined
from shiftpractice.core.forms import add_service_errors

from .. import selectors, services
from ..choices import DriverKind
from ..diagrams import circle_points, driver_boxes, power_interest_points
from ..forms import DriverAddForm, DriverEditForm, StakeholderForm
from ..models import DriverNode, Stakeholder
from ..permissions import can_edit_project, get_project_for_user
from ..services.drivers import parent_choices

CONFIRM_TEMPLATE = "projects/confirm_remove.html"


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
        "projects/stakeholder_edit.html",
        {
            "form": form,
            "project": project,
            "page_title": f"Edit {stakeholder.name}",
            "back_url": reverse("projects:influence", args=[project.public_id]),
            "remove_url": reverse(
                "projects:stakeholder_delete", args=[project.public_id, stakeholder.public_id]
            ),
            "remove_label": f"Remove {stakeholder.name} from the map",
        },
    )


def stakeholder_delete(request: HttpRequest, public_id, stakeholder_id) -> HttpResponse:
    """Confirm, then take someone off the influence map (``core.confirm``)."""
    project = get_project_for_user(request.user, public_id, write=True)
    stakeholder = get_object_or_404(Stakeholder, project=project, public_id=stakeholder_id)
    back = reverse("projects:influence", args=[project.public_id])
    removal = Removal(
        title=f"Remove {stakeholder.name} from the influence map?",
        cancel_url=back,
        details=["Where they sit on the map, their stance and the actions planned with them go too."],
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.stakeholder_delete(stakeholder=stakeholder, actor=request.user),
        done_url=back,
        done_message=f"{stakeholder.name} removed from the map.",
        template=CONFIRM_TEMPLATE,
        project=project,
    )


def _lens_choices(project) -> list[tuple[str, str]]:
    model = content_selectors.model_for_cohort(project.cohort)
    return [(lens.slug, lens.title) for lens in (model.lenses if model else [])]


def driver_diagram(request: HttpRequest, public_id) -> HttpResponse:
    write = request.method == "POST"
    project = get_project_for_user(request.user, public_id, write=write)
    nodes = project.driver_nodes.exclude(kind=DriverKind.CHANGE_IDEA)
    form = DriverAddForm(request.POST or None, nodes=nodes, lens_choices=_lens_choices(project))
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


def driver_edit(request: HttpRequest, public_id, node_id) -> HttpResponse:
    """Change a box's words, lenses and where it hangs; a refused save comes back with what was typed."""
    project = get_project_for_user(request.user, public_id, write=True)
    node = get_object_or_404(DriverNode.objects.select_related("parent"), project=project, public_id=node_id)
    form = DriverEditForm(
        request.POST or None,
        node=node,
        parents=parent_choices(project, node.kind).exclude(pk=node.pk),
        lens_choices=_lens_choices(project),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.driver_update(node=node, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{form.cleaned_data['text']}” saved.")
            return redirect(reverse("projects:drivers", args=[project.public_id]) + f"#node-{node.public_id}")
    kind = node.get_kind_display()
    return render(
        request,
        "projects/driver_edit.html",
        {"project": project, "node": node, "form": form, "page_title": f"Edit the {kind.lower()}"},
    )


def driver_delete(request: HttpRequest, public_id, node_id) -> HttpResponse:
    """Confirm, saying what goes with the box, then remove it and everything below it (``core.confirm``)."""
    project = get_project_for_user(request.user, public_id, write=True)
    node = get_object_or_404(DriverNode, project=project, public_id=node_id)
    plan = services.driver_removal(node)
    kind = node.get_kind_display().lower()
    if plan.below:
        details = [f"Removing this {kind} also removes its {joined(plan.counts())}:"]
    else:
        details = [f"Only this {kind} goes: nothing hangs below it."]
    removal = Removal(
        title=f"Remove the {kind} “{node.text}”?",
        cancel_url=reverse("projects:drivers", args=[project.public_id]),
        details=details,
        also=[f"{b.get_kind_display()}: {b.text}" for b in plan.below],
        blocked=(
            "A PDSA cycle tests it, or a change idea below it, and the cycle's record would lose what it "
            "tested. Move the change idea to another driver first (change it and choose where it hangs), "
            "or link the cycle to another change idea."
            if plan.blocked
            else ""
        ),
        blocked_by=[f"PDSA {c.number}: {c.title} tests “{c.change_idea.text}”" for c in plan.tested_by],
    )
    with_below = f", with the {counted(len(plan.below), 'box', 'boxes')} below it" if plan.below else ""
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.driver_delete(node=node, actor=request.user),
        done_url=reverse("projects:drivers", args=[project.public_id]),
        done_message=f"“{node.text}” removed{with_below}.",
        template=CONFIRM_TEMPLATE,
        project=project,
    )
