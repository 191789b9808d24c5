"""A person's notifications and their email preferences. Each person only ever sees their own."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shiftpractice.core import paging

from . import selectors, services
from .forms import PreferencesForm
from .kinds import Kind
from .models import Notification

SHOW = {"all": "All", "unread": "Unread only"}


def notification_list(request: HttpRequest) -> HttpResponse:
    """A page of the person's own notifications, filtered by whether read and by kind in the database."""
    params = {
        "show": paging.choice(request, "show", SHOW, "all"),
        "kind": paging.choice(request, "kind", Kind.values, ""),
    }
    items = paging.paginate(
        request,
        selectors.notification_list(
            request.user, unread_only=params["show"] == "unread", kind=params["kind"]
        ),
        params=params,
    )
    # Counted over all of them, not just the ones listed; the header's count reuses it.
    unread = request._unread_notifications = selectors.unread_count(request.user)
    return render(
        request,
        "notifications/list.html",
        {
            "items": items,
            "unread": unread,
            "params": params,
            "shows": list(SHOW.items()),
            "kinds": Kind.choices,
        },
    )


@require_POST
def notification_open(request: HttpRequest, public_id) -> HttpResponse:
    """Mark one notification read and go to what it is about (only a path on this site)."""
    note = get_object_or_404(Notification, public_id=public_id, recipient=request.user)
    services.mark_read(notification=note)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:list")


def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, current=selectors.preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your notification choices are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
