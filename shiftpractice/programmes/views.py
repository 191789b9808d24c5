from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from shiftpractice.core.access import deny_unless
from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import add_service_errors
from shiftpractice.core.views import form_page

from . import selectors, services
from .forms import LeadForm, MilestoneForm, NewProgrammeForm, ProgrammeForm
from .models import Milestone
from .permissions import can_create_programme, get_programme_for_user


def programme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programmes/list.html",
        {
            "programmes": selectors.programme_list(user=request.user),
            "can_create": can_create_programme(request.user),
        },
    )


def programme_add(request: HttpRequest) -> HttpResponse:
    """Staff, or an existing lead, set up a programme and name its leads."""
    deny_unless(can_create_programme(request.user))
    form = NewProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        leads = form.cleaned_data.pop("leads")
        try:
            programme = services.programme_create(actor=request.user, leads=leads, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{programme.name} is set up. Add its cohorts and milestones next.")
            return redirect(programme)
    return form_page(
        request,
        form,
        title="Set up a programme",
        submit="Set up the programme",
        back_url=reverse("programmes:list"),
    )


def programme_leads(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's leads: add another, or stop someone leading it."""
    programme = get_programme_for_user(request.user, slug, write=True)
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_lead_add(programme=programme, user=form.user, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.user} now leads {programme}.")
            return redirect("programmes:leads", slug=programme.slug)
    return form_page(
        request,
        form,
        title=f"Leads of {programme.name}",
        submit="Add as a lead",
        back_url=programme.get_absolute_url(),
        template="programmes/leads.html",
        programme=programme,
        leads=list(programme.leads.order_by("full_name")),
    )


def programme_lead_remove(request: HttpRequest, slug: str, person_id) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    person = get_object_or_404(get_user_model(), public_id=person_id, led_programmes=programme)
    only_one = programme.leads.count() == 1
    return confirm_removal(
        request,
        Removal(
            title=f"Stop {person.full_name} leading {programme.name}?",
            cancel_url=reverse("programmes:leads", args=[programme.slug]),
            button="Yes, stop them leading it",
            details=["Their own memberships and work are not affected."],
            blocked=f"{person.full_name} is the only lead of {programme.name}: add another lead first."
            if only_one
            else "",
        ),
        remove=lambda: services.programme_lead_remove(programme=programme, user=person, actor=request.user),
        done_url=reverse("programmes:leads", args=[programme.slug]),
        done_message=f"{person.full_name} no longer leads {programme.name}.",
    )


def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        services.programme_update(programme=programme, actor=request.user, **form.cleaned_data)
        messages.success(request, "Programme saved.")
        return redirect(programme)
    return form_page(
        request,
        form,
        title="Edit the programme",
        back_url=programme.get_absolute_url(),
        template="programmes/programme_form.html",
        programme=programme,
    )


def milestone_edit(request: HttpRequest, slug: str, public_id=None) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    milestone = (
        get_object_or_404(Milestone, public_id=public_id, programme=programme)
        if public_id
        else Milestone(programme=programme)
    )
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        services.milestone_save(milestone=form.instance, actor=request.user)
        messages.success(request, f"Milestone “{form.instance.title}” saved.")
        return redirect(programme)
    return form_page(
        request,
        form,
        title="Update the milestone" if milestone.pk else "Add a milestone",
        back_url=programme.get_absolute_url(),
        template="programmes/milestone_form.html",
        programme=programme,
        milestone=milestone,
    )
