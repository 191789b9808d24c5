"""Reads of the evaluation, each with a fixed number of queries whatever the number of respondents.

``paired_results`` is the only reader of other people's answers, and it returns aggregates only: counts,
medians and the paired analysis, each suppressed below the plan's minimum number of people.
"""

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.content import selectors as content_selectors

from . import instruments as inst
from .analysis import AnalysisInputError, analyse
from .choices import WINDOW_PAIRS, QuestionKind, ResponseStatus, WindowLabel
from .models import (
    EvaluationPlan,
    Indicator,
    IndicatorAgreement,
    IndicatorComment,
    Response,
    Survey,
    SurveyQuestion,
    SurveyWindow,
)


def plan_indicators(plan: EvaluationPlan) -> list[Indicator]:
    """The plan's indicators with their question, owner, agreements and comments (three queries)."""
    return list(
        plan.indicators.select_related("question", "owner")
        .prefetch_related(
            Prefetch("agreements", queryset=IndicatorAgreement.objects.select_related("person")),
            Prefetch("comments", queryset=IndicatorComment.objects.select_related("author")),
        )
        .order_by("created_at", "id")
    )


def awaiting(indicators: list[Indicator], user) -> list[Indicator]:
    """Proposed indicators this person has not agreed yet (uses the prefetch)."""
    return [
        i
        for i in indicators
        if i.state == "proposed" and all(a.person_id != user.pk for a in i.agreements.all())
    ]


def survey_list(programme) -> list[Survey]:
    return list(
        Survey.objects.filter(programme=programme)
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("created_at")
    )


def windows_with_rates(*, cohorts=None, programme=None) -> list[SurveyWindow]:
    """Windows with how many participants there are and how many submitted (one query)."""
    qs = SurveyWindow.objects.select_related("cohort", "survey")
    qs = qs.filter(cohort__in=cohorts) if cohorts is not None else qs.filter(cohort__programme=programme)
    windows = list(
        qs.annotate(
            submitted=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED), distinct=True),
            participants=Count(
                "cohort__memberships", filter=Q(cohort__memberships__role=Role.PARTICIPANT), distinct=True
            ),
        ).order_by("cohort__start_date", "opens_at")
    )
    for w in windows:
        w.rate = round(100 * w.submitted / w.participants) if w.participants else None
    return windows


def who_answered(window: SurveyWindow) -> list[tuple[str, bool]]:
    """(name, submitted?) for each participant of the window's cohort: never what they answered."""
    submitted = set(
        Response.objects.filter(window=window, status=ResponseStatus.SUBMITTED).values_list(
            "respondent_id", flat=True
        )
    )
    members = Membership.objects.filter(cohort=window.cohort, role=Role.PARTICIPANT).select_related("user")
    return sorted(((m.user.full_name, m.user_id in submitted) for m in members), key=lambda r: r[0])


def open_windows_for(user) -> list[SurveyWindow]:
    """Open windows of the person's cohorts (as a participant) with their own response, if any (two queries)."""
    cohort_ids = Membership.objects.filter(user=user, role=Role.PARTICIPANT).values("cohort_id")
    windows = list(
        SurveyWindow.objects.open_at()
        .filter(cohort_id__in=cohort_ids)
        .select_related("cohort", "survey")
        .order_by("closes_at")
    )
    own = {r.window_id: r for r in Response.objects.filter(respondent=user, window__in=windows)}
    for w in windows:
        w.own_response = own.get(w.id)
    return windows


def own_responses(user) -> list[Response]:
    """The person's own responses, oldest window first."""
    return list(
        Response.objects.filter(respondent=user)
        .select_related("window__cohort", "window__survey")
        .order_by("window__opens_at")
    )


def own_answer_rows(user) -> list[list]:
    """The person's own answers as rows (cohort, window, status, submitted, question, answer); two queries."""
    responses = own_responses(user)
    questions = SurveyQuestion.objects.filter(survey_id__in={r.window.survey_id for r in responses})
    by_survey: dict[int, list] = {}
    for q in questions.order_by("position"):
        by_survey.setdefault(q.survey_id, []).append(q)
    rows = []
    for r in responses:
        for q in by_survey.get(r.window.survey_id, []):
            value = r.answers.get(q.key, "")
            rows.append(
                [
                    r.window.cohort.name,
                    r.window.get_label_display(),
                    r.get_status_display(),
                    r.submitted_at.date().isoformat() if r.submitted_at else "",
                    q.text,
                    "; ".join(value) if isinstance(value, list) else value,
                ]
            )
    return rows


# Results ---------------------------------------------------------------------------------------------------


@dataclass
class SeriesResult:
    series: inst.Series
    n_people: int = 0
    n_pairs: int = 0
    n_missing: int = 0
    suppressed: bool = True
    improved: int = 0
    same: int = 0
    worse: int = 0
    median_before: float | None = None
    median_after: float | None = None
    analysis: object = None
    problem: str = ""

    @property
    def position_before(self) -> float | None:
        return _position(self.series, self.median_before)

    @property
    def position_after(self) -> float | None:
        return _position(self.series, self.median_after)


def _position(series, value) -> float | None:
    if value is None or series.high == series.low:
        return None
    return max(0.0, min(1.0, (value - series.low) / (series.high - series.low)))


@dataclass
class PairResults:
    before: str
    after: str
    minimum: int
    windows_before: list = field(default_factory=list)
    windows_after: list = field(default_factory=list)
    rows: list[SeriesResult] = field(default_factory=list)

    @property
    def before_label(self) -> str:
        return WindowLabel(self.before).label

    @property
    def after_label(self) -> str:
        return WindowLabel(self.after).label

    @property
    def shown(self) -> list[SeriesResult]:
        return [r for r in self.rows if not r.suppressed]


