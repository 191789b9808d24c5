"""Demo evaluation for the pilot: an agreed and locked plan, one survey, and baseline, end and follow-up windows.

Written through the evaluation services and found again by natural keys, so loading twice changes nothing.
Answers are generated from a fixed seed: realistic small changes, some people better, some the same, one or
two worse. Cohort 2's baseline is kept open (it closes three weeks after loading) and one participant, the
physiotherapist, has not answered it yet, so a demo visitor can try the survey; four others have.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from shiftpractice.content import selectors as content_selectors
from shiftpractice.evaluation import services
from shiftpractice.evaluation.choices import (
    IndicatorKind,
    IndicatorState,
    ItemKind,
    PlatformCount,
    WindowLabel,
)
from shiftpractice.evaluation.models import Indicator, PlanItem, Survey, SurveyWindow
from shiftpractice.programmes.models import Milestone

LONDON = ZoneInfo("Europe/London")
SURVEY_NAME = "Pilot survey: wellbeing, confidence and change"
PARTICIPANTS = {
    "cohort-1": ["gp", "commissioner", "trust-manager", "ward-sister", "pharmacist"],
    "cohort-2": ["physio", "public-health", "midwife", "estates", "practice-nurse"],
}
# Who did not answer the follow-up (7 of 10 did), and who has yet to answer cohort 2's open baseline.
NO_FOLLOW_UP = {"pharmacist", "estates", "practice-nurse"}
BASELINE_TO_TRY = "physio"

QUESTIONS = [
    "Did taking part change how confident people feel about leading change for sustainability at work?",
    "Did people test changes that looked at their work through the sustainability lenses?",
    "How did taking part affect people's wellbeing?",
]

# name, question index, kind, count, definition, source, when, success criterion, model indicator slug
INDICATORS = [
    (
        "Improvement confidence",
        0,
        IndicatorKind.SURVEY_SCALE,
        "",
        "General Self-Efficacy Scale total (10 to 40) at baseline and end, paired by person.",
        "Survey: General Self-Efficacy Scale",
        "Baseline, end and follow-up",
        "The median total rises between baseline and end, and more people improve than get worse.",
        "indicator.improvement-confidence",
    ),
    (
        "Confidence to lead a change for sustainability",
        0,
        IndicatorKind.SURVEY_ITEM,
        "",
        "Agreement (1 to 5) with 'I feel able to lead a change for sustainability at work'.",
        "Survey: programme question",
        "Baseline, end and follow-up",
        "At the end, most people agree or strongly agree.",
        "",
    ),
    (
        "PDSA cycles completed (systems lens)",
        1,
        IndicatorKind.PLATFORM_COUNT,
        PlatformCount.PDSA_CYCLES,
        "PDSA cycles completed on projects that use the systems lens, by the end of each cohort.",
        "The platform's PDSA records",
        "At the end of each cohort",
        "Every participant completes at least one cycle.",
        "",
    ),
    (
        "Equality and social impact of projects",
        1,
        IndicatorKind.QUALITATIVE,
        "",
        "Who benefits and who might lose out from each project, from the projects' social impact records "
        "and the equity flag.",
        "Project sustainable value records; coach conversations",
        "At the end of each phase",
        "Every project has considered who benefits and who might lose out.",
        "",
    ),
    (
        "Carbon saved by projects (ecology lens)",
        1,
        IndicatorKind.MEASURE_ROLLUP,
        "",
        "Estimated kg CO2e a year saved across projects, always as a range.",
        "Project carbon activities",
        "At the end of each phase",
        "At least half of the projects estimate a saving, with its range.",
        "indicator.sustainable-value",
    ),
    (
        "Wellbeing (resilience lens)",
        2,
        IndicatorKind.SURVEY_SCALE,
        "",
        "ONS4: each of the four questions reported separately, at baseline, end and follow-up.",
        "Survey: ONS personal wellbeing (ONS4)",
        "Baseline, end and follow-up",
        "No fall in the medians; anxiety does not rise.",
        "indicator.wellbeing",
    ),
]

ITEMS = [
    ("confidence", "I feel able to lead a change for sustainability at work.", ItemKind.LIKERT5),
    ("helped", "What has helped, or got in the way of, the change you are making?", ItemKind.FREE_TEXT),
]

HELPED = [
    "Having a coach to talk it through with.",
    "My manager backing the first test of change.",
    "Time is the main barrier; the peer group kept me going.",
    "Seeing the run chart move helped convince colleagues.",
    "Other people in my triad facing the same problems.",
]


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def _plan(programme, team):
    plan = services.plan_ensure(programme=programme)
    lead, friends = team["lead"], [team["friend1"], team["friend2"]]
    questions = list(plan.questions.all())
    if not questions:
        questions = [services.question_add(plan=plan, text=t, actor=lead) for t in QUESTIONS]
    version = content_selectors.current_version()
    view = content_selectors.model_view(version) if version else None
    for name, q, kind, count, definition, source, when, success, slug in INDICATORS:
        if Indicator.objects.filter(plan=plan, name=name).exists():
            continue
        indicator = services.indicator_create(
            plan=plan,
            actor=lead,
            name=name,
            question=questions[q],
            kind=kind,
            platform_count=count,
            content_ref=(view.ref(slug) or "") if view and slug else "",
            definition=definition,
            source=source,
            collected_when=when,
            success_criterion=success,
            owner=friends[1] if kind in {IndicatorKind.SURVEY_SCALE, IndicatorKind.SURVEY_ITEM} else lead,
        )
        services.indicator_propose(indicator=indicator, actor=lead)
        for friend in friends:
            services.indicator_agree(indicator=indicator, actor=friend)
    for key, text, kind in ITEMS:
        if not PlanItem.objects.filter(plan=plan, key=key).exists():
            services.plan_item_create(plan=plan, actor=lead, key=key, text=text, kind=kind, options=[])
    if not plan.is_locked and all(i.state == IndicatorState.AGREED for i in plan.indicators.all()):
        milestone = Milestone.objects.filter(programme=programme, title__icontains="indicators").first()
        services.plan_lock(plan=plan, milestone=milestone, actor=lead)
    return plan


def _gse_items(rng, total: int) -> list[int]:
    """Ten answers from 1 to 4 adding up to ``total`` (10 to 40)."""
    values = [1] * 10
    for _ in range(total - 10):
        choices = [n for n in range(10) if values[n] < 4]
        values[rng.choice(choices)] += 1
    return values


def _answers(survey, rng, level: dict) -> dict:
    answers = {}
    for q in survey.questions.all():
        section, key = q.key.split(":", 1)
        if q.kind == "free_text":
            answers[q.key] = rng.choice(HELPED)
        elif section == "instrument.gse":
            continue
        else:
            answers[q.key] = max(q.scale_min, min(q.scale_max, level[key]))
    for n, value in enumerate(_gse_items(rng, level["gse"]), start=1):
        answers[f"instrument.gse:item{n}"] = value
    return answers


def _levels(rng) -> list[dict]:
    """A person's levels at baseline, end and follow-up: mostly small gains, sometimes none or a dip."""
    base = {
        "life_satisfaction": rng.randint(5, 8),
        "worthwhile": rng.randint(6, 8),
        "happy_yesterday": rng.randint(5, 8),
        "anxious_yesterday": rng.randint(3, 6),
        "gse": rng.randint(25, 32),
        "confidence": rng.randint(2, 3),
    }
    end = {
        "life_satisfaction": base["life_satisfaction"] + rng.choice([0, 0, 1, 1, 2]),
        "worthwhile": base["worthwhile"] + rng.choice([0, 1, 1, 2]),
        "happy_yesterday": base["happy_yesterday"] + rng.choice([-1, 0, 1, 1]),
        "anxious_yesterday": base["anxious_yesterday"] - rng.choice([-1, 0, 1, 1, 2]),
        "gse": min(40, base["gse"] + rng.choice([-1, 1, 2, 3, 4])),
        "confidence": min(5, base["confidence"] + rng.choice([1, 1, 2])),
    }
    follow = {k: v - rng.choice([0, 0, 1]) if k != "anxious_yesterday" else v for k, v in end.items()}
    return [base, end, follow]


