"""Peer groups: the list, forming a group, a group's page and recording its meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from shiftpractice.cohorts.choices import Role
from shiftpractice.core.access import deny_unless
from shiftpractice.core.forms import add_service_errors

from ..forms import MeetingForm, PeerGroupForm, assignable_people
from ..models import JournalEntry, MeetingRole
from ..permissions import (
    can_manage_peer_groups,
    get_cohort_board_cohort,
    get_peer_group_for_user,
    peer_groups_visible_to,
)
from ..services import peers as services
from .common import form_page


def peer_group_list(request: HttpRequest) -> HttpResponse:
    groups = list(
        peer_groups_visible_to(request.user)
        .select_related("cohort", "cohort__programme")
        .prefetch_related("members__user")
        .order_by("cohort__start_date", "kind", "name")
    )
    return render(request, "coaching/peers/list.html", {"groups": groups})


def peer_group_create(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_board_cohort(request.user, slug)
    deny_unless(can_manage_peer_groups(request.user, cohort))
    form = PeerGroupForm(request.POST or None, participants=assignable_people(cohort, Role.PARTICIPANT))
    if request.method == "POST" and form.is_valid():
        try:
            group = services.peer_group_create(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{group.name} is formed.")
            return redirect(group)
    return form_page(
        request,
        form,
        title=f"Form a peer group in {cohort.name}",
        submit="Form the group",
        back_url=reverse("coaching:peer_groups"),
    )


def _last_roles(group) -> dict[int, str]:
    last = group.meetings.order_by("-met_on", "-id").first()
    if last is None:
        return {}
    return dict(MeetingRole.objects.filter(meeting=last).values_list("user_id", "role"))


def peer_group_detail(request: HttpRequest, public_id) -> HttpResponse:
    group = get_peer_group_for_user(request.user, public_id)
    members = [m.user for m in group.members.all()]
    meetings = list(group.meetings.prefetch_related("roles__user").order_by("-met_on", "-id"))
    last_roles = {r.user_id: r.role for r in meetings[0].roles.all()} if meetings else {}
    reflections = list(
        JournalEntry.objects.visible_to(request.user).filter(peer_group=group).select_related("author")
    )
    is_member = any(u.pk == request.user.pk for u in members)
    return render(
        request,
        "coaching/peers/detail.html",
        {
            "group": group,
            "members": members,
            "meetings": meetings,
            "reflections": reflections,
            "rotation": services.next_rotation(group, members, last_roles),
            "can_log": is_member or can_manage_peer_groups(request.user, group.cohort),
            "is_member": is_member,
        },
    )


def meeting_log(request: HttpRequest, public_id) -> HttpResponse:
    group = get_peer_group_for_user(request.user, public_id, write=True)
    members = [m.user for m in group.members.all()]
    suggested = {u.pk: role for u, role in services.next_rotation(group, members, _last_roles(group))}
    form = MeetingForm(request.POST or None, members=members, roles=group.roles, suggested=suggested)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_log(
                group=group,
                met_on=form.cleaned_data["met_on"],
                notes=form.cleaned_data["notes"],
                roles=form.roles(),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The meeting is recorded.")
            return redirect(group)
    return form_page(
        request,
        form,
        title=f"Record a meeting of {group.name}",
        intro="The roles are suggested from the last meeting, moving everyone on one role. Change them to what happened.",
        submit="Record the meeting",
        back_url=group.get_absolute_url(),
    )
