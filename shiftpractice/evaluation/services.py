"""Writes of the evaluation. Each runs in one transaction and is audited, except that no audit record ever
holds an answer: a response's audit says who saved or submitted which window, nothing more."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shiftpractice.accounts.models import User
from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.content import selectors as content_selectors
from shiftpractice.content import services as content_services
from shiftpractice.core.audit import audit
from shiftpractice.notifications import services as notifications
from shiftpractice.notifications.kinds import Kind as NotificationKind
from shiftpractice.programmes import services as programme_services
from shiftpractice.programmes.choices import MilestoneStatus
from shiftpractice.programmes.models import Milestone, Programme
from shiftpractice.programmes.permissions import is_programme_lead

from . import instruments as inst
from .choices import IndicatorKind, IndicatorState, ItemKind, ResponseStatus
from .models import (
    EvaluationPlan,
    EvaluationQuestion,
    Indicator,
    IndicatorAgreement,
    IndicatorComment,
    PlanChange,
    PlanItem,
    Response,
    Survey,
    SurveyQuestion,
    SurveyWindow,
)
from .permissions import can_agree, is_critical_friend

# Reminders: a survey is announced when its window opens, and again this long before it closes.
CLOSING_REMINDER = timedelta(days=3)

INDICATOR_FIELDS = [
    "name",
    "definition",
    "kind",
    "platform_count",
    "content_ref",
    "source",
    "collected_when",
    "success_criterion",
    "owner",
    "question",
]


# The plan -------------------------------------------------------------------------------------------------


def plan_ensure(*, programme: Programme) -> EvaluationPlan:
    """The programme's plan, made empty the first time anyone opens it (nothing to audit yet)."""
    plan, _ = EvaluationPlan.objects.get_or_create(programme=programme)
    return plan


@transaction.atomic
def plan_settings_update(*, plan: EvaluationPlan, minimum_group: int, actor) -> EvaluationPlan:
    if minimum_group < 2:
        raise ValidationError({"minimum_group": "The minimum must be at least 2 people."})
    before = plan.minimum_group
    plan.minimum_group = minimum_group
    plan.save(update_fields=["minimum_group", "updated_at"])
    audit(actor=actor, verb="evaluation_plan.settings", obj=plan, before=before, after=minimum_group)
    return plan


def _require_reason(plan: EvaluationPlan, reason: str) -> str:
    reason = (reason or "").strip()
    if plan.is_locked and not reason:
        raise ValidationError({"reason": "The plan is locked: say why you are changing it."})
    return reason


@transaction.atomic
def question_add(*, plan: EvaluationPlan, text: str, actor, reason: str = "") -> EvaluationQuestion:
    reason = _require_reason(plan, reason)
    if not text.strip():
        raise ValidationError({"text": "Enter the evaluation question."})
    question = EvaluationQuestion.objects.create(plan=plan, text=text.strip())
    if plan.is_locked:
        PlanChange.objects.create(
            plan=plan, actor=actor, summary=f"Question added: {text[:250]}", reason=reason
        )
    audit(actor=actor, verb="evaluation_question.added", obj=question, summary=text[:200])
    return question


def _check_indicator(indicator: Indicator) -> None:
    if indicator.kind == IndicatorKind.PLATFORM_COUNT and not indicator.platform_count:
        raise ValidationError({"platform_count": "Choose which count the platform should use."})
    if indicator.kind != IndicatorKind.PLATFORM_COUNT:
        indicator.platform_count = ""
    if indicator.question_id and indicator.question.plan_id != indicator.plan_id:
        raise ValidationError({"question": "Choose a question of this plan."})
    if indicator.content_ref:
        item = content_selectors.item_for_ref(indicator.content_ref)
        if item is None or item.kind != "indicator":
            raise ValidationError({"content_ref": "Choose one of the model's indicators."})
    indicator.full_clean()


@transaction.atomic
def indicator_create(*, plan: EvaluationPlan, actor, reason: str = "", **fields) -> Indicator:
    reason = _require_reason(plan, reason)
    indicator = Indicator(plan=plan, created_by=actor, **fields)
    _check_indicator(indicator)
    indicator.save()
    if plan.is_locked:
        PlanChange.objects.create(
            plan=plan,
            indicator=indicator,
            actor=actor,
            summary=f"Indicator added: {indicator.name}",
            reason=reason,
        )
    audit(actor=actor, verb="indicator.created", obj=indicator, summary=indicator.name)
    return indicator


