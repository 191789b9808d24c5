"""The programme's portfolio page and its CSV export. Thin: authorise, parse, read, respond."""

import csv

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from shiftpractice.cohorts.permissions import portfolio_scope
from shiftpractice.cohorts.roles import roles_first
from shiftpractice.core import paging
from shiftpractice.core.access import deny_unless
from shiftpractice.core.dates import day_month_year
from shiftpractice.core.text import spreadsheet_safe
from shiftpractice.measures.selectors import outcome_glance
from shiftpractice.programmes.permissions import get_programme_for_user
from shiftpractice.projects.choices import ProjectStatus

from . import portfolio

CSV_BATCH = 500  # projects read at once for the CSV: bounded memory, a fixed number of queries a batch


def _projects(request: HttpRequest, slug: str):
    programme = get_programme_for_user(request.user, slug)
    scope = portfolio_scope(request.user, programme)
    deny_unless(
        bool(scope), message="The portfolio is for the programme's leads, coaches and critical friends."
    )
    params = {
        "cohort": paging.search_term(request, "cohort"),
        "status": request.GET.get("status", ""),
        "lens": request.GET.get("lens", ""),
        "flag": request.GET.get("flag", "") if request.GET.get("flag", "") in portfolio.FLAG_KEYS else "",
        "sort": request.GET.get("sort", "") if request.GET.get("sort", "") in portfolio.SORTS else "activity",
    }
    scoped = portfolio.projects_in_scope(user=request.user, programme=programme, scope=scope)
    return programme, scope, scoped, params, portfolio.apply_filters(scoped.projects, **params)


def _decorate(projects) -> None:
    """What a row shows beyond ``portfolio.rows``: the outcome glance, flags, stage and changes."""
    glance = outcome_glance([p.pk for p in projects])
    for p in projects:
        p.flags = portfolio.flags_of(p)
        p.glance = glance.get(p.pk)
        p.cycles_text = portfolio.cycles_summary(p)
        p.score_change = (
            p.score - p.previous_score if p.score is not None and p.previous_score is not None else None
        )
        p.survey_change = portfolio.survey_change(p)
        p.stage = portfolio.journey_stage(p)
        p.last_activity_day = day_month_year(p.last_activity)


@roles_first
def portfolio_page(request: HttpRequest, slug: str) -> HttpResponse:
    programme, scope, scoped, params, filtered = _projects(request, slug)
    if request.user.is_superuser:  # (whose scope is worked out from who they are: not kept)
        figures = portfolio.figures_now(programme, scoped.projects)
    else:
        figures = portfolio.programme_figures(programme, scoped.projects, scope_key=scoped.key)
    distribution = figures.distribution
    # The page is chosen on the sort key alone; only its rows are read with everything the table shows.
    paginator = Paginator(filtered.values_list("pk", flat=True), portfolio.PAGE_SIZE)
    if not any(params[k] for k in portfolio.FILTERS):
        # Unfiltered, the table lists every project the distribution counted: no second count.
        paginator.count = distribution[-1].total
    wanted = request.GET.get("page")
    page = paginator.get_page(paginator.num_pages if wanted == "last" else wanted)
    projects = portfolio.rows(list(page.object_list))
    _decorate(projects)
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "home/portfolio.html",
        {
            "programme": programme,
            "scope": scope,
            "params": params,
            "query": query,
            "page": page,
            "projects": projects,
            # A list to choose from; in a programme of many cohorts, a box to type a cohort's name in.
            "cohorts": figures.cohorts,
            "statuses": ProjectStatus.choices,
            "lenses": figures.lenses,
            "flags": portfolio.FLAGS,
            "sorts": [(k, v[0]) for k, v in portfolio.SORTS.items()],
            "distribution": figures.figure,
            "breadcrumbs": [("Home", reverse("home:index")), (programme.name, programme.get_absolute_url())],
        },
    )


@roles_first
def portfolio_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every project the page would list with the same filters, one row each (read a batch at a time)."""
    programme, _scope, _scoped, _params, filtered = _projects(request, slug)
    ids = list(filtered.values_list("pk", flat=True))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-portfolio-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "project",
            "owner",
            "cohort",
            "status",
            "journey stage",
            "progress score",
            "change since previous score",
            "change since the latest survey window",
            "cycles planned",
            "cycles running",
            "cycles complete",
            "adopted",
            "adapted",
            "abandoned",
            "last activity",
            "outcome measure",
            "latest signal",
            "flags",
            "link",
        ]
    )
    for start in range(0, len(ids), CSV_BATCH):
        projects = portfolio.rows(ids[start : start + CSV_BATCH])
        _decorate(projects)
        for p in projects:
            writer.writerow(
                [
                    spreadsheet_safe(p.title),
                    spreadsheet_safe(p.owner.full_name),
                    spreadsheet_safe(p.cohort.name),
                    p.get_status_display(),
                    p.stage.label if p.stage else "",
                    p.score if p.score is not None else "",
                    p.score_change if p.score_change is not None else "",
                    p.survey_change,
                    p.cycles_planned,
                    p.cycles_running,
                    p.cycles_complete,
                    p.cycles_adopted,
                    p.cycles_adapted,
                    p.cycles_abandoned,
                    timezone.localtime(p.last_activity).strftime("%Y-%m-%d"),
                    spreadsheet_safe(p.glance.measure_name) if p.glance else "",
                    p.glance.signal if p.glance else "",
                    "; ".join(f.label for f in p.flags),
                    request.build_absolute_uri(p.url),
                ]
            )
    return response
