"""Reads of case studies: the working page, a person's list, and a published version as the public reads it."""

import base64

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from shiftpractice.content.licences import terms
from shiftpractice.core.text import render_markdown

from .choices import GENERAL, SECTION_HEADINGS, SECTIONS
from .models import CaseStudy, PublishedVersion
from .permissions import visible_case_studies


def case_study_list(user, *, state: str = "", q: str = ""):
    """The working copies a person may open, newest first, with their project (one query a page)."""
    rows = visible_case_studies(user)
    if state:
        rows = rows.filter(state=state)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(project__title__icontains=q))
    return (
        CaseStudy.objects.filter(pk__in=rows.values("pk"))
        .select_related("project", "author", "published_version")
        .order_by("-updated_at", "-id")
    )


def state_counts(user) -> dict[str, int]:
    rows = visible_case_studies(user)
    return dict(
        CaseStudy.objects.filter(pk__in=rows.values("pk"))
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )


def _sections(texts: dict, images: list[dict], src, comments=None) -> list[dict]:
    """Each section's heading and rendered text, with the images placed under it (``src`` gives each one's
    address) and, on the working page, the review comments about it."""
    by_section: dict[str, list] = {}
    for image in images:
        by_section.setdefault(image.get("section") or "", []).append({**image, "src": src(image)})
    return [
        {
            "key": s.key,
            "heading": s.heading,
            "prompt": s.prompt,
            "text": texts.get(s.key, ""),
            "html": render_markdown(texts.get(s.key, "")),
            "images": by_section.get(s.key, []),
            "comments": [c for c in (comments or []) if c.section == s.key],
        }
        for s in SECTIONS
    ]


def working_context(case_study: CaseStudy, *, inline_images: bool = False) -> dict:
    """What the working page shows: the sections with comments, the images, the snapshot, consents and history."""
    from .services import consent_status

    comments = list(case_study.comments.select_related("author"))
    images = [
        {
            "id": i.pk,
            "alt_text": i.alt_text,
            "caption": i.caption,
            "section": i.section,
            "heading": SECTION_HEADINGS.get(i.section, ""),
        }
        for i in case_study.images.exclude(section="_removed")
    ]
    return {
        "sections": _sections(
            case_study.sections,
            images,
            # The sign-off link's holder has no account: its page carries the images in itself.
            (lambda i: _data_uri(i["id"]))
            if inline_images
            else (lambda i: reverse("stories:image", args=[case_study.public_id, i["id"]])),
            comments,
        ),
        "general_comments": [c for c in comments if c.section == GENERAL],
        "images": images,
        "snapshot": case_study.snapshot,
        "consents": consent_status(case_study),
        "versions": list(
            case_study.versions.select_related("published_by").only(
                "number", "published_at", "note", "case_study_id", "published_by__full_name"
            )
        ),
        "signoffs": list(case_study.signoff_requests.all()[:5]),
        "licence_terms": terms(case_study.licence),
    }


def _data_uri(image_id: int) -> str:
    """An image inlined for the PDF (WeasyPrint reads nothing over HTTP)."""
    from .models import CaseStudyImage

    image = CaseStudyImage.objects.filter(pk=image_id).first()
    if image is None:
        return ""
    with image.image.open("rb") as f:
        return f"data:{image.content_type};base64," + base64.b64encode(f.read()).decode()


def published_context(version: PublishedVersion, *, for_pdf: bool = False) -> dict:
    """A published version as the public page and its PDF show it: only what was frozen when it was published."""
    case_study = version.case_study
    if for_pdf:
        src = lambda i: _data_uri(i["id"])  # noqa: E731
    else:
        src = lambda i: reverse("stories:public_image", args=[case_study.slug, i["id"]])  # noqa: E731
    return {
        "case_study": case_study,
        "version": version,
        "sections": _sections(version.sections, version.images, src),
        "snapshot": version.snapshot,
        "licence_terms": terms(version.licence),
        "cite": cite_text(version),
    }


def cite_text(version: PublishedVersion) -> str:
    url = settings.SITE_URL + reverse("stories:public", args=[version.case_study.slug])
    return (
        f"{version.attribution} ({version.published_at:%Y}). {version.title}. Case study, version {version.number}. "
        f"shiftpractice. {url}. {terms(version.licence).short}."
    )


def public_version(slug: str, number: int | None = None) -> tuple[CaseStudy | None, PublishedVersion | None]:
    """The case study by its public address and the version asked for (the current one by default)."""
    case_study = CaseStudy.objects.select_related("published_version", "author").filter(slug=slug).first()
    if case_study is None or case_study.published_version_id is None:
        return None, None
    if number is None:
        return case_study, case_study.published_version
    version = PublishedVersion.objects.filter(case_study=case_study, number=number).first()
    return case_study, version


def public_case_studies():
    """Published and not withdrawn, newest first, for the public list."""
    return (
        CaseStudy.objects.public()
        .select_related("published_version")
        .only(
            "slug",
            "published_version__title",
            "published_version__summary",
            "published_version__attribution",
            "published_version__published_at",
            "published_version__number",
        )
        .order_by("-published_version__published_at", "-id")
    )
