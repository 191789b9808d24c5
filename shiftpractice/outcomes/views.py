"""Outcome pages: a project's outcomes (its readers; its team and coaches record them), one outcome with its
answers, the substantiation forms (leads and critical friends), the outside person's link (anyone holding it)
and the harvest of a programme with its CSV (leads and critical friends). Thin: authorise through
``permissions``, parse a form, call ``services``."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from shiftpractice.core import paging
from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import saved
from shiftpractice.core.text import spreadsheet_safe

from . import selectors, services
from .choices import LENS_LABELS, ChangeKind, Status
from .forms import LinkAnswerForm, LinkRequestForm, OutcomeForm, SubstantiateForm
from .permissions import (
    can_record,
    can_substantiate,
    get_outcome_for_user,
    get_programme_for_harvest,
    get_project_for_outcomes,
)


def _project_url(project) -> str:
    return reverse("outcomes:project", args=[project.public_id])


def project_outcomes(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_outcomes(request.user, public_id)
    page = paging.paginate(request, selectors.outcome_list(project))
    return render(
        request,
        "outcomes/project.html",
        {
            "project": project,
            "page": page,
            "can_record": can_record(request.user, project),
            "can_substantiate": can_substantiate(request.user, project.cohort.programme),
        },
    )


def _outcome_form_page(request, project, form, *, title: str, submit: str, cancel: str) -> HttpResponse:
    return render(
        request,
        "outcomes/form.html",
        {"form": form, "project": project, "page_title": title, "submit_label": submit, "back_url": cancel},
    )


def outcome_add(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_outcomes(request.user, public_id, write=True)
    form = OutcomeForm(request.POST or None, programme=project.cohort.programme)
    made = request.method == "POST" and saved(
        form,
        lambda _data: services.outcome_create(project=project, actor=request.user, **form.service_fields()),
    )
    if made:
        messages.success(request, "Outcome recorded.")
        return redirect(made.get_absolute_url())
    return _outcome_form_page(
        request,
        project,
        form,
        title="Record an outcome",
        submit="Record the outcome",
        cancel=_project_url(project),
    )


def outcome_detail(request: HttpRequest, public_id) -> HttpResponse:
    outcome = get_outcome_for_user(request.user, public_id)
    project = outcome.project
    answers = list(selectors.substantiation_list(outcome))
    return render(
        request,
        "outcomes/detail.html",
        {
            "outcome": outcome,
            "project": project,
            "current": [a for a in answers if a.outcome_version == outcome.version],
            "earlier": [a for a in answers if a.outcome_version != outcome.version],
            "indicators": list(outcome.indicators.all()),
            "can_record": can_record(request.user, project),
            "can_substantiate": can_substantiate(request.user, project.cohort.programme),
        },
    )


def outcome_edit(request: HttpRequest, public_id) -> HttpResponse:
    outcome = get_outcome_for_user(request.user, public_id, write=True)
    project = outcome.project
    form = OutcomeForm(
        request.POST or None, programme=project.cohort.programme, initial=OutcomeForm.initial_for(outcome)
    )
    if request.method == "POST" and saved(
        form,
        lambda _data: services.outcome_update(outcome=outcome, actor=request.user, **form.service_fields()),
    ):
        messages.success(request, "Outcome saved.")
        return redirect(outcome.get_absolute_url())
    return _outcome_form_page(
        request, project, form, title="Change the outcome", submit="Save", cancel=outcome.get_absolute_url()
    )


def outcome_delete(request: HttpRequest, public_id) -> HttpResponse:
    outcome = get_outcome_for_user(request.user, public_id, write=True)
    project = outcome.project
    answers = outcome.substantiations.count()
    removal = Removal(
        title=f"Remove the outcome \u201c{outcome.who_changed}\u201d?",
        cancel_url=outcome.get_absolute_url(),
        quote=outcome.description,
        also=[f"{answers} answer{'s' if answers != 1 else ''} substantiating it"] if answers else [],
        details=[
            "It leaves the project and the programme's harvest. The audit log keeps that it was removed."
        ],
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.outcome_delete(outcome=outcome, actor=request.user),
        done_url=_project_url(project),
        done_message="Outcome removed.",
    )


def substantiate(request: HttpRequest, public_id) -> HttpResponse:
    outcome = get_outcome_for_user(request.user, public_id, substantiate=True)
    form = SubstantiateForm(request.POST or None)
    if request.method == "POST" and saved(
        form, lambda data: services.substantiate(outcome=outcome, actor=request.user, **data)
    ):
        messages.success(request, "Your answer is recorded.")
        return redirect(outcome.get_absolute_url())
    return render(
        request,
        "outcomes/substantiate.html",
        {
            "form": form,
            "outcome": outcome,
            "page_title": "Substantiate the outcome",
            "submit_label": "Record my answer",
            "back_url": outcome.get_absolute_url(),
        },
    )


def link_send(request: HttpRequest, public_id) -> HttpResponse:
    outcome = get_outcome_for_user(request.user, public_id, substantiate=True)
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and saved(
        form, lambda data: services.link_send(outcome=outcome, actor=request.user, **data)
    ):
        messages.success(request, f"We have emailed {form.cleaned_data['name']} a link to substantiate it.")
        return redirect(outcome.get_absolute_url())
    return render(
        request,
        "outcomes/substantiate.html",
        {
            "form": form,
            "outcome": outcome,
            "page_title": "Ask someone outside the programme",
            "intro": "They get a link by email, valid for 14 days and usable once, that shows this outcome and "
            "nothing else. They need no account. Ask someone who saw the change: a manager, a partner "
            "organisation, a colleague.",
            "submit_label": "Send the link",
            "back_url": outcome.get_absolute_url(),
        },
    )


@login_not_required
def link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: shows the one outcome and takes one answer."""
    try:
        link_request = services.link_for_token(token)
    except services.LinkProblem as problem:
        return render(request, "outcomes/link.html", {"problem": str(problem)}, status=410)
    form = LinkAnswerForm(request.POST or None, initial={"confirm_name": link_request.name})
    if request.method == "POST":
        try:
            if saved(form, lambda data: services.link_respond(token=token, **data)):
                return render(request, "outcomes/link.html", {"done": True})
        except services.LinkProblem as problem:
            return render(request, "outcomes/link.html", {"problem": str(problem)}, status=410)
    return render(
        request,
        "outcomes/link.html",
        {"form": form, "link_request": link_request, "outcome": link_request.outcome},
    )


