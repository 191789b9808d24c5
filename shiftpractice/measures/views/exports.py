"""Downloads: a measure's chart as SVG, its data and limits as CSV or XLSX, and a whole project's measures."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

from shiftpractice.projects.permissions import get_project_for_user

from .. import exports, selectors
from ..charts import cached_html
from ..permissions import get_measure_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content, content_type: str, name: str, project) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if not project.is_public:
        # Team, cohort or programme data: never kept by a shared cache or left in a browser's cache.
        response["Cache-Control"] = "private, no-store"
    return response


def _name(text: str) -> str:
    return slugify(text)[:60] or "measure"


@login_not_required
def measure_csv(request: HttpRequest, measure_id) -> HttpResponse:
    measure = get_measure_for_user(request.user, measure_id, public_face=True)
    view = selectors.measure_chart(measure)
    return _download(
        exports.measure_csv(view), "text/csv; charset=utf-8", f"{_name(measure.name)}.csv", measure.project
    )


@login_not_required
def measure_xlsx(request: HttpRequest, measure_id) -> HttpResponse:
    measure = get_measure_for_user(request.user, measure_id, public_face=True)
    view = selectors.measure_chart(measure)
    return _download(exports.to_xlsx([view]), XLSX, f"{_name(measure.name)}.xlsx", measure.project)


@login_not_required
def chart_svg(request: HttpRequest, measure_id) -> HttpResponse:
    """The chart as an SVG file, at the window the page showed (the same GET parameters), cached like the page."""
    from .measures import chart_window

    measure = get_measure_for_user(request.user, measure_id, public_face=True)
    _form, spec = chart_window(request)
    svg = cached_html.chart_svg(measure, list(measure.project.cycles.order_by("number")), spec)
    return _download(svg, "image/svg+xml", f"{_name(measure.name)}.svg", measure.project)


@login_not_required
def project_csv(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, public_face=True)
    views = selectors.project_charts(project)
    return _download(
        exports.project_csv(views), "text/csv; charset=utf-8", f"{_name(project.title)}-measures.csv", project
    )


@login_not_required
def project_xlsx(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, public_face=True)
    views = selectors.project_charts(project)
    return _download(exports.to_xlsx(views), XLSX, f"{_name(project.title)}-measures.xlsx", project)
