"""iCalendar (RFC 5545) files for workshops: one per workshop, and a person's private feed (with the events
higher apps register: ``register_feed_source``)."""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Workshop

LONDON = ZoneInfo("Europe/London")


def _event(workshop: Workshop) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"workshop-{workshop.public_id}@shiftpractice")
    event.add("dtstamp", workshop.updated_at.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", workshop.starts_at.astimezone(LONDON))
    event.add("dtend", workshop.ends_at.astimezone(LONDON))
    event.add("summary", f"{workshop.programme.name}: {workshop.title}")
    description = [f"Workshop {workshop.number}: {workshop.title}"]
    if workshop.joining_url:
        description.append(f"Join online: {workshop.joining_url}")
        event.add("location", workshop.joining_url)
    description.append(settings.SITE_URL + workshop.get_absolute_url())
    event.add("description", "\n".join(description))
    event.add("url", settings.SITE_URL + workshop.get_absolute_url())
    return event


def workshops_to_ical(
    workshops: list[Workshop], *, name: str, extra: Sequence[icalendar.Event] = ()
) -> bytes:
    """Serialise workshops (with ``programme`` selected), and any other events (``extra``: a higher app's, as
    its feed source gives them), as one calendar with the London time zone defined."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//shiftpractice//workshops//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    events = [_event(w) for w in workshops] + list(extra)
    for event in events:
        cal.add_component(event)
    if events:
        first: datetime = min(e.decoded("dtstart") for e in events)
        last: datetime = max(e.decoded("dtend") for e in events)
        cal.add_missing_timezones(
            first_date=(first - timedelta(days=366)).date(), last_date=(last + timedelta(days=366)).date()
        )
    return cal.to_ical()


# Apps above this one add their events to a person's private feed (the network's events, say): each registers,
# from its ``AppConfig.ready``, a function from the person to a list of ``icalendar.Event``.
_feed_sources: list[Callable] = []


def register_feed_source(source: Callable) -> None:
    if source not in _feed_sources:
        _feed_sources.append(source)


def other_feed_events(user) -> list[icalendar.Event]:
    return [event for source in _feed_sources for event in source(user)]


def feed_window_start() -> datetime:
    """The feed lists workshops from a year back, so calendars keep recent history without growing forever."""
    return timezone.now() - timedelta(days=365)
