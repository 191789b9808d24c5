"""Evaluation report pages: the programme's reports, a report live (leads and critical friends) or as published
(everyone in the programme), its PDF and its de-identified CSV/XLSX, writing a section, publishing."""

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from shiftpractice.core.forms import saved
from shiftpractice.core.text import spreadsheet_safe
from shiftpractice.programmes.permissions import is_programme_lead

from . import pdf, selectors, services
from .choices import WRITTEN_HEADINGS
from .forms import PublishForm, ReportForm, WritingForm
from .models import ReportVersion
from .permissions import get_programme_for_reports, get_report_for_user


def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme, drafts = get_programme_for_reports(request.user, slug)
    return render(
        request,
        "reports/list.html",
        {
            "programme": programme,
            "reports": selectors.report_list(programme, drafts=drafts),
            "drafts": drafts,
            "can_create": is_programme_lead(request.user, programme),
        },
    )


def report_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _ = get_programme_for_reports(request.user, slug, lead=True)
    form = ReportForm(request.POST or None, programme=programme)
    report = request.method == "POST" and saved(
        form, lambda data: services.report_create(programme=programme, actor=request.user, **data)
    )
    if report:
        return redirect(reverse("reports:report", args=[report.public_id]))
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Start an evaluation report",
            "intro": "An interim report is about one cohort; the final report is about the whole programme. "
            "It is computed from live data until you publish a version.",
            "submit_label": "Start the report",
            "back_url": reverse("reports:list", args=[programme.slug]),
        },
    )


def report(request: HttpRequest, public_id) -> HttpResponse:
    """The live report for its writers; anyone else in the programme is sent to the latest published version."""
    item = get_report_for_user(request.user, public_id)
    if not item.reader_sees_drafts:
        latest = item.versions.order_by("-number").first()
        if latest is None:
            raise Http404
        return redirect(reverse("reports:version", args=[item.public_id, latest.number]))
    context = selectors.report_context(item)
    context.update(
        {
            "versions": list(
                item.versions.order_by("-number").only("number", "published_at", "note", "report_id")
            ),
            "can_publish": is_programme_lead(request.user, item.programme),
            "can_write": True,
            "writing_headings": WRITTEN_HEADINGS,
        }
    )
    return render(request, "reports/report.html", context)


def _version(request, public_id, number: int) -> ReportVersion:
    item = get_report_for_user(request.user, public_id)
    found = get_object_or_404(ReportVersion, report=item, number=number)
    found.report = item  # the checked report, which knows whether this reader also sees the draft
    return found


def version(request: HttpRequest, public_id, number: int) -> HttpResponse:
    found = _version(request, public_id, number)
    context = selectors.report_context(found.report, found)
    context["versions"] = list(
        found.report.versions.order_by("-number").only("number", "published_at", "note", "report_id")
    )
    return render(request, "reports/report.html", context)


def _filename(item, version_number: int | None, ext: str) -> str:
    suffix = f"-v{version_number}" if version_number else "-draft"
    return f"{slugify(item.title)[:60] or 'report'}{suffix}.{ext}"


def version_pdf(request: HttpRequest, public_id, number: int) -> HttpResponse:
    found = _version(request, public_id, number)
    body = pdf.PDF.stored(found)
    if body is None:
        outcome = pdf.request_build(found)
        found.refresh_from_db()
        body = pdf.PDF.stored(found) if outcome == "built" else None
    if body is None:
        response = render(
            request, "reports/pdf_preparing.html", {"report": found.report, "version": found}, status=202
        )
        response["Retry-After"] = "5"
        return response
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(found.report, found.number, "pdf")}"'
    return response


def draft_pdf(request: HttpRequest, public_id) -> HttpResponse:
    item = get_report_for_user(request.user, public_id, need="draft")
    try:
        body = pdf.render_context(selectors.report_context(item))
    except OSError:
        return render(
            request, "reports/pdf_preparing.html", {"report": item, "unavailable": True}, status=503
        )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(item, None, "pdf")}"'
    return response


def _context_for_data(request, public_id, number: int | None) -> tuple[dict, object, int | None]:
    if number is None:
        item = get_report_for_user(request.user, public_id, need="draft")
        return selectors.report_context(item), item, None
    found = _version(request, public_id, number)
    return selectors.report_context(found.report, found), found.report, found.number


@require_GET
def data_csv(request: HttpRequest, public_id, number: int | None = None) -> HttpResponse:
    context, item, n = _context_for_data(request, public_id, number)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(item, n, "csv")}"'
    writer = csv.writer(response)
    writer.writerow(["section", "measure", "group", "value"])
    for row in selectors.flat_rows(context):
        writer.writerow([spreadsheet_safe(str(v)) if isinstance(v, str) else v for v in row])
    return response


@require_GET
def data_xlsx(request: HttpRequest, public_id, number: int | None = None) -> HttpResponse:
    from io import BytesIO

    from openpyxl import Workbook

    context, item, n = _context_for_data(request, public_id, number)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Aggregates")
    sheet.append(["section", "measure", "group", "value"])
    for row in selectors.flat_rows(context):
        sheet.append([spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
    out = BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(item, n, "xlsx")}"'
    return response


def write(request: HttpRequest, public_id, key: str) -> HttpResponse:
    item = get_report_for_user(request.user, public_id, need="write")
    headings = services.writing_keys(item)
    if key not in headings:
        raise Http404
    existing = item.writings.filter(key=key).first()
    form = WritingForm(
        request.POST or None,
        judged=key not in WRITTEN_HEADINGS,
        initial={
            "body": existing.body if existing else "",
            "judgement": existing.judgement if existing else "",
        },
    )
    if request.method == "POST" and saved(
        form,
        lambda data: services.writing_save(
            report=item, key=key, body=data["body"], judgement=data.get("judgement", ""), actor=request.user
        ),
    ):
        messages.success(
            request, "Saved. It is in the report from now on, and in the next published version."
        )
        return redirect(reverse("reports:report", args=[item.public_id]) + "#written")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": headings[key],
            "intro": f"For {item.title}.",
            "submit_label": "Save",
            "back_url": reverse("reports:report", args=[item.public_id]),
        },
    )


def publish(request: HttpRequest, public_id) -> HttpResponse:
    item = get_report_for_user(request.user, public_id, need="publish")
    form = PublishForm(request.POST or None)
    version = request.method == "POST" and saved(
        form, lambda data: services.publish(report=item, actor=request.user, note=data["note"])
    )
    if version:
        messages.success(
            request, "Published. Everyone in the programme is told, and the milestone links to this version."
        )
        return redirect(services.version_url(version))
    _, unwritten = services.writing_snapshot(item)
    return render(
        request,
        "reports/publish.html",
        {
            "form": form,
            "page_title": f"Publish {item.title}",
            "submit_label": "Publish",
            "back_url": reverse("reports:report", args=[item.public_id]),
            "report": item,
            "unwritten": unwritten,
            "next_number": item.versions.count() + 1,
        },
    )
