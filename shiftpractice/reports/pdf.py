"""A published report version's PDF, from the same template as its page: drawn once in the background and kept
(``core.pdf.FrozenPdf``). A draft's PDF is drawn on request for its few readers (leads and critical friends)."""

from django.template.loader import render_to_string

from shiftpractice.core.pdf import FrozenPdf, html_to_pdf

from .models import ReportVersion


def render_context(context: dict) -> bytes:
    return html_to_pdf(render_to_string("reports/pdf.html", context))


def _render_version(version: ReportVersion) -> bytes:
    from .selectors import report_context

    return render_context(report_context(version.report, version))


PDF = FrozenPdf(
    model=ReportVersion,
    folder="report-pdfs",
    name=lambda v: f"{v.report.public_id}-v{v.number}.pdf",
    render=_render_version,
)


def request_build(version: ReportVersion) -> str:
    from .tasks import build_report_pdf

    return PDF.request_build(version, build_report_pdf)