def _snapshot(indicator: Indicator) -> dict:
    return {
        name: (
            str(getattr(indicator, f"{name}_id"))
            if name in {"owner", "question"}
            else getattr(indicator, name)
        )
        for name in INDICATOR_FIELDS
    }


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor, reason: str = "", **fields) -> Indicator:
    """Change an indicator. Agreement was with the old wording, so it is withdrawn and the indicator is
    proposed again; on a locked plan the change needs a reason and is kept in the plan's history."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    plan = indicator.plan
    reason = _require_reason(plan, reason)
    before = _snapshot(indicator)
    for name, value in fields.items():
        setattr(indicator, name, value)
    _check_indicator(indicator)
    changed = sorted(k for k, v in _snapshot(indicator).items() if before[k] != v)
    if not changed:
        return indicator
    if indicator.state != IndicatorState.DRAFT:
        indicator.state = IndicatorState.PROPOSED
        indicator.agreements.all().delete()
        IndicatorAgreement.objects.create(indicator=indicator, person=actor)
    indicator.save()
    if plan.is_locked:
        PlanChange.objects.create(
            plan=plan,
            indicator=indicator,
            actor=actor,
            summary=f"Indicator changed: {indicator.name} ({', '.join(changed)})",
            reason=reason,
            before={k: before[k] for k in changed},
        )
    audit(actor=actor, verb="indicator.updated", obj=indicator, fields=changed, reason=reason)
    return indicator


def _update_state(indicator: Indicator) -> None:
    """Agreed once a lead and a critical friend have both agreed (proposing counts as agreeing)."""
    programme = indicator.plan.programme
    people = [a.person for a in indicator.agreements.select_related("person")]
    lead = any(is_programme_lead(p, programme) for p in people)
    friend = any(is_critical_friend(p, programme) for p in people)
    state = IndicatorState.AGREED if lead and friend else IndicatorState.PROPOSED
    if indicator.state != state:
        indicator.state = state
        indicator.save(update_fields=["state", "updated_at"])


@transaction.atomic
def indicator_propose(*, indicator: Indicator, actor) -> Indicator:
    if not can_agree(actor, indicator.plan.programme):
        raise ValidationError("Only the programme's leads and critical friends can propose indicators.")
    if indicator.state != IndicatorState.DRAFT:
        raise ValidationError("This indicator has already been proposed.")
    indicator.state = IndicatorState.PROPOSED
    indicator.save(update_fields=["state", "updated_at"])
    IndicatorAgreement.objects.get_or_create(indicator=indicator, person=actor)
    _update_state(indicator)
    audit(actor=actor, verb="indicator.proposed", obj=indicator, summary=indicator.name)
    return indicator


@transaction.atomic
def indicator_agree(*, indicator: Indicator, actor) -> Indicator:
    """Record the person's agreement; refused for anyone who is not a critical friend or a lead."""
    if not can_agree(actor, indicator.plan.programme):
        raise ValidationError("Only the programme's critical friends and leads can agree indicators.")
    if indicator.state == IndicatorState.DRAFT:
        raise ValidationError("Propose this indicator before agreeing it.")
    try:
        with transaction.atomic():
            IndicatorAgreement.objects.create(indicator=indicator, person=actor)
    except IntegrityError:
        raise ValidationError("You have already agreed this indicator.") from None
    _update_state(indicator)
    audit(actor=actor, verb="indicator.agreed", obj=indicator, summary=indicator.name)
    return indicator


@transaction.atomic
def indicator_comment(*, indicator: Indicator, actor, text: str) -> IndicatorComment:
    if not can_agree(actor, indicator.plan.programme):
        raise ValidationError("Only the programme's critical friends and leads can comment on indicators.")
    if not text.strip():
        raise ValidationError({"text": "Enter your comment."})
    comment = IndicatorComment.objects.create(indicator=indicator, author=actor, text=text.strip())
    audit(actor=actor, verb="indicator.commented", obj=indicator, summary=indicator.name)
    return comment