def _harvest_params(request, programme) -> tuple[dict, object]:
    cohorts = {c.slug: c for c in programme.cohorts.all()}
    params = {
        "cohort": paging.choice(request, "cohort", cohorts, ""),
        "lens": paging.choice(request, "lens", LENS_LABELS, ""),
        "kind": paging.choice(request, "kind", ChangeKind.values, ""),
        "status": paging.choice(request, "status", Status.values, ""),
    }
    return params, cohorts


def _filters(params, cohorts) -> dict:
    return {
        "cohort": cohorts.get(params["cohort"]),
        "lens": params["lens"],
        "kind": params["kind"],
        "status": params["status"],
    }


def harvest(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_harvest(request.user, slug)
    params, cohorts = _harvest_params(request, programme)
    filters = _filters(params, cohorts)
    page = paging.paginate(request, selectors.harvest_rows(programme, **filters), params=params)
    counts = selectors.harvest_counts(programme, **filters)
    return render(
        request,
        "outcomes/harvest.html",
        {
            "programme": programme,
            "page": page,
            "params": params,
            "counts": counts,
            "cohorts": sorted(cohorts.values(), key=lambda c: c.name),
            "lenses": [(k, label, counts["by_lens"][k]) for k, label in LENS_LABELS.items()],
            "kinds": [(k, label, counts["by_kind"][k]) for k, label in ChangeKind.choices],
            "statuses": [(k, label, counts["by_status"][k]) for k, label in Status.choices],
            "csv_query": page.query,
        },
    )


CSV_COLUMNS = [
    "cohort",
    "project",
    "who changed",
    "kind of change",
    "what changed",
    "when",
    "where",
    "contribution",
    "why it matters",
    "evidence",
    "lenses",
    "substantiation",
]


class _Echo:
    def write(self, value):
        return value


def harvest_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The filtered harvest as CSV: what was observed and its status; no one's email address or name."""
    programme = get_programme_for_harvest(request.user, slug)
    params, cohorts = _harvest_params(request, programme)
    rows = selectors.harvest_rows(programme, **_filters(params, cohorts))
    writer = csv.writer(_Echo())
    lines = [writer.writerow(CSV_COLUMNS)]
    for o in rows.iterator(chunk_size=500):
        cells = [
            o.project.cohort.name,
            o.project.title,
            o.who_changed,
            o.get_kind_display(),
            o.description,
            o.when_label,
            o.where,
            o.contribution,
            o.significance,
            o.evidence,
            "; ".join(o.lens_labels),
            o.get_status_display(),
        ]
        lines.append(writer.writerow([spreadsheet_safe(c) for c in cells]))
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outcomes-{programme.slug}.csv"'
    return response
