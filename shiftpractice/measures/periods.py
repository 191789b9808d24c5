"""What period a date belongs to, for each frequency, and the dates a period may have.

Every path that writes a data point (the data table, the services, imports) reads its date through
``normalise_period``, so a monthly measure can never hold two points in one month: any date in April is
the period 1 April, any date in a week is that week's Monday (ISO weeks), any date in a quarter is the
quarter's first day. Daily and per-event measures keep the date as given.
"""

from __future__ import annotations

from datetime import date, timedelta

from .choices import Frequency

EARLIEST = date(1800, 1, 1)
LATEST = date(2199, 12, 31)
OUT_OF_RANGE = "Enter a date between 1 Jan 1800 and 31 Dec 2199."

PERIOD_NAMES = {
    Frequency.WEEK: "the Monday of its week",
    Frequency.MONTH: "the first of its month",
    Frequency.QUARTER: "the first day of its quarter",
}


def normalise_period(frequency: str, d: date) -> date:
    """The first day of the period that ``d`` falls in, for a measure of this frequency."""
    if frequency == Frequency.MONTH:
        return d.replace(day=1)
    if frequency == Frequency.QUARTER:
        return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if frequency == Frequency.WEEK:
        return d - timedelta(days=d.weekday())
    return d


def period_problem(d: date) -> str:
    """Why this date cannot be a period (empty when it can): dates far outside any real series are slips."""
    return "" if EARLIEST <= d <= LATEST else OUT_OF_RANGE