@transaction.atomic
def plan_lock(*, plan: EvaluationPlan, milestone: Milestone | None, actor) -> EvaluationPlan:
    """Lock the plan once every indicator is agreed; the milestone chosen is marked done with a link."""
    plan = EvaluationPlan.objects.select_for_update().select_related("programme").get(pk=plan.pk)
    if not is_programme_lead(actor, plan.programme):
        raise ValidationError("Only a programme lead can lock the evaluation plan.")
    if plan.is_locked:
        raise ValidationError("The plan is already locked.")
    indicators = list(plan.indicators.all())
    if not indicators:
        raise ValidationError("Add and agree at least one indicator before locking the plan.")
    waiting = [i.name for i in indicators if i.state != IndicatorState.AGREED]
    if waiting:
        raise ValidationError(f"Every indicator must be agreed first. Not yet agreed: {', '.join(waiting)}.")
    if milestone is not None and milestone.programme_id != plan.programme_id:
        raise ValidationError({"milestone": "Choose a milestone of this programme."})
    plan.locked_at = timezone.now()
    plan.locked_by = actor
    plan.milestone = milestone
    plan.save(update_fields=["locked_at", "locked_by", "milestone", "updated_at"])
    if milestone is not None:
        link = notifications.absolute(reverse("evaluation:plan", args=[plan.programme.slug]))
        milestone.status = MilestoneStatus.DONE
        milestone.evidence = (
            f"Evaluation plan agreed with the critical friends and locked on "
            f"{timezone.localdate():%-d %B %Y} ({len(indicators)} indicators): {link}"
        )
        programme_services.milestone_save(milestone=milestone, actor=actor)
    audit(actor=actor, verb="evaluation_plan.locked", obj=plan, indicators=len(indicators))
    return plan


@transaction.atomic
def plan_item_create(
    *, plan: EvaluationPlan, actor, key: str, text: str, kind: str, options: list
) -> PlanItem:
    options = [o.strip() for o in options if o.strip()]
    if kind in {ItemKind.SINGLE, ItemKind.MULTIPLE} and len(options) < 2:
        raise ValidationError({"options": "Give at least two choices, one a line."})
    if len(set(options)) != len(options):
        raise ValidationError({"options": "Each choice must be different."})
    if plan.items.filter(key=key).exists():
        raise ValidationError({"key": "This programme already has a question with that short name."})
    item = PlanItem(
        plan=plan, key=key, text=text, kind=kind, options=options if kind in {"single", "multiple"} else []
    )
    item.full_clean()
    item.save()
    audit(actor=actor, verb="plan_item.created", obj=item, summary=text[:200])
    return item


# Surveys ---------------------------------------------------------------------------------------------------


def survey_instruments(cohort: Cohort) -> list:
    """Instruments a survey for this cohort may use: its model version's, licence-gated ones only once the
    organisation has recorded its licence (the content app decides)."""
    view = content_selectors.model_for_cohort(cohort)
    if view is None:
        return []
    usable = [i for i in view.instruments if inst.usable_for_surveys(i)]
    licences = content_selectors.licence_records(i.slug for i in usable)
    return [i for i in usable if content_services.is_enabled(i, licences)]


def _build_questions(survey: Survey, cohort: Cohort, instrument_slugs, items) -> None:
    allowed = {i.slug: i for i in survey_instruments(cohort)}
    unknown = [s for s in instrument_slugs if s not in allowed]
    if unknown:
        raise ValidationError({"instruments": f"Not available for {cohort.name}: {', '.join(unknown)}."})
    if not instrument_slugs and not items:
        raise ValidationError("Choose at least one instrument or question.")
    specs = [q for slug in instrument_slugs for q in inst.instrument_questions(allowed[slug])]
    specs += [inst.plan_item_question(item) for item in items]
    survey.questions.all().delete()
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            survey=survey,
            position=n,
            key=s.key,
            section=s.section,
            instrument_ref=s.instrument_ref,
            text=s.text[:400],
            kind=s.kind,
            scale_min=s.scale_min,
            scale_max=s.scale_max,
            options=s.options,
            lower_is_better=s.lower_is_better,
        )
        for n, s in enumerate(specs, start=1)
    )


@transaction.atomic
def survey_create(*, cohort: Cohort, name: str, instruments: list[str], items: list, actor) -> Survey:
    """A survey from the cohort's model version's instruments and the plan's own items."""
    view = content_selectors.model_for_cohort(cohort)
    if view is None:
        raise ValidationError("There is no published model version to build a survey from.")
    if Survey.objects.filter(programme=cohort.programme, name=name).exists():
        raise ValidationError({"name": "This programme already has a survey with that name."})
    survey = Survey.objects.create(
        programme=cohort.programme, name=name, model_version=view.version, created_by=actor
    )
    _build_questions(survey, cohort, instruments, items)
    audit(actor=actor, verb="survey.created", obj=survey, summary=name, instruments=instruments)
    return survey


