"""Entering data: an editable table, one form per row (htmx saves a row in place; without it, the page reloads)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import services
from ..forms import PointForm
from ..models import DataPoint
from ..permissions import get_measure_for_user

PER_PAGE = 50


def _save(request, measure, form) -> bool:
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    try:
        if request.POST.get("delete"):
            services.point_delete(measure=measure, period=data["period"], actor=request.user)
        else:
            services.point_save(measure=measure, actor=request.user, **data)
    except ValidationError as exc:
        from shiftpractice.core.forms import add_service_errors

        add_service_errors(form, exc)
        return False
    return True


def data_table(request: HttpRequest, measure_id) -> HttpResponse:
    """All the measure's points, newest first, each row editable; a form above adds a period."""
    measure = get_measure_for_user(request.user, measure_id, write=True)
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
                    {
                        "measure": measure,
                        "p": point,
                        "deleted_period": form.cleaned_data["period"],
                        "saved": True,
                    },
                )
            messages.success(
                request, "Data point deleted." if request.POST.get("delete") else "Data point saved."
            )
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
