"""Network events: webinars and meet-ups for a programme's whole network, with booking up to the capacity, a
waiting list that moves up when someone cancels, calendar files, and a reminder the day before."""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shiftpractice.cohorts.calendar import LONDON
from shiftpractice.core.audit import audit
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import notify, notify_each_once

from . import members
from .choices import SignupStatus
from .models import EventSignup, NetworkEvent

FIELDS = ("title", "description", "starts_at", "ends_at", "joining_url", "capacity")


def visible_events(user):
    """The events of the programmes whose network the person belongs to, with booked and waiting counts."""
    return (
        NetworkEvent.objects.filter(programme_id__in=members.programme_ids(user))
        .select_related("programme")
        .annotate(
            booked=Count("signups", filter=Q(signups__status=SignupStatus.BOOKED)),
            waiting=Count("signups", filter=Q(signups__status=SignupStatus.WAITING)),
        )
    )


def upcoming(user, *, past: bool = False):
    now = timezone.now()
    qs = visible_events(user)
    return (
        qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
        if past
        else qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    )


def get_event_for_user(user, public_id) -> NetworkEvent:
    members.require_member(user)
    event = visible_events(user).filter(public_id=public_id).first()
    if event is None:
        raise Http404("No such event")
    return event


def get_event_for_lead(user, public_id) -> NetworkEvent:
    from .permissions import get_programme_for_triage

    event = get_object_or_404(NetworkEvent.objects.select_related("programme"), public_id=public_id)
    get_programme_for_triage(user, event.programme.slug)
    return event


def signup_of(event, user) -> EventSignup | None:
    return EventSignup.objects.filter(event=event, user=user).first()


def _check(fields: dict) -> None:
    if fields["ends_at"] <= fields["starts_at"]:
        raise ValidationError({"ends_at": "The end must be after the start."})


@transaction.atomic
def event_save(*, programme, actor, event: NetworkEvent | None = None, **fields) -> NetworkEvent:
    _check(fields)
    creating = event is None
    event = _locked(event) if event is not None else NetworkEvent(programme=programme, created_by=actor)
    for name in FIELDS:
        setattr(event, name, fields[name])
    event.save()
    if not creating:
        _fill_from_waiting_list(event)
    audit(
        actor=actor,
        verb="network.event_created" if creating else "network.event_changed",
        obj=event,
        summary=event.title,
        programme_id=programme.pk,
    )
    return event


def _locked(event) -> NetworkEvent:
    return NetworkEvent.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def signup(*, event: NetworkEvent, user) -> EventSignup:
    """Book a place, or join the waiting list when the event is full. The event row is locked while places are
    counted, so two people cannot take the last place at once."""
    event = _locked(event)
    if event.ends_at < timezone.now():
        raise ValidationError("This event is over.")
    existing = signup_of(event, user)
    if existing is not None:
        raise ValidationError(
            "You have a place already."
            if existing.status == SignupStatus.BOOKED
            else "You are on the waiting list already."
        )
    booked = event.signups.filter(status=SignupStatus.BOOKED).count()
    status = SignupStatus.BOOKED if booked < event.capacity else SignupStatus.WAITING
    made = EventSignup.objects.create(event=event, user=user, status=status)
    audit(actor=user, verb=f"network.event_{status}", obj=event, summary=event.title)
    return made


@transaction.atomic
def cancel(*, event: NetworkEvent, user) -> None:
    """Give up a place or leave the waiting list; the first on the waiting list takes a freed place (and is told)."""
    event = _locked(event)
    mine = signup_of(event, user)
    if mine is None:
        raise ValidationError("You are not booked on this event.")
    mine.delete()
    audit(actor=user, verb="network.event_cancelled", obj=event, summary=event.title)
    _fill_from_waiting_list(event)


def _fill_from_waiting_list(event: NetworkEvent) -> None:
    free = event.capacity - event.signups.filter(status=SignupStatus.BOOKED).count()
    if free <= 0 or event.ends_at < timezone.now():
        return
    moving = list(
        event.signups.filter(status=SignupStatus.WAITING)
        .select_related("user")
        .order_by("created_at", "id")[:free]
    )
    if not moving:
        return
    EventSignup.objects.filter(pk__in=[s.pk for s in moving]).update(
        status=SignupStatus.BOOKED, updated_at=timezone.now()
    )
    notify(
        recipients=[s.user for s in moving],
        kind=Kind.NETWORK_EVENT,
        title=f"A place came free: you are booked on {event.title}",
        url=event.get_absolute_url(),
    )


def send_reminders(*, now=None) -> int:
    """Tell everyone booked on an event that starts in the next day, once per event. Returns how many were told."""
    now = now or timezone.now()
    told = 0
    soon = NetworkEvent.objects.filter(starts_at__gt=now, starts_at__lte=now + timedelta(days=1))
    for event in soon.iterator():
        people = [s.user for s in event.signups.filter(status=SignupStatus.BOOKED).select_related("user")]
        local = timezone.localtime(event.starts_at)
        told += len(
            notify_each_once(
                recipients=people,
                kind=Kind.NETWORK_EVENT,
                key=f"network-event-reminder:{event.pk}",
                title=f"Tomorrow: {event.title}, {local:%-d %B} at {local:%H:%M}",
                body=f"Join online: {event.joining_url}" if event.joining_url else "",
                url=event.get_absolute_url(),
            )
        )
    return told


def ical_event(event: NetworkEvent, *, with_link: bool = True) -> icalendar.Event:
    """The event for a calendar; the joining link only for someone with a place (``with_link``)."""
    item = icalendar.Event()
    item.add("uid", f"network-event-{event.public_id}@shiftpractice")
    item.add("dtstamp", event.updated_at.astimezone(LONDON))
    item.add("dtstart", event.starts_at.astimezone(LONDON))
    item.add("dtend", event.ends_at.astimezone(LONDON))
    item.add("summary", f"{event.programme.name}: {event.title}")
    text = [event.description] if event.description else []
    if event.joining_url and with_link:
        text.append(f"Join online: {event.joining_url}")
        item.add("location", event.joining_url)
    text.append(settings.SITE_URL + event.get_absolute_url())
    item.add("description", "\n".join(text))
    item.add("url", settings.SITE_URL + event.get_absolute_url())
    return item


def feed_events(user) -> list[icalendar.Event]:
    """The events the person booked (from a year back), for their private calendar feed."""
    since = timezone.now() - timedelta(days=365)
    events = NetworkEvent.objects.filter(
        signups__user=user, signups__status=SignupStatus.BOOKED, ends_at__gte=since
    ).select_related("programme")
    return [ical_event(e) for e in events.order_by("starts_at")[:200]]


@transaction.atomic
def release_places(event_ids) -> None:
    """After sign-ups went by another way (an account erased): give the freed places to the waiting lists."""
    for event in NetworkEvent.objects.select_for_update().filter(pk__in=list(event_ids)):
        _fill_from_waiting_list(event)