def _value(scores: dict, series: inst.Series):
    value = (scores.get(series.section) or {}).get(series.key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def paired_results(
    *, plan: EvaluationPlan, before: str, after: str, cohort: Cohort | None = None
) -> PairResults:
    """Aggregates of every scored question between two windows, for one cohort or the whole programme.

    People are paired within their cohort; the series come from the surveys of the "after" windows. Queries:
    windows, questions, instruments, responses (one each), whatever the number of people.
    """
    result = PairResults(before=before, after=after, minimum=plan.minimum_group)
    windows = SurveyWindow.objects.filter(label__in=[before, after]).select_related("cohort", "survey")
    windows = (
        windows.filter(cohort=cohort) if cohort else windows.filter(cohort__programme_id=plan.programme_id)
    )
    windows = list(windows.order_by("cohort__start_date"))
    result.windows_before = [w for w in windows if w.label == before]
    result.windows_after = [w for w in windows if w.label == after]
    if not result.windows_before or not result.windows_after:
        return result
    survey_ids = {w.survey_id for w in result.windows_after}
    questions = list(
        SurveyQuestion.objects.filter(survey_id__in=survey_ids).order_by("survey_id", "position")
    )
    refs = {q.instrument_ref for q in questions if q.instrument_ref}
    instruments = {i.slug: i for i in content_selectors.items_for_refs(refs).values()}
    series_list, seen = [], set()
    for s in inst.result_series(questions, instruments):
        if (s.section, s.key) not in seen:
            seen.add((s.section, s.key))
            series_list.append(s)
    label_of = {w.id: w.label for w in windows}
    cohort_of = {w.id: w.cohort_id for w in windows}
    people: dict[tuple[int, int], dict[str, dict]] = {}
    rows = Response.objects.filter(window_id__in=list(label_of), status=ResponseStatus.SUBMITTED).values_list(
        "window_id", "respondent_id", "scores"
    )
    for window_id, respondent_id, scores in rows.iterator(chunk_size=2000):
        people.setdefault((cohort_of[window_id], respondent_id), {})[label_of[window_id]] = scores
    for series in series_list:
        result.rows.append(_series_result(series, people, before, after, plan.minimum_group))
    return result


def _series_result(series, people, before, after, minimum) -> SeriesResult:
    pairs_b, pairs_a = [], []
    for answers in people.values():
        b = _value(answers.get(before, {}), series)
        a = _value(answers.get(after, {}), series)
        if b is None and a is None:
            continue
        pairs_b.append(b)
        pairs_a.append(a)
    row = SeriesResult(series=series, n_people=len(pairs_b))
    complete = [(b, a) for b, a in zip(pairs_b, pairs_a, strict=True) if b is not None and a is not None]
    row.n_pairs = len(complete)
    row.n_missing = row.n_people - row.n_pairs
    if row.n_pairs < minimum:
        return row
    row.suppressed = False
    up = sum(1 for b, a in complete if a > b)
    down = sum(1 for b, a in complete if a < b)
    row.same = row.n_pairs - up - down
    row.improved, row.worse = (down, up) if series.lower_is_better else (up, down)
    row.median_before = statistics.median(b for b, _ in complete)
    row.median_after = statistics.median(a for _, a in complete)
    try:
        row.analysis = analyse(pairs_b, pairs_a)
    except AnalysisInputError as err:
        row.problem = str(err).split(": ", 1)[-1]
    return row


def available_pairs(plan: EvaluationPlan, cohort: Cohort | None = None) -> list[tuple[str, str]]:
    """The window pairs that exist for the programme (or cohort), in the standard order (one query)."""
    qs = SurveyWindow.objects.filter(cohort__programme_id=plan.programme_id)
    if cohort:
        qs = qs.filter(cohort=cohort)
    labels = set(qs.values_list("label", flat=True))
    return [(b, a) for b, a in WINDOW_PAIRS if b in labels and a in labels]


def free_text_answers(window: SurveyWindow, minimum: int) -> tuple[list[tuple[str, list[str]]], int]:
    """Free-text answers of a closed window, per question, without names and in alphabetical order (so the
    order gives nobody away); nothing while the window is open or when fewer than ``minimum`` answered."""
    if not window.is_closed(timezone.now()):
        return [], 0
    questions = list(window.survey.questions.filter(kind=QuestionKind.FREE_TEXT))
    answers = list(
        Response.objects.filter(window=window, status=ResponseStatus.SUBMITTED).values_list(
            "answers", flat=True
        )
    )
    if len(answers) < minimum:
        return [], len(answers)
    out = []
    for q in questions:
        texts = sorted(
            a[q.key].strip() for a in answers if isinstance(a.get(q.key), str) and a[q.key].strip()
        )
        out.append((q.text, texts))
    return out, len(answers)


def own_series(user) -> tuple[list[inst.Series], list[Response], dict]:
    """The person's own submitted scores over time: series, responses and {(section, key): [value per response]}."""
    responses = [r for r in own_responses(user) if r.status == ResponseStatus.SUBMITTED]
    survey_ids = {r.window.survey_id for r in responses}
    questions = list(
        SurveyQuestion.objects.filter(survey_id__in=survey_ids).order_by("survey_id", "position")
    )
    refs = {q.instrument_ref for q in questions if q.instrument_ref}
    instruments = {i.slug: i for i in content_selectors.items_for_refs(refs).values()}
    series, seen = [], set()
    for s in inst.result_series(questions, instruments):
        if (s.section, s.key) not in seen:
            seen.add((s.section, s.key))
            series.append(s)
    values = {(s.section, s.key): [_value(r.scores, s) for r in responses] for s in series}
    return series, responses, values
