"""An evaluation on top of the personas: a plan with one indicator, a survey (ONS4, GSE, a programme Likert item
and a free-text item) and two windows for cohort A (baseline closed, end open)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from shiftpractice.evaluation import services
from shiftpractice.evaluation.choices import IndicatorKind, ItemKind, ResponseStatus, WindowLabel
from shiftpractice.evaluation.models import Response
from tests.factories import MembershipFactory, UserFactory


@dataclass
class Evaluation:
    world: object
    plan: object
    indicator: object
    survey: object
    baseline: object
    end: object

    @property
    def people(self):
        return self.world.people


def gse(total: int) -> dict:
    """Ten GSE answers adding up to ``total``."""
    values = [1] * 10
    n = 0
    while sum(values) < total:
        if values[n % 10] < 4:
            values[n % 10] += 1
        n += 1
    return {f"instrument.gse:item{i}": v for i, v in enumerate(values, start=1)}


def answers(level: int = 5, total: int = 25, confidence: int = 3, text: str = "") -> dict:
    out = {
        "instrument.ons4:life_satisfaction": level,
        "instrument.ons4:worthwhile": level,
        "instrument.ons4:happy_yesterday": level,
        "instrument.ons4:anxious_yesterday": 10 - level,
        "plan:confidence": confidence,
        **gse(total),
    }
    if text:
        out["plan:helped"] = text
    return out


def add_participants(cohort, n: int, prefix: str = "extra") -> list:
    people = []
    for k in range(n):
        user = UserFactory(full_name=f"{prefix.title()} Person {k}", email=f"{prefix}{k}@example.org")
        MembershipFactory(cohort=cohort, user=user, role="participant")
        people.append(user)
    return people


def load(window, people_answers: dict) -> None:
    """Answers submitted in the past, through the same checks and scoring as a live submission."""
    services.responses_load_past(
        window=window, answers_by_person=people_answers, submitted_at=window.opens_at + timedelta(hours=1)
    )


@pytest.fixture
def evaluation(world) -> Evaluation:
    lead = world.people["lead"]
    plan = services.plan_ensure(programme=world.programme)
    question = services.question_add(plan=plan, text="Did confidence change?", actor=lead)
    indicator = services.indicator_create(
        plan=plan,
        actor=lead,
        name="Improvement confidence",
        definition="GSE total",
        kind=IndicatorKind.SURVEY_SCALE,
        source="Survey",
        collected_when="Baseline and end",
        success_criterion="Median rises",
        question=question,
    )
    item = services.plan_item_create(
        plan=plan,
        actor=lead,
        key="confidence",
        text="I feel able to lead a change.",
        kind=ItemKind.LIKERT5,
        options=[],
    )
    free = services.plan_item_create(
        plan=plan, actor=lead, key="helped", text="What helped?", kind=ItemKind.FREE_TEXT, options=[]
    )
    survey = services.survey_create(
        cohort=world.cohort,
        name="Pilot survey",
        instruments=["instrument.ons4", "instrument.gse"],
        items=[item, free],
        actor=lead,
    )
    now = timezone.now()
    baseline = services.window_create(
        cohort=world.cohort,
        survey=survey,
        label=WindowLabel.BASELINE,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
        actor=lead,
        notify=False,
    )
    end = services.window_create(
        cohort=world.cohort,
        survey=survey,
        label=WindowLabel.END,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        actor=lead,
        notify=False,
    )
    return Evaluation(world, plan, indicator, survey, baseline, end)


def submitted(window, person):
    return Response.objects.filter(window=window, respondent=person, status=ResponseStatus.SUBMITTED).first()
