"""Coach assignments, the coach dashboard, a coachee's page, contacts, actions and the coaching policy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Cohort
from shiftpractice.cohorts.roles import roles_first, roles_of
from shiftpractice.core import paging
from shiftpractice.core.access import deny_unless
from shiftpractice.core.forms import add_service_errors
from shiftpractice.programmes.models import Programme
from shiftpractice.programmes.permissions import get_programme_for_user
from shiftpractice.projects.models import Cycle

from .. import selectors
from ..forms import (
    ACTION_SLOTS,
    ActionForm,
    AssignmentForm,
    ContactForm,
    PolicyForm,
    assignable_people,
    link_choices,
    unassigned_participants,
)
from ..permissions import (
    get_action_for_user,
    get_assignment_for_user,
    get_cohort_for_coaching,
    leads_programme,
    policy_for,
)
from ..services import support as services
from .common import form_page

COACHEES_PER_PAGE = 20  # each row is a coachee's whole picture: contacts, actions, projects, signals


@roles_first
def dashboard(request: HttpRequest) -> HttpResponse:
    """A page of the coach's coachees in one period (current by default), searched and sorted in the database,
    with how many there are in each period; the participant's own support; a page of the cohorts of the
    programmes the person leads. The same size and queries with 3 coachees or 300."""
    roles = roles_of(request.user)
    params = {
        "q": paging.search_term(request),
        "sort": paging.choice(request, "sort", selectors.COACHEE_SORTS, "name"),
        "period": paging.choice(request, "period", selectors.PERIODS, "current"),
    }
    counts = selectors.coachee_counts(request.user)  # of everyone, whatever the search
    coachees = paging.paginate(
        request,
        selectors.coachee_rows(request.user, **params),
        params=params,
        per_page=COACHEES_PER_PAGE,
        anchor="coachees",
        count=None if params["q"] else counts[params["period"]],  # unsearched: the period's count, known
    )
    rows = selectors.rows_of(coachees.object_list, viewer=request.user)
    own = selectors.participant_support(request.user)
    selectors.attach_signals([*rows, *own])
    # (Someone who leads nothing, as most coaches, is not asked the database about it.)
    led = (
        Cohort.objects.filter(programme__in=roles.led_programme_ids)
        if roles.is_lead
        else Cohort.objects.none()
    )
    led_cohorts = paging.paginate(
        request,
        led.select_related("programme").order_by("programme__name", "start_date", "id"),
        page_param="led",
        anchor="led-cohorts",
    )
    periods = [
        (key, label, counts[key], "?" + urlencode({**params, "period": key}) + "#coachees")
        for key, label in selectors.PERIODS.items()
    ]
    return render(
        request,
        "coaching/dashboard.html",
        {
            "rows": rows,
            "coachees": coachees,
            "counts": counts,
            "periods": periods,
            "params": params,
            "sorts": [(k, label) for k, (label, _order) in selectors.COACHEE_SORTS.items()],
            "my_support": own,
            "led_cohorts": led_cohorts,
            "led_programmes": Programme.objects.filter(pk__in=roles.led_programme_ids).order_by("name"),
        },
    )


def cohort_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The lead's view of a cohort's coaching, and the form to assign a coach."""
    cohort = get_cohort_for_coaching(request.user, slug)
    form = AssignmentForm(
        request.POST or None,
        participants=unassigned_participants(cohort),
        coaches=assignable_people(cohort, Role.COACH),
        initial={"starts_on": min(max(cohort.start_date, timezone.localdate()), cohort.end_date)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{assignment.coach} now coaches {assignment.participant}.")
            return redirect("coaching:cohort", slug=cohort.slug)
    assignments = paging.paginate(
        request, selectors.cohort_assignments(cohort), per_page=COACHEES_PER_PAGE, anchor="coachees"
    )
    return render(
        request,
        "coaching/cohort.html",
        {
            "cohort": cohort,
            "rows": selectors.cohort_overview(assignments.object_list, viewer=request.user),
            "assignments": assignments,
            "form": form,
            "policy": policy_for(cohort.programme),
        },
        status=400 if form.errors else 200,
    )


def assignment_edit(request: HttpRequest, public_id) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, public_id)
    get_cohort_for_coaching(request.user, assignment.cohort.slug)  # leads only
    form = AssignmentForm(
        request.POST or None,
        participants=None,
        coaches=assignable_people(assignment.cohort, Role.COACH),
        edit=True,
        initial={"coach": assignment.coach, "starts_on": assignment.starts_on, "ends_on": assignment.ends_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(assignment=assignment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The coaching assignment is saved.")
            return redirect("coaching:cohort", slug=assignment.cohort.slug)
    return form_page(
        request,
        form,
        title=f"Coaching for {assignment.participant}",
        back_url=reverse("coaching:cohort", args=[assignment.cohort.slug]),
    )


def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    form = PolicyForm(request.POST or None, instance=policy_for(programme))
    if request.method == "POST" and form.is_valid():
        services.policy_update(programme=programme, actor=request.user, **form.cleaned_data)
        messages.success(request, "The coaching policy is saved. Participants see what it means for them.")
        return redirect("coaching:dashboard")
    return form_page(
        request,
        form,
        title=f"Coaching policy: {programme.name}",
        intro=(
            "Participants are told, on their support page, who can read their coach's private notes, and are "
            "notified when that changes. A change applies to notes written from then on."
        ),
        back_url=reverse("coaching:dashboard"),
    )


@roles_first
def coachee(request: HttpRequest, public_id) -> HttpResponse:
    """One coaching relationship: the same picture for the coach, the participant and the programme's leads,
    except the coach's private notes."""
    assignment = get_assignment_for_user(request.user, public_id)
    context = selectors.assignment_page(assignment, viewer=request.user)
    context.update(
        {
            "assignment": assignment,
            "is_coach": assignment.coach_id == request.user.pk,
            "is_participant": assignment.participant_id == request.user.pk,
            "is_lead": leads_programme(request.user, assignment.cohort.programme),
        }
    )
    return render(request, "coaching/coachee.html", context)


def _links(assignment):
    projects = list(services.linkable_projects(assignment).order_by("title"))
    cycles = list(Cycle.objects.filter(project__in=projects).order_by("project_id", "number"))
    return (
        link_choices(projects, cycles),
        {str(p.public_id): p for p in projects},
        {str(c.public_id): c for c in cycles},
    )


def _link(value: str, projects: dict, cycles: dict):
    """``p<public id>`` or ``c<public id>``, one of the choices offered (anything else links nothing)."""
    if value.startswith("p"):
        return projects.get(value[1:]), None
    if value.startswith("c"):
        return None, cycles.get(value[1:])
    return None, None


def contact_log(request: HttpRequest, public_id) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, public_id, write=True)
    policy = policy_for(assignment.cohort.programme)
    hint = (
        "Only you and the programme's leads can read these: never the participant, nor a coach who takes over."
        if policy.leads_read_coach_notes
        else "Only you can read these: never the participant, a coach who takes over, nor the programme's leads."
    )
    links, projects, cycles = _links(assignment)
    form = ContactForm(request.POST or None, notes_hint=hint, links=links)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions = []
        for n in range(1, ACTION_SLOTS + 1):
            if (data.get(f"action_{n}_description") or "").strip():
                project, cycle = _link(data.get(f"action_{n}_project") or "", projects, cycles)
                actions.append(
                    services.ActionSpec(
                        description=data[f"action_{n}_description"],
                        owner=data[f"action_{n}_owner"],
                        due_on=data[f"action_{n}_due_on"],
                        project=project,
                        cycle=cycle,
                    )
                )
        try:
            services.contact_log(
                assignment=assignment,
                actor=request.user,
                occurred_on=data["occurred_on"],
                mode=data["mode"],
                duration_minutes=data["duration_minutes"],
                initiated_by=data["initiated_by"],
                summary=data["summary"],
                notes=data["notes"],
                next_contact_on=data["next_contact_on"],
                actions=actions,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Contact with {assignment.participant} logged.")
            return redirect(assignment)
    return form_page(
        request,
        form,
        title=f"Log a contact with {assignment.participant}",
        submit="Log the contact",
        back_url=assignment.get_absolute_url(),
    )


def action_add(request: HttpRequest, public_id) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, public_id)
    deny_unless(request.user.pk in {assignment.coach_id, assignment.participant_id})
    links, projects, cycles = _links(assignment)
    form = ActionForm(request.POST or None, links=links)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project, cycle = _link(data.get("project") or "", projects, cycles)
        spec = services.ActionSpec(
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            project=project,
            cycle=cycle,
        )
        try:
            services.action_create(assignment=assignment, spec=spec, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Action added.")
            return redirect(assignment)
    return form_page(
        request, form, title="Add an action", submit="Add the action", back_url=assignment.get_absolute_url()
    )


@require_POST
def action_status(request: HttpRequest, public_id) -> HttpResponse:
    action = get_action_for_user(request.user, public_id, write=True)
    try:
        services.action_set_status(action=action, status=request.POST.get("status", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{action.description}” is now {action.get_status_display().lower()}.")
    return redirect(action.assignment)
