"""Pages of the evaluation: thin views (authorise through ``permissions``, parse, call a service, respond)."""

import csv
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from shiftpractice.accounts.models import User
from shiftpractice.cohorts.selectors import choose_cohort
from shiftpractice.content import selectors as content_selectors
from shiftpractice.core import paging
from shiftpractice.core.forms import add_service_errors
from shiftpractice.core.views import form_page as core_form_page
from shiftpractice.programmes.permissions import is_programme_lead

from . import charts, permissions, selectors, services
from .choices import WINDOW_PAIRS, ResponseStatus, WindowLabel
from .forms import (
    CommentForm,
    IndicatorForm,
    LockForm,
    PlanItemForm,
    PlanSettingsForm,
    QuestionForm,
    ResponseForm,
    SurveyForm,
    WindowForm,
)
from .models import Response, Survey

# Invalid posts answer 400, so tests and tools can tell a refusal from a page.
form_page = partial(core_form_page, error_status=400)


def _plan(request, slug, *, lead=False):
    programme = permissions.get_programme_for_evaluation(request.user, slug, lead=lead)
    return programme, services.plan_ensure(programme=programme)


def _model_indicators(programme):
    cohort = programme.cohorts.order_by("-start_date").first()
    view = content_selectors.model_for_cohort(cohort) if cohort else None
    if view is None:
        version = content_selectors.current_version()
        view = content_selectors.model_view(version) if version else None
    return view.indicators if view else []


def _owners(programme):
    return User.objects.filter(
        id__in=list(programme.leads.values_list("id", flat=True))
        + list(
            programme.cohorts.filter(memberships__role__in=["critical_friend", "coach"]).values_list(
                "memberships__user_id", flat=True
            )
        )
    ).order_by("full_name")


# The plan --------------------------------------------------------------------------------------------------


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme, plan = _plan(request, slug)
    indicators = selectors.plan_indicators(plan)
    by_question = {}
    for i in indicators:
        by_question.setdefault(i.question_id, []).append(i)
    questions = list(plan.questions.all())
    for q in questions:
        q.indicator_list = by_question.get(q.id, [])
    return render(
        request,
        "evaluation/plan.html",
        {
            "programme": programme,
            "plan": plan,
            "questions": questions,
            "unlinked": by_question.get(None, []),
            "indicators": indicators,
            "awaiting": selectors.awaiting(indicators, request.user),
            "is_lead": is_programme_lead(request.user, programme),
            "changes": list(plan.changes.select_related("actor", "indicator")),
            "items": list(plan.items.all()),
        },
    )