@transaction.atomic
def survey_update(
    *, survey: Survey, cohort: Cohort, name: str, instruments: list[str], items: list, actor
) -> Survey:
    """Change a survey nobody has answered; once anyone has, refuse (make a new survey instead)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if Response.objects.filter(window__survey=survey).exists():
        raise ValidationError(
            "People have already answered this survey, so it cannot change: make a new survey instead."
        )
    if Survey.objects.filter(programme=survey.programme, name=name).exclude(pk=survey.pk).exists():
        raise ValidationError({"name": "This programme already has a survey with that name."})
    survey.name = name
    survey.save(update_fields=["name", "updated_at"])
    _build_questions(survey, cohort, instruments, items)
    audit(actor=actor, verb="survey.updated", obj=survey, summary=name, instruments=instruments)
    return survey


@transaction.atomic
def window_create(
    *, cohort: Cohort, survey: Survey, label: str, opens_at, closes_at, actor, notify: bool = True
) -> SurveyWindow:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": "The window must close after it opens."})
    if survey.programme_id != cohort.programme_id:
        raise ValidationError({"survey": "Choose a survey of this cohort's programme."})
    refs = set(survey.questions.exclude(instrument_ref="").values_list("instrument_ref", flat=True))
    view = content_selectors.model_for_cohort(cohort)
    in_version = {i.ref for i in view.items} if view else set()
    if refs - in_version:
        raise ValidationError(
            {"survey": f"{cohort.name} uses a model version without {', '.join(sorted(refs - in_version))}."}
        )
    if SurveyWindow.objects.filter(cohort=cohort, label=label).exists():
        raise ValidationError({"label": f"{cohort.name} already has a window with this label."})
    window = SurveyWindow(cohort=cohort, survey=survey, label=label, opens_at=opens_at, closes_at=closes_at)
    window.full_clean()
    window.save()
    audit(actor=actor, verb="survey_window.created", obj=window, summary=str(window))
    if notify:
        # A cohort of any size is told by one background task, off the request (issue 19: fan-out).
        from .tasks import send_window_reminders

        transaction.on_commit(lambda: send_window_reminders.enqueue(window_id=window.pk))
    return window


# Responses -------------------------------------------------------------------------------------------------


def _check_answers(questions, answers: dict) -> dict:
    problems = {}
    for q in questions:
        problem = inst.answer_problem(q, answers.get(q.key))
        if problem:
            problems[q.key] = problem
    unknown = set(answers) - {q.key for q in questions}
    if unknown:
        problems["__all__"] = "Some answers are not questions of this survey."
    if problems:
        raise ValidationError(problems)
    return {q.key: answers[q.key] for q in questions if answers.get(q.key) not in (None, "", [])}


SAVE_DRAFT, SUBMIT, SAVE_CHANGES = "draft", "submit", "update"


@transaction.atomic
def response_save(
    *,
    window: SurveyWindow,
    respondent,
    answers: dict,
    consent: bool,
    action: str,
    revision: int | None = None,
) -> Response:
    """Save a participant's own answers: as a draft, submitted (once), or changed after submitting, always
    before the window closes. Nothing is written when anything is wrong."""
    now = timezone.now()
    if not Membership.objects.filter(cohort=window.cohort, user=respondent, role=Role.PARTICIPANT).exists():
        raise ValidationError("Only participants of this cohort answer this survey.")
    if now < window.opens_at:
        raise ValidationError(
            f"This survey opens on {timezone.localtime(window.opens_at):%-d %B %Y at %H:%M}."
        )
    if window.is_closed(now):
        raise ValidationError(
            f"This survey closed on {timezone.localtime(window.closes_at):%-d %B %Y at %H:%M}: "
            "answers can no longer be saved or changed."
        )
    if not consent:
        raise ValidationError(
            {"consent": "Confirm that you have read how your answers are used, to take part."}
        )
    questions = list(window.survey.questions.all())
    clean = _check_answers(questions, answers)
    response = Response.objects.select_for_update().filter(window=window, respondent=respondent).first()
    if response is not None and revision is not None and response.revision != revision:
        raise ValidationError(
            "Your answers were changed in another tab or window since you opened this page. "
            "Open the survey again to see them."
        )
    if action == SUBMIT and response is not None and response.status == ResponseStatus.SUBMITTED:
        raise ValidationError(
            "You have already submitted your answers for this survey. You can change them until it closes."
        )
    if action == SAVE_CHANGES and (response is None or response.status != ResponseStatus.SUBMITTED):
        raise ValidationError("Submit your answers first.")
    if action == SAVE_DRAFT and response is not None and response.status == ResponseStatus.SUBMITTED:
        raise ValidationError("Your answers are already submitted: save your changes instead.")
    instruments = {
        i.slug: i
        for i in content_selectors.items_for_refs(
            {q.instrument_ref for q in questions if q.instrument_ref}
        ).values()
    }
    if response is None:
        response = Response(window=window, respondent=respondent, consented_at=now, revision=0)
    response.answers = clean
    response.scores = inst.score(questions, clean, instruments)
    response.revision += 1
    if action == SUBMIT:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = now
    response.save()
    for ref in {q.instrument_ref for q in questions if q.instrument_ref}:
        content_services.reference_record(ref=ref, obj=response)
    # Who and which window only: never an answer.
    audit(actor=respondent, verb=f"survey_response.{action}", obj=response, window=str(window.public_id))
    return response


@transaction.atomic
def responses_load_past(*, window: SurveyWindow, answers_by_person: dict, submitted_at) -> int:
    """Load answers given in the past (the demo, or answers collected on paper), submitted, scored and
    checked exactly as a live submission is, but without the window's dates. Skips people who already have a
    response; returns how many were created. Audited per response, without the answers."""
    questions = list(window.survey.questions.all())
    instruments = {
        i.slug: i
        for i in content_selectors.items_for_refs(
            {q.instrument_ref for q in questions if q.instrument_ref}
        ).values()
    }
    existing = set(Response.objects.filter(window=window).values_list("respondent_id", flat=True))
    made = 0
    for person, answers in answers_by_person.items():
        if person.pk in existing:
            continue
        if not Membership.objects.filter(cohort=window.cohort, user=person, role=Role.PARTICIPANT).exists():
            raise ValidationError(f"{person} is not a participant of {window.cohort}.")
        clean = _check_answers(questions, answers)
        response = Response.objects.create(
            window=window,
            respondent=person,
            status=ResponseStatus.SUBMITTED,
            answers=clean,
            scores=inst.score(questions, clean, instruments),
            consented_at=submitted_at,
            submitted_at=submitted_at,
        )
        for ref in {q.instrument_ref for q in questions if q.instrument_ref}:
            content_services.reference_record(ref=ref, obj=response)
        audit(actor=None, verb="survey_response.loaded", obj=response, window=str(window.public_id))
        made += 1
    return made


# Reminders -------------------------------------------------------------------------------------------------


def window_reminders_send(*, windows=None, now=None) -> int:
    """Tell each participant who has not submitted that a window is open, once, and again once when it is
    about to close. Safe to run twice: the notification ledger keeps each reminder to once."""
    now = now or timezone.now()
    if windows is None:
        windows = list(SurveyWindow.objects.open_at(now).select_related("cohort", "survey"))
    sent = 0
    for window in windows:
        if not window.is_open(now):
            continue
        done = set(
            Response.objects.filter(window=window, status=ResponseStatus.SUBMITTED).values_list(
                "respondent_id", flat=True
            )
        )
        people = User.objects.filter(
            memberships__cohort=window.cohort, memberships__role=Role.PARTICIPANT
        ).exclude(pk__in=done)
        closes = timezone.localtime(window.closes_at)
        closing = window.closes_at - now <= CLOSING_REMINDER
        label = f"{window.cohort.name}, {window.get_label_display().lower()}"
        # Each person once per window and stage, in a fixed number of queries whatever the cohort's size.
        with transaction.atomic():
            sent += len(
                notifications.notify_each_once(
                    recipients=people,
                    kind=NotificationKind.SURVEY_OPEN,
                    key=f"survey:{window.public_id}:{'closing' if closing else 'open'}",
                    title=f"Survey closing soon: {label}" if closing else f"Survey open: {label}",
                    body=f"It takes about 10 minutes and is voluntary. It closes on {closes:%-d %B %Y at %H:%M}.",
                    url=reverse("evaluation:respond", args=[window.public_id]),
                )
            )
    return sent
