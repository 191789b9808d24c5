from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(
    request: HttpRequest,
    form,
    *,
    title: str,
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
        "back_url": back_url,
        "submit_label": submit,
        "intro": intro,
        **extra,
    }
    return render(request, template, context, status=status if not form.errors else 400)