def plan_settings(request: HttpRequest, slug: str) -> HttpResponse:
    _, plan = _plan(request, slug, lead=True)
    form = PlanSettingsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_settings_update(
                plan=plan, minimum_group=form.cleaned_data["minimum_group"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect(plan)
    return form_page(request, form, title="Evaluation settings", back_url=plan.get_absolute_url())


def question_add(request: HttpRequest, slug: str) -> HttpResponse:
    _, plan = _plan(request, slug)
    form = QuestionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Question added.")
            return redirect(plan)
    return form_page(request, form, title="Add an evaluation question", back_url=plan.get_absolute_url())


def indicator_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme, plan = _plan(request, slug)
    form = IndicatorForm(
        request.POST or None,
        plan=plan,
        model_indicators=_model_indicators(programme),
        owners=_owners(programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                plan=plan,
                actor=request.user,
                reason=form.cleaned_data.get("reason", ""),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{indicator.name} is saved as a draft.")
            return redirect(indicator)
    return form_page(
        request, form, title="Add an indicator", back_url=plan.get_absolute_url(), submit="Save draft"
    )


def indicator_detail(request: HttpRequest, public_id) -> HttpResponse:
    indicator = permissions.get_indicator_for_user(request.user, public_id)
    programme = indicator.plan.programme
    agreements = list(indicator.agreements.select_related("person"))
    return render(
        request,
        "evaluation/indicator.html",
        {
            "indicator": indicator,
            "programme": programme,
            "plan": indicator.plan,
            "agreements": agreements,
            "has_agreed": any(a.person_id == request.user.pk for a in agreements),
            "comments": list(indicator.comments.select_related("author")),
            "comment_form": CommentForm(),
            "can_agree": permissions.can_agree(request.user, programme),
            "model_item": content_selectors.item_for_ref(indicator.content_ref)
            if indicator.content_ref
            else None,
            "changes": list(indicator.changes.select_related("actor")),
        },
    )


def indicator_edit(request: HttpRequest, public_id) -> HttpResponse:
    indicator = permissions.get_indicator_for_user(request.user, public_id, edit=True)
    plan = indicator.plan
    form = IndicatorForm(
        request.POST or None,
        instance=indicator,
        plan=plan,
        model_indicators=_model_indicators(plan.programme),
        owners=_owners(plan.programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                indicator=indicator,
                actor=request.user,
                reason=form.cleaned_data.get("reason", ""),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Indicator saved.")
            return redirect(indicator)
    return form_page(
        request,
        form,
        title=f"Change {indicator.name}",
        back_url=indicator.get_absolute_url(),
        intro="Changing an agreed indicator withdraws the agreement: it is proposed again.",
    )


def _indicator_action(request, public_id, action, done: str) -> HttpResponse:
    indicator = permissions.get_indicator_for_user(request.user, public_id, edit=True)
    try:
        action(indicator=indicator, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(indicator)
    messages.success(request, done)
    return redirect(indicator)


@require_POST
def indicator_propose(request: HttpRequest, public_id) -> HttpResponse:
    return _indicator_action(
        request, public_id, services.indicator_propose, "Indicator proposed for agreement."
    )


@require_POST
def indicator_agree(request: HttpRequest, public_id) -> HttpResponse:
    return _indicator_action(request, public_id, services.indicator_agree, "Your agreement is recorded.")


@require_POST
def indicator_comment(request: HttpRequest, public_id) -> HttpResponse:
    indicator = permissions.get_indicator_for_user(request.user, public_id, edit=True)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.indicator_comment(
                indicator=indicator, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Comment added.")
            return redirect(indicator)
    return form_page(
        request,
        form,
        title=f"Comment on {indicator.name}",
        back_url=indicator.get_absolute_url(),
        submit="Add comment",
    )


def plan_lock(request: HttpRequest, slug: str) -> HttpResponse:
    programme, plan = _plan(request, slug, lead=True)
    if plan.is_locked:
        messages.info(request, "The plan is already locked.")
        return redirect(plan)
    form = LockForm(request.POST or None, milestones=programme.milestones.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_lock(plan=plan, milestone=form.cleaned_data["milestone"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "The plan is locked. Later changes need a reason and are kept as history."
            )
            return redirect(plan)
    return form_page(
        request,
        form,
        title="Lock the evaluation plan",
        back_url=plan.get_absolute_url(),
        submit="Lock the plan",
        intro="Every indicator must be agreed by a lead and a critical friend. After locking, changes need a reason.",
    )


def item_add(request: HttpRequest, slug: str) -> HttpResponse:
    _, plan = _plan(request, slug, lead=True)
    form = PlanItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_create(plan=plan, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Question saved: add it to a survey.")
            return redirect(plan)
    return form_page(request, form, title="Write a survey question", back_url=plan.get_absolute_url())


# Surveys and windows ---------------------------------------------------------------------------------------


def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme, plan = _plan(request, slug)
    return render(
        request,
        "evaluation/surveys.html",
        {
            "programme": programme,
            "plan": plan,
            "surveys": selectors.survey_list(programme),
            "windows": selectors.windows_with_rates(programme=programme),
            "is_lead": is_programme_lead(request.user, programme),
        },
    )


def _survey_form(request, programme, plan, survey=None):
    cohorts = programme.cohorts.order_by("start_date")
    chosen = None
    cohort_id = request.POST.get("cohort") or request.GET.get("cohort")
    if cohort_id and str(cohort_id).isdigit():
        chosen = cohorts.filter(pk=cohort_id).first()
    chosen = chosen or cohorts.first()
    initial = {}
    if survey is not None:
        qs = list(survey.questions.all())
        initial = {
            "name": survey.name,
            "instruments": sorted({q.instrument_slug for q in qs if q.instrument_ref}),
            "items": [i.pk for i in plan.items.all() if f"plan:{i.key}" in {q.key for q in qs}],
            "cohort": chosen.pk if chosen else None,
        }
    form = SurveyForm(
        request.POST or None,
        initial=initial,
        cohorts=cohorts,
        instruments=services.survey_instruments(chosen) if chosen else [],
        items=plan.items.all(),
    )
    return form


def survey_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme, plan = _plan(request, slug, lead=True)
    form = _survey_form(request, programme, plan)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.survey_create(
                cohort=d["cohort"],
                name=d["name"],
                instruments=d["instruments"],
                items=list(d["items"]),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{survey.name} is ready: give it a window.")
            return redirect(survey)
    return form_page(
        request,
        form,
        title="Build a survey",
        back_url=reverse("evaluation:surveys", args=[programme.slug]),
        intro="Instruments come from the cohort's model version; SWEMWBS appears only once your organisation "
        "has recorded its licence.",
    )


def survey_detail(request: HttpRequest, public_id) -> HttpResponse:
    survey = permissions.get_survey_for_user(request.user, public_id)
    return render(
        request,
        "evaluation/survey.html",
        {
            "survey": survey,
            "programme": survey.programme,
            "questions": list(survey.questions.all()),
            "answered": Response.objects.filter(window__survey=survey).exists(),
            "is_lead": is_programme_lead(request.user, survey.programme),
        },
    )


def survey_edit(request: HttpRequest, public_id) -> HttpResponse:
    survey = permissions.get_survey_for_user(request.user, public_id, write=True)
    plan = services.plan_ensure(programme=survey.programme)
    form = _survey_form(request, survey.programme, plan, survey)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.survey_update(
                survey=survey,
                cohort=d["cohort"],
                name=d["name"],
                instruments=d["instruments"],
                items=list(d["items"]),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Survey saved.")
            return redirect(survey)
    return form_page(request, form, title=f"Change {survey.name}", back_url=survey.get_absolute_url())


def window_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _ = _plan(request, slug, lead=True)
    form = WindowForm(
        request.POST or None,
        cohorts=programme.cohorts.order_by("start_date"),
        surveys=Survey.objects.filter(programme=programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            window = services.window_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Window saved: {window}.")
            return redirect(window)
    return form_page(
        request,
        form,
        title="Add a survey window",
        back_url=reverse("evaluation:surveys", args=[programme.slug]),
    )


def window_detail(request: HttpRequest, public_id) -> HttpResponse:
    window, access = permissions.get_window_for_user(request.user, public_id)
    rates = selectors.windows_with_rates(cohorts=[window.cohort])
    this = next(w for w in rates if w.pk == window.pk)
    return render(
        request,
        "evaluation/window.html",
        {
            "window": this,
            "access": access,
            "who": selectors.who_answered(window) if access.sees_who_answered else None,
        },
    )


def window_free_text(request: HttpRequest, public_id) -> HttpResponse:
    window = permissions.get_window_free_text(request.user, public_id)
    plan = services.plan_ensure(programme=window.cohort.programme)
    groups, count = selectors.free_text_answers(window, plan.minimum_group)
    return render(
        request,
        "evaluation/free_text.html",
        {"window": window, "groups": groups, "count": count, "minimum": plan.minimum_group},
    )


# Answering -------------------------------------------------------------------------------------------------


def respond(request: HttpRequest, public_id) -> HttpResponse:
    """The participant's own survey: consent first, one question per fieldset, draft, submit, edit."""
    window = permissions.get_window_to_answer(request.user, public_id)
    own = Response.objects.filter(window=window, respondent=request.user).first()
    questions = list(window.survey.questions.all())
    form = ResponseForm(
        request.POST or None,
        questions=questions,
        initial_answers=own.answers if own else None,
        initial={"consent": bool(own)},
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in {services.SAVE_DRAFT, services.SUBMIT, services.SAVE_CHANGES}:
            action = services.SAVE_DRAFT
        revision = request.POST.get("revision", "")
        if form.is_valid():
            try:
                services.response_save(
                    window=window,
                    respondent=request.user,
                    answers=form.answers(),
                    consent=form.cleaned_data["consent"],
                    action=action,
                    revision=int(revision) if revision.isdigit() else None,
                )
            except ValidationError as exc:
                _add_answer_errors(form, exc)
            else:
                messages.success(
                    request,
                    {
                        services.SAVE_DRAFT: "Your draft is saved. Come back to it any time before the survey closes.",
                        services.SUBMIT: "Thank you: your answers are submitted. You can change them until the "
                        "survey closes.",
                        services.SAVE_CHANGES: "Your changes are saved.",
                    }[action],
                )
                return redirect("evaluation:my_answers")
        status = 400
    return render(
        request,
        "evaluation/respond.html",
        {
            "window": window,
            "form": form,
            "own": own,
            "is_open": window.is_open(),
            "plan": services.plan_ensure(programme=window.cohort.programme),
        },
        status=status,
    )


def _add_answer_errors(form, exc) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            name = "consent" if key == "consent" else form.field_for_key(key)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def my_answers(request: HttpRequest) -> HttpResponse:
    series, responses, values = selectors.own_series(request.user)
    rows = [(s, values[(s.section, s.key)]) for s in series]
    return render(
        request,
        "evaluation/my_answers.html",
        {
            "open_windows": selectors.open_windows_for(request.user),
            "responses": responses,
            "drafts": [r for r in selectors.own_responses(request.user) if r.status == ResponseStatus.DRAFT],
            "rows": rows,
            "chart": charts.own_chart(series, responses, values),
        },
    )


def my_answers_csv(request: HttpRequest) -> HttpResponse:
    """The person's own answers, every window, as CSV: the only export of individual answers there is."""
    rows = selectors.own_answer_rows(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-survey-answers.csv"'
    writer = csv.writer(response)
    writer.writerow(["cohort", "window", "status", "submitted", "question", "answer"])
    writer.writerows(rows)
    return response


# Results ---------------------------------------------------------------------------------------------------


def results(request: HttpRequest, slug: str) -> HttpResponse:
    """Aggregates only, for the programme or one cohort, between two windows."""
    programme, plan = _plan(request, slug)
    # The whole programme, or one cohort: chosen from a list, or typed in a programme of many cohorts; a
    # name that several cohorts share lists them, one that none has says so (and the programme is shown).
    choice = choose_cohort(programme, paging.search_term(request, "cohort"))
    cohort = choice.cohort
    pairs = selectors.available_pairs(plan, cohort)
    wanted = request.GET.get("pair", "")
    valid = {f"{b}-{a}": (b, a) for b, a in WINDOW_PAIRS}
    if wanted and wanted not in valid:
        raise Http404("No such comparison")
    before, after = valid.get(wanted) or (pairs[0] if pairs else WINDOW_PAIRS[0])
    result = selectors.paired_results(plan=plan, before=before, after=after, cohort=cohort)
    return render(
        request,
        "evaluation/results.html",
        {
            "programme": programme,
            "plan": plan,
            "cohort": cohort,
            "choice": choice,
            "keep": urlencode({"pair": wanted}) if wanted else "",
            "pairs": [(f"{b}-{a}", WindowLabel(b).label, WindowLabel(a).label) for b, a in pairs],
            "pair_key": f"{before}-{after}",
            "result": result,
            "chart": charts.dumbbell(result),
        },
    )
