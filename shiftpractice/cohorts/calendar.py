"""iCalendar (RFC 5545) files for workshops: one per workshop, and a person's private feed."""

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


def workshops_to_ical(workshops: list[Workshop], *, name: str) -> bytes:
    """Serialise workshops (with ``programme`` selected) as one calendar with the London time zone defined."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//shiftpractice//workshops//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    for workshop in workshops:
        cal.add_component(_event(workshop))
    if workshops:
        first: datetime = min(w.starts_at for w in workshops)
        last: datetime = max(w.ends_at for w in workshops)
        cal.add_missing_timezones(
            first_date=(first - timedelta(days=366)).date(), last_date=(last + timedelta(days=366)).date()
        )
    return cal.to_ical()


def feed_window_start() -> datetime:
    """The feed lists workshops from a year back, so calendars keep recent history without growing forever."""
    return timezone.now() - timedelta(days=365)
