"""Template slot the project story fills with the project's measures (the measures app sits above projects)."""

from django import template

from shiftpractice.projects.permissions import can_edit_project

from .. import selectors
from ..charts.cached_html import small_multiples
from ..charts.presentation import table_body
from ..printing import print_charts

register = template.Library()


@register.inclusion_tag("measures/_project_measures.html", takes_context=True)
def project_measures(context, project, squire=False):
    """Small multiples of every measure of the project, with the signals on their latest data.

    Uses the cycles the story page has already loaded, so the section costs four queries whatever the data,
    two when every chart is cached (``charts.cached_html.small_multiples``). The cards are h3: the page gives the
    section its h2.
    """
    cycles = context.get("cycles")
    if callable(cycles):
        # The story passes lazy loaders and caches its own cycle list; the markers need only the cycles
        # themselves, not the corrections the story's loader brings with them.
        cycles = None
    if cycles is None:
        cycles = list(project.cycles.order_by("number"))
    request = context.get("request")
    # The PDF (squire) prints one chart a measure at the text width (printing.py); the page shows small multiples.
    charts = print_charts(project, list(cycles)) if squire else small_multiples(project, list(cycles))
    can_edit = context.get("can_edit")
    if can_edit is None and request is not None:
        can_edit = can_edit_project(request.user, project)
    return {"project": project, "charts": charts, "squire": squire, "request": request, "can_edit": can_edit}


@register.filter
def row_form_for(form, point):
    """The row's form with errors, when the failed save was for this row's period."""
    if form is None or point is None:
        return None
    period = form.cleaned_data.get("period") if hasattr(form, "cleaned_data") else None
    return form if period == point.period else None


@register.filter
def signals_by_measure(signals):
    """``selectors.signals_by_measure`` for templates."""
    return selectors.signals_by_measure(signals)


@register.simple_tag
def chart_table_body(view, rows, brief=False):
    return table_body(view, rows, brief=bool(brief))
