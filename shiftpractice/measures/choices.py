"""Fixed choices of the measures app."""

from django.db import models

from shiftpractice.spc import rule_set_label


class MeasureType(models.TextChoices):
    """The family of measures: what each one tells the team."""

    OUTCOME = "outcome", "Outcome"
    PROCESS = "process", "Process"
    BALANCING = "balancing", "Balancing"
    SUSTAINABILITY = "sustainability", "Sustainability"


class DataKind(models.TextChoices):
    """What one data point holds; it decides which charts the data can support."""

    COUNT = "count", "Count of events in each period"
    PROPORTION = "proportion", "Proportion (numerator out of denominator)"
    RATE = "rate", "Rate per N (numerator per denominator)"
    CONTINUOUS = "continuous", "Continuous value (a measurement or average)"
    DAYS_BETWEEN = "days_between", "Days between events"
    CASES_BETWEEN = "cases_between", "Cases between events"

    @classmethod
    def with_denominator(cls) -> set[str]:
        return {cls.PROPORTION, cls.RATE}


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEUTRAL = "neutral", "Neither (watch for any change)"


class Frequency(models.TextChoices):
    DAY = "day", "Daily"
    WEEK = "week", "Weekly"
    MONTH = "month", "Monthly"
    QUARTER = "quarter", "Quarterly"
    EVENT = "event", "Each event"


class Chart(models.TextChoices):
    """Chart types a measure may be drawn on (the engine's names)."""

    RUN = "run", "Run chart"
    XMR = "xmr", "XmR chart (NHS Making Data Count)"
    I = "i", "I chart (individuals)"  # noqa: E741 - the chart's conventional name
    C = "c", "C chart (counts)"
    U = "u", "U chart (rates)"
    UP = "up", "U-prime chart (Laney, large denominators)"
    P = "p", "P chart (proportions)"
    PP = "pp", "P-prime chart (Laney, large denominators)"
    G = "g", "G chart (cases between events)"
    T = "t", "T chart (time between events)"


class RuleSetName(models.TextChoices):
    """The engine's named rule sets a measure can choose; labels come from its registry (docs/spc.md)."""

    ANHOEJ = "anhoej", rule_set_label("anhoej")
    NHS = "nhs", rule_set_label("nhs")
    IHI = "ihi", rule_set_label("ihi")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking the file"
    INVALID = "invalid", "Problems found"
    READY = "ready", "Ready to import"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
