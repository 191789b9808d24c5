from datetime import UTC, date, datetime

from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from shiftpractice.core.dates import day_month_year


def test_a_day_reads_as_the_date_filter_writes_it():
    for month in range(1, 13):
        day = date(2026, month, 1 + month)
        assert day_month_year(day) == date_filter(day, "j M Y")
        when = timezone.make_aware(datetime(2026, month, 1 + month, 23, 30))
        assert day_month_year(when) == date_filter(timezone.localtime(when), "j M Y")
    # A time in UTC is read in the local time zone, as a template reads it: 23:30 UTC on 30 June is 00:30 on
    # 1 July in London.
    assert day_month_year(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 Jul 2026"
    assert day_month_year(None) == ""
