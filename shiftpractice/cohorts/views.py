"""Cohort, invitation, workshop, attendance and calendar pages. Thin: authorise, parse, act, respond."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shiftpractice.accounts.models import User
from shiftpractice.accounts.services import user_reset_calendar_token
from shiftpractice.content import selectors as content_selectors
from shiftpractice.core.forms import add_service_errors
from shiftpractice.core.views import form_page
from shiftpractice.programmes import selectors as programme_selectors
from shiftpractice.programmes.permissions import get_programme_for_user, is_programme_lead
from shiftpractice.programmes.timeline import build_timeline

from . import selectors, services
from .calendar import workshops_to_ical
from .forms import (
    AcceptInvitationForm,
    AddMemberForm,
    AttendanceForm,
    CohortForm,
    InvitationForm,
    WorkshopForm,
)
from .models import Attendance, Cohort, Workshop
from .permissions import can_record_attendance, get_cohort_for_user, get_workshop_for_user


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme page: its timeline, its cohorts and the workshops this person can see."""
    programme = get_programme_for_user(request.user, slug)
    milestones = programme_selectors.milestone_list(programme=programme)
    cohorts = selectors.cohorts_with_fill([programme])
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "milestones": milestones,
            "timeline": build_timeline(milestones, today=timezone.localdate()),
            "cohorts": cohorts,
            "model_history": content_selectors.version_history(cohorts),
            "visible_cohort_ids": set(
                Cohort.objects.visible_to(request.user)
                .filter(programme=programme)
                .values_list("id", flat=True)
            ),
            "workshops": selectors.programme_workshops_for(request.user, programme),
            "can_edit": is_programme_lead(request.user, programme),
            "breadcrumbs": [("Home", reverse("home:index")), ("Programmes", reverse("programmes:list"))],
        },
    )


def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, slug)
    members = selectors.cohort_members(cohort)
    return render(
        request,
        "cohorts/detail.html",
        {
            "cohort": cohort,
            "members": members,
            "participant_total": sum(1 for m in members if m.role == "participant"),
            "workshops": selectors.cohort_workshops(cohort),
            "is_lead": is_programme_lead(request.user, cohort.programme),
            "breadcrumbs": [
                ("Home", reverse("home:index")),
                (cohort.programme.name, cohort.programme.get_absolute_url()),
            ],
        },
    )


def cohort_edit(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, slug, write=True)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            cohort.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, "Cohort saved.")
            return redirect(cohort)
    return form_page(
        request,
        form,
        title=f"Edit {cohort.name}",
        back_url=cohort.get_absolute_url(),
        template="cohorts/cohort_form.html",
        cohort=cohort,
    )


