"""Entering data: an editable table, one form per row (htmx saves a row in place; without it, the page reloads)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import date_format
from django_htmx.http import HttpResponseClientRedirect

from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import add_service_errors

from .. import services
from ..forms import PointForm
from ..models import DataPoint
from ..permissions import get_measure_for_user

PER_PAGE = 50


def _save(request, measure, form) -> bool:
    if not form.is_valid():
        return False
    try:
        services.point_save(measure=measure, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def _ask_before_deleting(request, measure) -> HttpResponse:
    """A row's one-click "delete" (from a page opened before deleting asked first) deletes nothing: it is sent
    to the confirmation page of that period, or back to the table if the period is not a date."""
    try:
        day = date.fromisoformat(request.POST.get("period", ""))
    except ValueError:
        url = reverse("measures:data", args=[measure.public_id])
    else:
        url = reverse("measures:point_delete", args=[measure.public_id, day.isoformat()])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def data_table(request: HttpRequest, measure_id) -> HttpResponse:
    """All the measure's points, newest first, each row editable; a form above adds a period."""
    measure = get_measure_for_user(request.user, measure_id, write=True)
    if request.method == "POST" and request.POST.get("delete"):
        return _ask_before_deleting(request, measure)
    add_form = PointForm(measure=measure, prefix="add")
    row_form = None
    status = 200
    if request.method == "POST":
        adding = "add-period" in request.POST
        form = PointForm(request.POST, measure=measure, prefix="add" if adding else None)
        if _save(request, measure, form):
            if request.htmx and not adding:
                point = DataPoint.objects.filter(measure=measure, period=form.cleaned_data["period"]).first()
                return render(
                    request,
                    "measures/_data_row.html",
                    {"measure": measure, "p": point, "saved": True},
                )
            messages.success(request, "Data point saved.")
            return redirect("measures:data", measure_id=measure.public_id)
        status = 400
        if request.htmx and not adding:
            return render(
                request,
                "measures/_data_row.html",
                {"measure": measure, "row_form": form, "p": _point_or_stub(measure, form)},
                status=200,
            )
        if adding:
            add_form = form
        else:
            row_form = form
    page = Paginator(DataPoint.objects.filter(measure=measure).order_by("-period"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "measures/data.html",
        {
            "measure": measure,
            "project": measure.project,
            "add_form": add_form,
            "row_form": row_form,
            "form": row_form or add_form,
            "page": page,
        },
        status=status,
    )


def _point_or_stub(measure, form):
    period = form.cleaned_data.get("period") if hasattr(form, "cleaned_data") else None
    if isinstance(period, date):
        existing = DataPoint.objects.filter(measure=measure, period=period).first()
        if existing:
            return existing
    return None


def _point_words(measure, point: DataPoint) -> str:
    if measure.has_denominator:
        value = f"{floatformat(point.numerator, '-6')} out of {floatformat(point.denominator, '-6')}"
    else:
        value = floatformat(point.value, "-6")
    words = f"{date_format(point.period, 'j M Y')}: {value}"
    if point.note:
        words += f" (note: {point.note})"
    if point.excluded:
        words += f"; left out of the calculations because {point.exclusion_reason}"
    return words


def point_delete(request: HttpRequest, measure_id, period: str) -> HttpResponse:
    """Confirm, then delete one period's data point (``core.confirm``). The period is named in the URL by its
    start date, unique within the measure."""
    measure = get_measure_for_user(request.user, measure_id, write=True)
    try:
        day = date.fromisoformat(period)
    except ValueError:
        raise Http404 from None
    point = get_object_or_404(DataPoint, measure=measure, period=day)
    back = reverse("measures:data", args=[measure.public_id])
    when = date_format(day, "j M Y")
    removal = Removal(
        title=f"Delete the data point for {when}?",
        cancel_url=back,
        button="Yes, delete it",
        quote=_point_words(measure, point),
        details=[
            f"The chart of {measure.name} and its limits are worked out again without it. The deletion is kept "
            "in the measure's history of changes, with the value it had, who deleted it and when."
        ],
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.point_delete(measure=measure, period=day, actor=request.user),
        done_url=back,
        done_message=f"The data point for {when} is deleted.",
        template="measures/confirm_remove.html",
        project=measure.project,
    )
