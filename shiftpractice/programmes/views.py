from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shiftpractice.core.views import form_page

from . import selectors, services
from .forms import MilestoneForm, ProgrammeForm
from .models import Milestone
from .permissions import get_programme_for_user


def programme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "programmes/list.html", {"programmes": selectors.programme_list(user=request.user)}
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
