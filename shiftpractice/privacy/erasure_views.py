"""Erase me: ask (with the password), confirm from the emailed link, cancel during the grace period.

Every page is the signed-in person's own (the login middleware sends anyone else to sign in). A confirmation
link works only for the account it was sent to; a request is found only among the person's own (404 otherwise).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from shiftpractice.core import ratelimit

from . import erasure
from .choices import ERASURE_OPEN
from .erasure_forms import ErasureRequestForm
from .models import ErasureRequest

# Wrong passwords allowed on the erasure form, per person, in a quarter of an hour.
PASSWORD_TRIES = 5


def _crumbs() -> list:
    return [("Your profile", reverse("accounts:profile")), ("Your data", reverse("privacy_pages:data"))]


@require_http_methods(["GET", "POST"])
def erasure_ask(request: HttpRequest) -> HttpResponse:
    pending = erasure.open_request(request.user)
    if pending is not None:
        messages.info(request, "You have already asked for your account to be erased: its state is below.")
        return redirect(reverse("privacy_pages:data") + "#erase")
    blocked = erasure.refusal_reason(request.user)
    form = ErasureRequestForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and not blocked:
        allowed, _wait = ratelimit.hit(
            "erasure-password", str(request.user.pk), limit=PASSWORD_TRIES, seconds=900
        )
        if not allowed:
            form.add_error(None, "Too many tries. Wait 15 minutes, then try again.")
            status = 429
        elif form.is_valid():
            try:
                erasure.erasure_request(user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(
                    request,
                    f"We have sent an email to {request.user.email}. Open the link in it within "
                    f"{settings.ERASURE_CONFIRM_HOURS} hours to confirm. Nothing is erased until you do.",
                )
                return redirect(reverse("privacy_pages:data") + "#erase")
        if form.errors and status == 200:
            status = 400
    return render(
        request,
        "privacy/erasure_ask.html",
        {
            "form": form,
            "blocked": blocked,
            "grace_days": settings.ERASURE_GRACE_DAYS,
            "confirm_hours": settings.ERASURE_CONFIRM_HOURS,
            "page_title": "Erase your account",
            "breadcrumbs": _crumbs(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def erasure_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link. GET shows a button (so a mail scanner opening the link uses nothing up); POST confirms."""
    try:
        pending = erasure.request_for_token(user=request.user, token=token)
    except ValidationError as exc:
        return _link_problem(request, exc.messages[0])
    if request.method == "POST":
        try:
            done = erasure.erasure_confirm(user=request.user, token=token)
        except ValidationError as exc:
            return _link_problem(request, exc.messages[0])
        when = timezone.localtime(done.erase_after)
        messages.success(
            request,
            f"Confirmed. Your account will be erased on {when:%-d %B %Y}. "
            "You can cancel on this page until then.",
        )
        return redirect(reverse("privacy_pages:data") + "#erase")
    return render(
        request,
        "privacy/erasure_confirm.html",
        {
            "pending": pending,
            "blocked": erasure.refusal_reason(request.user),
            "erase_on": timezone.localtime() + timedelta(days=settings.ERASURE_GRACE_DAYS),
            "grace_days": settings.ERASURE_GRACE_DAYS,
            "page_title": "Confirm that you want your account erased",
            "breadcrumbs": _crumbs(),
        },
    )


def _link_problem(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "privacy/erasure_link_problem.html",
        {"message": message, "page_title": "This link does not work", "breadcrumbs": _crumbs()},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def erasure_cancel(request: HttpRequest, request_id) -> HttpResponse:
    """Stop the erasure (the data page's button posts here; the email links here)."""
    found = get_object_or_404(ErasureRequest, public_id=request_id, user_id=request.user.pk)
    if request.method == "POST":
        try:
            erasure.erasure_cancel(request=found, actor=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Cancelled. Your account will not be erased.")
        return redirect(reverse("privacy_pages:data") + "#erase")
    return render(
        request,
        "privacy/erasure_cancel.html",
        {
            "found": found,
            "is_open": found.status in ERASURE_OPEN,
            "page_title": "Cancel erasing your account",
            "breadcrumbs": _crumbs(),
        },
    )
