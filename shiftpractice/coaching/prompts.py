"""Which of the model's reflection prompts to offer a cohort, and when ("at the right time").

The rule, from each cohort's workshop 1 and workshop 2 start times:

- Before workshop 1 (from 7 days before it) until 7 days before workshop 2: the workshop 1 prompts, the
  story of self and the circles of concern, influence and control.
- From workshop 1 until 28 days after workshop 2: the learning loops prompt, for after each PDSA cycle.
- From 7 days before workshop 2 until 28 days after it: the workshop 2 prompt, "what has shifted for me"
  (the most significant change).

Outside these windows no prompt is pushed, but every reflection prompt stays available on request and a free
entry is always possible. Without a workshop 2 the workshop 1 prompts run until the cohort's end date.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from shiftpractice.content.selectors import ModelView

LEAD_IN = timedelta(days=7)
AFTER = timedelta(days=28)

WORKSHOP_1 = ["prompt.public-narrative", "prompt.circles"]
BETWEEN = ["prompt.learning-loop"]
WORKSHOP_2 = ["prompt.most-significant-change"]
REFLECTION_PROMPTS = [*WORKSHOP_1, *BETWEEN, *WORKSHOP_2, "prompt.grow"]


@dataclass
class TimelyPrompt:
    item: object  # content.ContentItem
    why: str


def timely_prompts(
    model: ModelView | None, cohort, workshops, now: datetime | None = None
) -> list[TimelyPrompt]:
    """The prompts to put in front of a member of ``cohort`` now. ``workshops``: the cohort's workshops."""
    if model is None:
        return []
    now = now or timezone.now()
    first = next((w for w in sorted(workshops, key=lambda w: w.starts_at) if w.number == 1), None)
    second = next((w for w in sorted(workshops, key=lambda w: w.starts_at) if w.number == 2), None)
    if first is None:
        return []
    cohort_end = timezone.make_aware(datetime.combine(cohort.end_date, time(23, 59)))
    chosen: list[tuple[str, str]] = []
    w1_until = second.starts_at - LEAD_IN if second else cohort_end
    if first.starts_at - LEAD_IN <= now < w1_until:
        chosen += [(slug, "For workshop 1: why you, why now") for slug in WORKSHOP_1]
    between_until = second.starts_at + AFTER if second else cohort_end
    if first.starts_at <= now < between_until:
        chosen += [(slug, "Between the workshops: after each PDSA cycle") for slug in BETWEEN]
    if second and second.starts_at - LEAD_IN <= now < second.starts_at + AFTER:
        chosen += [(slug, "For workshop 2: what has shifted for me") for slug in WORKSHOP_2]
    return [TimelyPrompt(model.by_slug[slug], why) for slug, why in chosen if slug in model.by_slug]


def reflection_prompts(model: ModelView | None) -> list:
    if model is None:
        return []
    return [model.by_slug[slug] for slug in REFLECTION_PROMPTS if slug in model.by_slug]
