"""A published version's PDF: drawn once, in the background, and served from storage ever after
(``core.pdf.FrozenPdf``: a published version never changes). A request never draws one: it serves the stored
file, or asks the worker for it and shows a short "preparing" page. Visitors are rate limited like the project
story's PDF."""

from django.template.loader import render_to_string

from shiftpractice.core.pdf import FrozenPdf, html_to_pdf

from .models import PublishedVersion


def render(version: PublishedVersion) -> bytes:
    from .selectors import published_context

    return html_to_pdf(render_to_string("stories/pdf.html", published_context(version, for_pdf=True)))


PDF = FrozenPdf(
    model=PublishedVersion,
    folder="case-study-pdfs",
    name=lambda v: f"{v.case_study.public_id}-v{v.number}.pdf",
    render=lambda v: render(v),
)


def stored(version: PublishedVersion) -> bytes | None:
    return PDF.stored(version)


def request_build(version: PublishedVersion) -> str:
    from .tasks import build_case_study_pdf

    return PDF.request_build(version, build_case_study_pdf)
