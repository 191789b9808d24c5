"""Small helpers shared by the project views."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(
    request: HttpRequest,
    form,
    *,
    title: str,
    project=None,
    back_url: str = "",
    submit: str = "Save",
    intro: str = "",
    template: str = "form_page.html",
    status: int = 200,
    **extra,
) -> HttpResponse:
    context = {
        "form": form,
        "page_title": title,
        "project": project,
        "back_url": back_url or (project.get_absolute_url() if project else ""),
        "submit_label": submit,
        "intro": intro,
        **extra,
    }
    return render(request, template, context, status=status)
