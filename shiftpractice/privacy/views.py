"""Your data: ask for a copy of everything about you, and download it once it is ready."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .choices import READY_FOR_DAYS
from .permissions import get_export_for_user


@require_http_methods(["GET", "POST"])
def data(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.export_request(user=request.user, actor=request.user)
        messages.success(
            request, "Your export is being prepared. This page shows when it is ready to download."
        )
        return redirect("privacy_pages:data")
    return render(
        request,
        "privacy/data.html",
        {
            "exports": selectors.export_list(user=request.user),
            "ready_for_days": READY_FOR_DAYS,
            "page_title": "Your data",
            "breadcrumbs": [("Your profile", reverse("accounts:profile"))],
        },
    )


@require_POST
def download(request: HttpRequest, export_id) -> HttpResponse:
    """The ZIP, once (a POST, so a link preview or a prefetch never uses up the single download)."""
    export = get_export_for_user(request.user, export_id)
    try:
        content = services.export_take(export=export, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("privacy_pages:data")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="shiftpractice-data-{export.requested_at:%Y-%m-%d}.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response