def cohort_members(request: HttpRequest, slug: str) -> HttpResponse:
    """The lead's page for inviting new people and adding existing accounts to a cohort."""
    cohort = get_cohort_for_user(request.user, slug, write=True)
    invite_form = InvitationForm(prefix="invite")
    add_form = AddMemberForm(prefix="add")
    if request.method == "POST" and "invite-email" in request.POST:
        invite_form = InvitationForm(request.POST, prefix="invite")
        if invite_form.is_valid():
            try:
                invitation, _token = services.invitation_create(
                    cohort=cohort, actor=request.user, **invite_form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(invite_form, exc)
            else:
                messages.success(
                    request,
                    f"Invitation to {invitation.email} is on its way: it is sent in the next few minutes, and "
                    "tried again if the mail server is down. Its progress is shown under "
                    f'"Invitations not yet accepted". The link works once, for {settings.INVITATION_VALID_DAYS} days.',
                )
                return redirect("cohorts:members", slug=cohort.slug)
    elif request.method == "POST":
        add_form = AddMemberForm(request.POST, prefix="add")
        if add_form.is_valid():
            try:
                services.membership_add(
                    cohort=cohort, user=add_form.user, role=add_form.cleaned_data["role"], actor=request.user
                )
            except ValidationError as exc:
                add_service_errors(add_form, exc)
            else:
                messages.success(request, f"{add_form.user} added to {cohort}.")
                return redirect("cohorts:members", slug=cohort.slug)
    return render(
        request,
        "cohorts/members.html",
        {
            "cohort": cohort,
            "members": selectors.cohort_members(cohort),
            "invitations": list(
                cohort.invitations.filter(
                    accepted_at__isnull=True, superseded_at__isnull=True
                ).select_related("invited_by", "delivery")
            ),
            "invite_form": invite_form,
            "add_form": add_form,
            "now": timezone.now(),
        },
    )


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as exc:
        return render(request, "cohorts/invitation_invalid.html", {"reason": exc.messages[0]}, status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.cohort.programme.name}.")
            return redirect("home:index")
    return render(request, "cohorts/invitation_accept.html", {"invitation": invitation, "form": form})


def workshop_detail(request: HttpRequest, public_id) -> HttpResponse:
    workshop = get_workshop_for_user(request.user, public_id)
    return render(
        request,
        "cohorts/workshop_detail.html",
        {
            "workshop": workshop,
            "materials": list(workshop.materials.all()),
            "is_lead": is_programme_lead(request.user, workshop.programme),
            "can_record_attendance": can_record_attendance(request.user, workshop),
        },
    )


def workshop_edit(request: HttpRequest, slug: str, public_id=None) -> HttpResponse:
    """Create (under a programme) or edit a workshop; leads only."""
    programme = get_programme_for_user(request.user, slug, write=True)
    if public_id:
        workshop = get_object_or_404(Workshop, public_id=public_id, programme=programme)
    else:
        workshop = Workshop(programme=programme)
    form = WorkshopForm(request.POST or None, instance=workshop, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_save(
                workshop=form.instance,
                cohorts=form.cleaned_data["cohorts"],
                facilitators=form.cleaned_data["facilitators"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Workshop “{form.instance.title}” saved.")
            return redirect(form.instance)
    return form_page(
        request,
        form,
        title=f"Edit {workshop.title}" if workshop.pk else "Add a workshop",
        back_url=workshop.get_absolute_url() if workshop.pk else programme.get_absolute_url(),
        template="cohorts/workshop_form.html",
        programme=programme,
        workshop=workshop,
    )


def workshop_attendance(request: HttpRequest, public_id) -> HttpResponse:
    workshop = get_workshop_for_user(request.user, public_id, attendance=True)
    people = list(services.workshop_attendees(workshop))
    existing = dict(Attendance.objects.filter(workshop=workshop).values_list("user_id", "status"))
    form = AttendanceForm(request.POST or None, people=people, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.attendance_record(
                workshop=workshop, statuses=form.statuses(), actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Attendance saved ({changed} change{'s' if changed != 1 else ''}).")
            return redirect(workshop)
    return form_page(
        request,
        form,
        title=f"Record attendance: {workshop.title}",
        submit="Save attendance",
        back_url=workshop.get_absolute_url(),
        template="cohorts/attendance.html",
        workshop=workshop,
    )


def workshop_ics(request: HttpRequest, public_id) -> HttpResponse:
    workshop = get_workshop_for_user(request.user, public_id)
    response = HttpResponse(
        workshops_to_ical([workshop], name=workshop.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="workshop-{workshop.number}-{workshop.public_id}.ics"'
    )
    return response


def my_calendar(request: HttpRequest) -> HttpResponse:
    """The person's workshops, and their private feed link to subscribe to in a calendar app."""
    return render(
        request,
        "cohorts/my_calendar.html",
        {
            "workshops": selectors.workshops_due_for(request.user),
            "feed_url": _feed_url(request),
            "now": timezone.now(),
        },
    )


def _feed_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("cohorts:calendar_feed", args=[request.user.calendar_token]))


@require_POST
def my_calendar_reset(request: HttpRequest) -> HttpResponse:
    user_reset_calendar_token(user=request.user, actor=request.user)
    if request.htmx:  # swap just the link; without JavaScript the full page reloads below
        return render(
            request, "cohorts/_calendar_link.html", {"feed_url": _feed_url(request), "just_reset": True}
        )
    messages.success(request, "You have a new calendar link. The old one no longer works.")
    return redirect("cohorts:my_calendar")


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A private feed: anyone holding the link can read it, so the token is long, random and resettable."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No such calendar")
    body = workshops_to_ical(selectors.calendar_feed_workshops(user), name="shiftpractice workshops")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
