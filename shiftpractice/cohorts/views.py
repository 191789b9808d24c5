"""Cohort, invitation, workshop, attendance and calendar pages. Thin: authorise, parse, act, respond."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shiftpractice.accounts.models import User
from shiftpractice.accounts.services import user_reset_calendar_token
from shiftpractice.core import paging
from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import add_service_errors
from shiftpractice.core.uploads import bounded_uploads, refused_upload
from shiftpractice.core.views import form_page
from shiftpractice.programmes import selectors as programme_selectors
from shiftpractice.programmes.permissions import get_programme_for_user, is_programme_lead
from shiftpractice.programmes.timeline import build_timeline

from . import selectors, services
from .calendar import other_feed_events, workshops_to_ical
from .choices import SHARING_TERMS, AttendanceStatus, CohortStatus
from .forms import (
    AcceptInvitationForm,
    AddMemberForm,
    AttendanceForm,
    CohortForm,
    InvitationForm,
    MaterialForm,
    NewCohortForm,
    RoleForm,
    WorkshopForm,
)
from .models import Attendance, Cohort, Workshop
from .permissions import (
    can_record_attendance,
    get_cohort_for_user,
    get_invitation_for_user,
    get_material_for_user,
    get_membership_for_user,
    get_workshop_for_user,
    portfolio_scope,
)
from .roles import roles_first
from .uploads import MAX_MATERIAL_BYTES

WORKSHOPS_PER_PAGE = 10


@roles_first
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme page: its timeline, a page of its cohorts (searched, filtered and sorted in the database)
    and a page of the workshops this person can see, so it is the same size with 2 cohorts or 1,000."""
    programme = get_programme_for_user(request.user, slug)
    milestones = programme_selectors.milestone_list(programme=programme)
    params = {
        "q": paging.search_term(request),
        "status": paging.choice(request, "status", CohortStatus.values, ""),
        "sort": paging.choice(request, "sort", selectors.COHORT_SORTS, "start"),
    }
    cohorts = paging.paginate(
        request, selectors.cohort_fill_list([programme], **params), params=params, anchor="cohorts"
    )
    rows = list(cohorts.object_list)
    workshops = paging.paginate(
        request,
        selectors.programme_workshops_for(request.user, programme),
        per_page=WORKSHOPS_PER_PAGE,
        page_param="workshops",
        anchor="workshops",
    )
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "milestones": milestones,
            "timeline": build_timeline(milestones, today=timezone.localdate()),
            "cohorts": cohorts,
            "cohort_rows": rows,
            "params": params,
            "statuses": CohortStatus.choices,
            "sorts": [(k, label) for k, (label, _order) in selectors.COHORT_SORTS.items()],
            "model_history": selectors.model_versions_in_use(programme),
            "visible_cohort_ids": set(
                Cohort.objects.visible_to(request.user)
                .filter(pk__in=[c.pk for c in rows])
                .values_list("id", flat=True)
            ),
            "workshops": workshops,
            "can_edit": is_programme_lead(request.user, programme),
            "can_see_portfolio": bool(portfolio_scope(request.user, programme)),
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
            "invitations": list(services.open_invitations(cohort).select_related("invited_by", "delivery")),
            "withdrawn": list(
                cohort.invitations.filter(revoked_at__isnull=False, accepted_at__isnull=True).order_by(
                    "-revoked_at"
                )[:20]
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
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                accepts_sharing_terms=form.cleaned_data["accept_terms"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.cohort.programme.name}.")
            return redirect("home:index")
    return render(
        request,
        "cohorts/invitation_accept.html",
        {"invitation": invitation, "form": form, "sharing_terms": SHARING_TERMS},
    )


def workshop_detail(request: HttpRequest, public_id) -> HttpResponse:
    workshop = get_workshop_for_user(request.user, public_id)
    is_lead = is_programme_lead(request.user, workshop.programme)
    can_attend = can_record_attendance(request.user, workshop)
    return render(
        request,
        "cohorts/workshop_detail.html",
        {
            "workshop": workshop,
            "materials": list(workshop.materials.all()),
            "is_lead": is_lead,
            "can_record_attendance": can_attend,
            # Who attended: for the programme's leads and the workshop's facilitators only.
            "attendance": selectors.workshop_attendance(workshop) if can_attend else None,
            "statuses": AttendanceStatus,
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
    body = workshops_to_ical(
        selectors.calendar_feed_workshops(user), name="shiftpractice workshops", extra=other_feed_events(user)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- Set-up: new cohorts, closing ---------------------------------------------------------------------------


def cohort_add(request: HttpRequest, slug: str) -> HttpResponse:
    """A lead adds a cohort to their programme, with its coaches."""
    programme = get_programme_for_user(request.user, slug, write=True)
    form = NewCohortForm(request.POST or None, instance=Cohort(programme=programme))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in CohortForm.Meta.fields}
        try:
            cohort = services.cohort_create(
                programme=programme, actor=request.user, coaches=form.cleaned_data["coaches"], **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{cohort.name} created. Invite its participants from this page.")
            return redirect("cohorts:members", slug=cohort.slug)
    return form_page(
        request,
        form,
        title=f"Add a cohort to {programme.name}",
        submit="Create the cohort",
        back_url=programme.get_absolute_url(),
        programme=programme,
    )


def cohort_close(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, slug, write=True)
    pending = services.open_invitations(cohort).count()
    removal = Removal(
        title=f"Close {cohort.name}?",
        cancel_url=cohort.get_absolute_url(),
        button="Yes, close the cohort",
        details=[
            "The cohort is marked finished. Its members, projects, workshops and attendance stay as they are.",
            f"{pending} invitation{'s' if pending != 1 else ''} not yet accepted will be withdrawn.",
        ],
        blocked=f"{cohort.name} is already closed." if cohort.status == CohortStatus.FINISHED else "",
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.cohort_close(cohort=cohort, actor=request.user),
        done_url=cohort.get_absolute_url(),
        done_message=f"{cohort.name} is closed.",
    )


# --- Membership and invitations -----------------------------------------------------------------------------


def member_remove(request: HttpRequest, slug: str, person_id) -> HttpResponse:
    membership = get_membership_for_user(request.user, slug, person_id)
    cohort, person = membership.cohort, membership.user
    removal = Removal(
        title=f"Remove {person.full_name} from {cohort.name}?",
        cancel_url=reverse("cohorts:members", args=[cohort.slug]),
        button="Yes, remove them",
        details=[
            f"{person.full_name} can no longer open the cohort's pages or see its members' shared work. "
            "They are told by email.",
            "Their own change projects, journal and data stay theirs, and stay in the programme's portfolio.",
        ],
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.membership_remove(membership=membership, actor=request.user),
        done_url=reverse("cohorts:members", args=[cohort.slug]),
        done_message=f"{person.full_name} removed from {cohort.name}.",
    )


def member_role(request: HttpRequest, slug: str, person_id) -> HttpResponse:
    membership = get_membership_for_user(request.user, slug, person_id)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{changed.user.full_name}'s role in {changed.cohort.name} is now {changed.get_role_display()}.",
            )
            return redirect("cohorts:members", slug=membership.cohort.slug)
    return form_page(
        request,
        form,
        title=f"Change the role of {membership.user.full_name}",
        intro=f"{membership.user.full_name}'s role in {membership.cohort.name} is {membership.get_role_display()}.",
        submit="Change the role",
        back_url=reverse("cohorts:members", args=[membership.cohort.slug]),
    )


def invitation_revoke(request: HttpRequest, public_id) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, public_id)
    members_url = reverse("cohorts:members", args=[invitation.cohort.slug])
    removal = Removal(
        title=f"Withdraw the invitation to {invitation.email}?",
        cancel_url=members_url,
        button="Yes, withdraw it",
        details=["The link in the email stops working at once. You can send a new invitation later."],
        blocked="It is already closed." if invitation.superseded_at or invitation.accepted_at else "",
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.invitation_revoke(invitation=invitation, actor=request.user),
        done_url=members_url,
        done_message=f"The invitation to {invitation.email} is withdrawn.",
    )


@require_POST
def invitation_resend(request: HttpRequest, public_id) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, public_id)
    try:
        fresh, _token = services.invitation_resend(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"A new invitation to {fresh.email} is on its way; the earlier link no longer works. "
            f"The new link works once, for {settings.INVITATION_VALID_DAYS} days.",
        )
    return redirect("cohorts:members", slug=invitation.cohort.slug)


# --- Workshop materials -------------------------------------------------------------------------------------


@bounded_uploads(max_bytes=MAX_MATERIAL_BYTES)
def material_add(request: HttpRequest, public_id) -> HttpResponse:
    workshop = get_workshop_for_user(request.user, public_id, write=True)
    form = MaterialForm(request.POST or None, request.FILES or None)
    refused = refused_upload(request, "file")  # read past, never stored: the file is over the limit
    if refused is not None:
        form.add_error(
            "file",
            f"The file is {filesizeformat(refused)} or more; the largest file that can be uploaded is "
            f"{filesizeformat(MAX_MATERIAL_BYTES)}.",
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.material_add(
                workshop=workshop,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{form.cleaned_data['title']}” added to the workshop.")
            return redirect(workshop)
    return form_page(
        request,
        form,
        title=f"Add a material to {workshop.title}",
        submit="Add the material",
        back_url=workshop.get_absolute_url(),
        template="cohorts/material_form.html",
        workshop=workshop,
    )


def material_remove(request: HttpRequest, public_id) -> HttpResponse:
    material = get_material_for_user(request.user, public_id, write=True)
    workshop = material.workshop
    return confirm_removal(
        request,
        Removal(
            title=f"Remove “{material.title}” from the workshop?",
            cancel_url=workshop.get_absolute_url(),
            details=["The uploaded file is deleted too." if material.file else "Only the link is removed."],
        ),
        remove=lambda: services.material_remove(material=material, actor=request.user),
        done_url=workshop.get_absolute_url(),
        done_message=f"“{material.title}” removed.",
    )


def material_download(request: HttpRequest, public_id) -> HttpResponse:
    """An uploaded material, always as a download, never shown inline, with its type as checked on upload."""
    material = get_material_for_user(request.user, public_id)
    if not material.file:
        raise Http404("This material is a link, not a file")
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=material.filename or material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
