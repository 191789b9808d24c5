"""The network members' pages: the directory, relayed messages and blocks, network events, the digest, and the
one-click unsubscribe. Every page but the unsubscribe is for network members only (``members.require_member``);
the public sees none of it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from shiftpractice.cohorts.calendar import workshops_to_ical
from shiftpractice.core import paging
from shiftpractice.core.forms import add_service_errors
from shiftpractice.core.views import form_page

from . import digest as digest_service
from . import events, members
from .choices import Lens, Offer, Region, SignupStatus
from .forms import EventForm, MessageForm, ProfileForm
from .permissions import get_programme_for_triage


def directory(request: HttpRequest) -> HttpResponse:
    members.require_member(request.user)
    params = {
        "q": paging.search_term(request),
        "region": paging.choice(request, "region", Region.values, ""),
        "lens": paging.choice(request, "lens", Lens.values, ""),
        "offer": paging.choice(request, "offer", Offer.values, ""),
        "alumni": paging.choice(request, "alumni", ["1"], ""),
        "sort": paging.choice(request, "sort", members.DIRECTORY_SORTS, "name"),
    }
    rows = members.directory(request.user, **{**params, "alumni": params["alumni"] == "1"})
    page = paging.paginate(request, rows, params=params, anchor="members")
    mine = members.own_profile(request.user)
    return render(
        request,
        "network/directory.html",
        {
            "page": page,
            "params": params,
            "mine": mine,
            "regions": Region.choices,
            "lenses": Lens.choices,
            "offers": Offer.choices,
            "sorts": [(k, v[0]) for k, v in members.DIRECTORY_SORTS.items()],
        },
    )


def member(request: HttpRequest, public_id) -> HttpResponse:
    profile = members.get_profile_for_viewer(request.user, public_id)
    return render(
        request,
        "network/member.html",
        {
            "profile": profile,
            "own": profile.user_id == request.user.pk,
            "blocked": members.has_blocked(request.user, profile.user),
        },
    )


@require_http_methods(["GET", "POST"])
def message(request: HttpRequest, public_id) -> HttpResponse:
    profile = members.get_profile_for_viewer(request.user, public_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            members.message_send(sender=request.user, profile=profile, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Your message is on its way to {profile.user.full_name}.")
            return redirect(profile.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Send {profile.user.full_name} a message",
        intro="We email your message with your name and a link to your own directory entry, so they can answer "
        "through it. Neither of you sees the other's email address.",
        submit="Send message",
        back_url=profile.get_absolute_url(),
        error_status=400,
    )


@require_http_methods(["GET", "POST"])
def block(request: HttpRequest, public_id) -> HttpResponse:
    """Block (or unblock) a member's messages: a GET, from the link in a relayed email, asks first."""
    profile = members.get_profile_for_viewer(request.user, public_id, listed=False)
    blocked = members.has_blocked(request.user, profile.user)
    if request.method == "POST":
        try:
            members.block_set(blocker=request.user, profile=profile, blocked=not blocked)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                f"You take messages from {profile.user.full_name} again."
                if blocked
                else f"{profile.user.full_name} can no longer send you messages through the directory.",
            )
        return redirect(profile.get_absolute_url())
    return render(request, "network/block.html", {"profile": profile, "blocked": blocked})


@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest) -> HttpResponse:
    members.require_member(request.user)
    profile = members.own_profile(request.user)
    form = ProfileForm(
        request.POST or None,
        initial={f: getattr(profile, f) for f in ProfileForm.base_fields} if profile else {},
    )
    if request.method == "POST" and form.is_valid():
        members.profile_save(user=request.user, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            "Saved. You are listed in the directory."
            if form.cleaned_data["listed"]
            else "Saved. You are not listed in the directory.",
        )
        return redirect("network:directory")
    return form_page(
        request,
        form,
        title="Your entry in the network directory",
        intro="The directory is seen only by the people of the programmes you belong to. It shows your name, job "
        "title and organisation from your profile, and what you choose below.",
        back_url=reverse("network:directory"),
        error_status=400,
    )


