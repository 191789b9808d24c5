"""The project list, creating a project, its story page, editing, team, lenses and approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shiftpractice.accounts.models import User
from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Cohort
from shiftpractice.cohorts.roles import roles_first
from shiftpractice.content import selectors as content_selectors
from shiftpractice.core import paging
from shiftpractice.core.access import deny_unless
from shiftpractice.core.forms import add_service_errors

from .. import selectors, services
from ..choices import ProjectStatus
from ..diagrams import circle_points, driver_boxes, power_interest_points
from ..forms import LensAnswerForm, MemberForm, ProjectCreateForm, ProjectForm
from ..models import ChangeProject
from ..permissions import (
    can_approve_public,
    can_edit_project,
    get_project_for_user,
    reads_private_parts,
)
from .common import form_page

MY_PROJECTS_PAGE = 10


@roles_first
def project_list(request: HttpRequest) -> HttpResponse:
    """The person's own projects, then the others they may read: each a page, searched and sorted in the
    database, so the page is the same size in a programme of 20 or 10,000 projects."""
    params = {
        "q": paging.search_term(request),
        "status": paging.choice(request, "status", ProjectStatus.values, ""),
        "sort": paging.choice(request, "sort", selectors.PROJECT_SORTS, "updated"),
    }
    mine = paging.paginate(
        request,
        selectors.project_list(user=request.user, owned=True),
        params=params,
        per_page=MY_PROJECTS_PAGE,
        page_param="mine",
        anchor="your-projects",
    )
    others = paging.paginate(
        request,
        selectors.project_list(user=request.user, owned=False, **params),
        params=params,
        anchor="shared-projects",
    )
    can_start = Cohort.objects.filter(
        memberships__user=request.user, memberships__role=Role.PARTICIPANT
    ).exists()
    return render(
        request,
        "projects/list.html",
        {
            "mine": mine,
            "others": others,
            "can_start": can_start,
            "params": params,
            "statuses": ProjectStatus.choices,
            "sorts": [(k, label) for k, (label, _order) in selectors.PROJECT_SORTS.items()],
        },
    )


def project_create(request: HttpRequest) -> HttpResponse:
    cohorts = Cohort.objects.filter(memberships__user=request.user, memberships__role=Role.PARTICIPANT)
    deny_unless(cohorts.exists(), message="Only participants of a cohort can start a change project.")
    form = ProjectCreateForm(request.POST or None, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            project = services.project_create(
                owner=request.user,
                cohort=data.pop("cohort"),
                title=data.pop("title"),
                actor=request.user,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "Your project has been started. Next, look at it through the model's lenses."
            )
            return redirect(project)
    return form_page(
        request, form, title="Start a change project", back_url="/projects/", submit="Start the project"
    )


def _story_context(request, project) -> dict:
    """The story's data as lazy loaders: on a cached page, only what the uncached parts use is loaded."""
    data = selectors.project_page(project, viewer=request.user)
    lazily = selectors.lazily
    layout = lazily(lambda: driver_boxes(project.aim_statement, data["driver_tree"]()))

    def lens_titles():
        model = content_selectors.model_for_cohort(project.cohort)
        return {lens.slug: lens.title for lens in (model.lenses if model else [])}

    def carbon_total(phase):
        return lazily(lambda: sum((a.annual_kgco2e for a in data["carbon"]() if a.phase == phase), 0))

    return {
        "project": project,
        **data,
        "lens_titles": lazily(lens_titles),
        "driver_boxes": lazily(lambda: layout()[0]),
        "driver_width": lazily(lambda: layout()[1]),
        "driver_height": lazily(lambda: layout()[2]),
        "grid_points": lazily(lambda: power_interest_points(data["stakeholders"]())),
        "circle_points": lazily(lambda: circle_points(data["stakeholders"]())),
        "latest_score": lazily(lambda: next(iter(data["scores"]()), None)),
        "carbon_before": carbon_total("before"),
        "carbon_after": carbon_total("after"),
        "can_edit": can_edit_project(request.user, project),
        "can_approve": can_approve_public(request.user, project),
        "show_private_parts": reads_private_parts(request.user, project),
        "story_cache_seconds": STORY_CACHE_SECONDS,
    }


# The story fragments are keyed by the project's updated_at, which every service that changes what the story
# shows moves on; the timeout only bounds how long a renamed person or cohort can show its old name.
STORY_CACHE_SECONDS = 600


@login_not_required
def project_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The QI story. The public (anonymous or not in the programme) sees it only when a lead approved it."""
    project = get_project_for_user(request.user, public_id, public_face=True)
    return render(request, "projects/detail.html", _story_context(request, project))


def project_edit(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, write=True)
    # The form validates a fresh copy, so the service compares against the saved values.
    form = ProjectForm(
        request.POST or None,
        instance=ChangeProject.objects.get(pk=project.pk),
        owner=request.user.pk == project.owner_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            was_public = project.is_public
            services.project_update(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Project saved.")
            if was_public and not project.is_public and project.visibility == "public":
                messages.info(
                    request,
                    "The changes need a programme lead's approval before the public sees the project again.",
                )
            return redirect(project)
    return form_page(request, form, title="Edit the project", project=project)


@require_POST
def project_approve(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id)
    deny_unless(
        can_approve_public(request.user, project),
        message="Only a lead of this project's programme can approve it for the public.",
    )
    try:
        services.project_approve_public(project=project, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "The project is now public.")
    return redirect(project)


def project_team(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, write=True)
    taken = {project.owner_id, *(m.user_id for m in project.members.all())}
    people = (
        User.objects.filter(
            memberships__cohort=project.cohort, memberships__role__in=[Role.PARTICIPANT, Role.COACH]
        )
        .exclude(pk__in=taken)
        .order_by("full_name")
    )
    form = MemberForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(project=project, user=form.cleaned_data["person"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['person']} joined the team.")
            return redirect(project)
    return form_page(
        request, form, title="Add someone to the team", project=project, submit="Add to the team"
    )


def _lens_view(project):
    model = content_selectors.model_for_cohort(project.cohort)
    if model is None:
        raise Http404("This cohort has no model version yet.")
    return model


def project_lenses(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id)
    model = _lens_view(project)
    answers = {a.lens_slug: a for a in project.lens_answers.all()}
    rows = [(lens, answers.get(lens.slug)) for lens in model.lenses]
    return render(
        request,
        "projects/lenses.html",
        {
            "project": project,
            "rows": rows,
            "model": model,
            "can_edit": can_edit_project(request.user, project),
        },
    )


def project_lens_answer(request: HttpRequest, public_id, slug: str) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, write=True)
    model = _lens_view(project)
    lens = model.by_slug.get(slug)
    if lens is None or lens.kind != "lens":
        raise Http404("No such lens in this cohort's model")
    answer = project.lens_answers.filter(lens_slug=slug).first()
    form = LensAnswerForm(
        request.POST or None,
        questions=lens.schema.get("questions", []),
        tag_choices=lens.schema.get("tags", []),
        answer=answer,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.lens_answer_save(
                project=project,
                lens=lens,
                answers=form.answers(),
                tags=form.cleaned_data.get("tags", []),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Your answers to the {lens.title} lens are saved.")
            return redirect("projects:lenses", public_id=project.public_id)
    return form_page(
        request,
        form,
        title=f"{lens.title} lens",
        project=project,
        intro=lens.summary,
        back_url=f"/projects/{project.public_id}/lenses/",
        submit="Save answers",
    )