def _windows(cohorts, survey, lead) -> dict:
    now = timezone.now()
    spec = {
        "cohort-1": [
            (WindowLabel.BASELINE, _at(date(2021, 6, 14)), _at(date(2021, 6, 30))),
            (WindowLabel.END, _at(date(2021, 9, 23)), _at(date(2021, 10, 8))),
            (WindowLabel.FOLLOW_UP, _at(date(2021, 12, 23)), _at(date(2022, 1, 14))),
        ],
        "cohort-2": [
            # Kept open for the demo: a participant can still answer it.
            (WindowLabel.BASELINE, _at(date(2021, 10, 14)), now + timedelta(days=21)),
            (WindowLabel.END, _at(date(2022, 1, 13)), _at(date(2022, 1, 31))),
            (WindowLabel.FOLLOW_UP, _at(date(2022, 4, 13)), _at(date(2022, 5, 4))),
        ],
    }
    windows = {}
    for slug, rows in spec.items():
        for label, opens, closes in rows:
            window = SurveyWindow.objects.filter(cohort=cohorts[slug], label=label).first()
            if window is None:
                window = services.window_create(
                    cohort=cohorts[slug],
                    survey=survey,
                    label=label,
                    opens_at=opens,
                    closes_at=closes,
                    actor=lead,
                    notify=False,
                )
            windows[(slug, label)] = window
    return windows


def load_demo_evaluation(*, programme, team, people, cohorts) -> None:
    """The plan, the survey, its windows and the answers (idempotent)."""
    plan = _plan(programme, team)
    survey = Survey.objects.filter(programme=programme, name=SURVEY_NAME).first()
    if survey is None:
        survey = services.survey_create(
            cohort=cohorts["cohort-1"],
            name=SURVEY_NAME,
            instruments=["instrument.ons4", "instrument.gse"],
            items=list(plan.items.order_by("created_at")),
            actor=team["lead"],
        )
    windows = _windows(cohorts, survey, team["lead"])
    for slug, keys in PARTICIPANTS.items():
        by_label = {WindowLabel.BASELINE: {}, WindowLabel.END: {}, WindowLabel.FOLLOW_UP: {}}
        for key in keys:
            rng = random.Random(f"{slug}:{key}")
            levels = _levels(rng)
            person = people[key]
            if not (slug == "cohort-2" and key == BASELINE_TO_TRY):
                by_label[WindowLabel.BASELINE][person] = _answers(survey, rng, levels[0])
            by_label[WindowLabel.END][person] = _answers(survey, rng, levels[1])
            if key not in NO_FOLLOW_UP:
                by_label[WindowLabel.FOLLOW_UP][person] = _answers(survey, rng, levels[2])
        for label, answers in by_label.items():
            window = windows[(slug, label)]
            services.responses_load_past(
                window=window,
                answers_by_person=answers,
                submitted_at=min(window.closes_at, timezone.now()) - timedelta(days=2),
            )
