"""Days written as the tables write them ("4 Dec 2026", the date filter's "j M Y"), made without the template's
date filter: a table of twenty rows calls it dozens of times a page, and it cost a row more than its other cells
together. The app's language is English, so the month's abbreviation is written here."""

from datetime import date, datetime

from django.utils import timezone

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month_year(when: date | datetime | None) -> str:
    """The day as "j M Y" writes it (a time is put in the local time zone first, as templates do); "" for
    None."""
    if when is None:
        return ""
    if isinstance(when, datetime) and timezone.is_aware(when):
        when = timezone.localtime(when)
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"