# Events ------------------------------------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    members.require_member(request.user)
    past = request.GET.get("when") == "past"
    page = paging.paginate(
        request, events.upcoming(request.user, past=past), params={"when": "past" if past else ""}
    )
    return render(request, "network/events.html", {"page": page, "past": past})


@require_http_methods(["GET", "POST"])
def event(request: HttpRequest, public_id) -> HttpResponse:
    item = events.get_event_for_user(request.user, public_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                events.cancel(event=item, user=request.user)
                messages.success(request, "You have given up your place.")
            else:
                made = events.signup(event=item, user=request.user)
                messages.success(
                    request,
                    "You have a place. It is in your calendar feed."
                    if made.status == SignupStatus.BOOKED
                    else "The event is full: you are on the waiting list, and we will tell you if a place comes free.",
                )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            item = events.get_event_for_user(request.user, public_id)  # the counts as they are now
            return render(request, "network/event.html", _event_context(request, item), status=400)
        return redirect(item.get_absolute_url())
    return render(request, "network/event.html", _event_context(request, item))


def _event_context(request, item) -> dict:
    return {
        "event": item,
        "mine": events.signup_of(item, request.user),
        "over": item.ends_at < timezone.now(),
        "leads_it": item.programme.leads.filter(pk=request.user.pk).exists(),
    }


def _booked(item, user) -> bool:
    mine = events.signup_of(item, user)
    return mine is not None and mine.status == SignupStatus.BOOKED


def event_ics(request: HttpRequest, public_id) -> HttpResponse:
    item = events.get_event_for_user(request.user, public_id)
    response = HttpResponse(
        workshops_to_ical(
            [], name=item.title, extra=[events.ical_event(item, with_link=_booked(item, request.user))]
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="network-event-{item.public_id}.ics"'
    return response


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str, public_id=None) -> HttpResponse:
    programme = get_programme_for_triage(request.user, slug)
    item = events.get_event_for_lead(request.user, public_id) if public_id else None
    if item is not None and item.programme_id != programme.pk:
        raise Http404
    initial = {f: getattr(item, f) for f in events.FIELDS} if item else {}
    if item:
        initial["starts_at"] = timezone.localtime(item.starts_at).strftime("%Y-%m-%d %H:%M")
        initial["ends_at"] = timezone.localtime(item.ends_at).strftime("%Y-%m-%d %H:%M")
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = events.event_save(
                programme=programme, actor=request.user, event=item, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"“{saved.title}” is {'saved' if item else 'on the network events page'}."
            )
            return redirect(saved.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"{'Change' if item else 'New'} network event: {programme.name}",
        intro="For everyone in the programme's network: participants and alumni of every cohort, coaches, "
        "critical friends and leads. Times are UK time.",
        submit="Save event",
        back_url=reverse("network:events"),
        error_status=400,
    )


def event_people(request: HttpRequest, public_id) -> HttpResponse:
    """The lead's list of who booked and who waits, a page at a time."""
    item = events.get_event_for_lead(request.user, public_id)
    page = paging.paginate(
        request, item.signups.select_related("user").order_by("status", "created_at", "id")
    )
    return render(request, "network/event_people.html", {"event": item, "page": page})


# The digest ----------------------------------------------------------------------------------------------------


def digest_preview(request: HttpRequest) -> HttpResponse:
    members.require_member(request.user)
    profile = members.own_profile(request.user)
    return render(
        request,
        "network/digest.html",
        {"digest": digest_service.digest_for(request.user), "profile": profile},
    )


@login_not_required
@csrf_exempt  # RFC 8058: mail clients post "List-Unsubscribe=One-Click" with no session; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        profile = digest_service.unsubscribe(token=token)
        if profile is None:
            return render(request, "network/unsubscribe.html", {"problem": True}, status=404)
        return render(request, "network/unsubscribe.html", {"done": True})
    return render(request, "network/unsubscribe.html", {})


@require_POST
def my_digest(request: HttpRequest) -> HttpResponse:
    """Switch the digest on or off from its preview page."""
    members.require_member(request.user)
    wanted = request.POST.get("digest") == "on"
    members.profile_save(user=request.user, actor=request.user, digest=wanted)
    messages.success(
        request, "You will get the monthly digest." if wanted else "You will not get the monthly digest."
    )
    return redirect("network:digest")
