"""Writes on case studies: start from a project, edit in sections, review, consent, sign off, publish, correct,
withdraw.

Each public function runs in one transaction and records an audit event. Any change of what would be published
(title, summary, sections, images, team, organisation, licence) raises ``text_version``, so a consent given
against the old text no longer counts: nobody's consent is ever taken for words they have not seen. Publishing
checks every consent in the same transaction that freezes the version, and tells the library through
``signals.publication_changed``, so nothing is ever half-published.
"""

import hashlib
import json
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from shiftpractice.cohorts.services import hash_token
from shiftpractice.core.audit import audit
from shiftpractice.core.choices import EmailPurpose
from shiftpractice.core.emails import email_queue, render_pair
from shiftpractice.core.models import lock_and_refresh
from shiftpractice.core.text import render_markdown
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import absolute, notify

from . import prefill
from .choices import (
    CONSENT_WORDING,
    CONSENT_WORDING_VERSION,
    EDITABLE,
    GENERAL,
    SECTION_HEADINGS,
    SECTION_KEYS,
    ConsentKind,
    ConsentMethod,
    Decision,
    ReviewDecision,
    State,
)
from .models import CaseStudy, CaseStudyImage, Consent, PublishedVersion, ReviewComment, SignoffRequest
from .signals import publication_changed

SIGNOFF_VALID = timedelta(days=14)
IMAGE_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
IMAGE_MAX_BYTES = 5 * 1024 * 1024


def _audit(case_study: CaseStudy, actor, verb: str, summary: str, **data):
    audit(actor=actor, verb=verb, obj=case_study, summary=summary, **data)


def text_digest(case_study: CaseStudy) -> str:
    """A fingerprint of everything that would be published, as consents record it."""
    images = list(case_study.images.order_by("id").values_list("id", "alt_text", "caption", "section"))
    payload = {
        "title": case_study.title,
        "summary": case_study.summary,
        "sections": {k: case_study.sections.get(k, "") for k in SECTION_KEYS},
        "images": images,
        "team": sorted(u.full_name for u in case_study.team.all()),
        "organisation": case_study.organisation,
        "licence": case_study.licence,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _changed(case_study: CaseStudy) -> None:
    """The text changed: earlier consents lapse (they stay on record, against the version they were given)."""
    case_study.text_version += 1


def _require_editable(case_study: CaseStudy) -> None:
    if case_study.state not in EDITABLE:
        raise ValidationError(
            "The case study can be changed only while it is a draft or changes are asked for. "
            + (
                "It is with its reviewers now."
                if case_study.state == State.IN_REVIEW
                else "Start a correction first."
                if case_study.state == State.PUBLISHED
                else ""
            )
        )


def _refuse_stakeholders(case_study: CaseStudy, texts: list[str]) -> None:
    names = prefill.named_stakeholders(case_study.project, texts)
    if names:
        raise ValidationError(
            "This names someone from your influence map (%(names)s). The influence map stays private: describe "
            "their role instead (for example \u201cthe practice manager\u201d).",
            params={"names": ", ".join(names)},
        )


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60] or "case-study"
    slug, n = base, 1
    while CaseStudy.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def case_study_start(*, project, actor) -> CaseStudy:
    """Start the project's case study, pre-filled from the project; the project's one case study if it has one."""
    existing = CaseStudy.objects.filter(project=project).first()
    if existing is not None:
        return existing
    shot = prefill.snapshot(project)
    try:
        with transaction.atomic():
            case_study = CaseStudy.objects.create(
                project=project,
                author=actor,
                programme_id=project.cohort.programme_id,
                slug=_unique_slug(project.title),
                title=project.title,
                summary=(f"{shot['aim']}" if shot["aim"] else "")[:1200],
                sections=prefill.sections(project, shot),
                snapshot=shot,
            )
    except IntegrityError:  # started a moment ago by the same press twice, or two people at once
        existing = CaseStudy.objects.filter(project=project).first()
        if existing is None:  # the slug was taken at the same moment: one more try with a fresh one
            return case_study_start(project=project, actor=actor)
        return existing
    _audit(case_study, actor, "case_study.start", f"Started the case study of {project.title}")
    return case_study


@transaction.atomic
def case_study_update(*, case_study: CaseStudy, actor, **fields) -> CaseStudy:
    """Change the title, summary, organisation, setting, region or licence of a working copy."""
    lock_and_refresh(case_study)
    allowed = {"title", "summary", "organisation", "setting", "region", "licence"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not a case study detail: {sorted(unknown)}")
    _require_editable(case_study)
    _refuse_stakeholders(case_study, [fields.get("title", ""), fields.get("summary", "")])
    changed = [name for name, value in fields.items() if getattr(case_study, name) != value]
    for name, value in fields.items():
        setattr(case_study, name, value)
    if changed:
        _changed(case_study)
        case_study.save()
        _audit(case_study, actor, "case_study.update", "Changed the details", fields=changed)
    return case_study


@transaction.atomic
def section_update(*, case_study: CaseStudy, key: str, text: str, actor) -> CaseStudy:
    lock_and_refresh(case_study)
    if key not in SECTION_KEYS:
        raise ValueError(f"Unknown section {key!r}")
    _require_editable(case_study)
    _refuse_stakeholders(case_study, [text])
    if case_study.sections.get(key, "") != text:
        case_study.sections = {**case_study.sections, key: text}
        _changed(case_study)
        case_study.save()
        _audit(case_study, actor, "case_study.section", f"Edited \u201c{SECTION_HEADINGS[key]}\u201d")
    return case_study


@transaction.atomic
def snapshot_refresh(*, case_study: CaseStudy, actor) -> CaseStudy:
    """Freeze the project's charts, cycles and value again, as they are now (the sections are left alone)."""
    lock_and_refresh(case_study)
    _require_editable(case_study)
    case_study.snapshot = prefill.snapshot(case_study.project)
    _changed(case_study)
    case_study.save()
    _audit(case_study, actor, "case_study.snapshot", "Refreshed the charts and figures from the project")
    return case_study


@transaction.atomic
def team_set(*, case_study: CaseStudy, people, actor) -> CaseStudy:
    """Name the project's team members the case study credits; each then gives their own consent."""
    lock_and_refresh(case_study)
    _require_editable(case_study)
    project = case_study.project
    allowed = {m.user_id for m in project.members.all()} | {project.owner_id}
    chosen = [p for p in people if p.pk in allowed and p.pk != case_study.author_id]
    if {p.pk for p in chosen} != {u.pk for u in case_study.team.all()}:
        case_study.team.set(chosen)
        _changed(case_study)
        case_study.save()
        _audit(case_study, actor, "case_study.team", "Named the team", people=[p.pk for p in chosen])
    return case_study


def check_image(upload) -> str:
    """The image's type from its first bytes (PNG or JPEG only: never SVG, which can carry script)."""
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError("The image is larger than 5 MB: make it smaller and try again.")
    head = upload.read(16)
    upload.seek(0)
    for content_type, magic in IMAGE_TYPES.items():
        if head.startswith(magic):
            name = upload.name.lower()
            expected = (".png",) if content_type == "image/png" else (".jpg", ".jpeg")
            if not name.endswith(expected):
                raise ValidationError(
                    "The file's name does not match what it holds: it is a %(kind)s image.",
                    params={"kind": content_type.split("/")[1].upper()},
                )
            return content_type
    raise ValidationError("The image must be a PNG or JPEG file.")


@transaction.atomic
def image_add(
    *, case_study: CaseStudy, upload, alt_text: str, caption: str, section: str, actor
) -> CaseStudyImage:
    lock_and_refresh(case_study)
    _require_editable(case_study)
    if not alt_text.strip():
        raise ValidationError("Describe the image for people who cannot see it (its text alternative).")
    if section and section not in SECTION_KEYS:
        raise ValidationError("Choose a section for the image.")
    content_type = check_image(upload)
    _refuse_stakeholders(case_study, [alt_text, caption])
    image = CaseStudyImage(
        case_study=case_study,
        content_type=content_type,
        alt_text=alt_text.strip(),
        caption=caption.strip(),
        section=section,
    )
    extension = ".png" if content_type == "image/png" else ".jpg"
    image.image.save(f"{case_study.public_id}{extension}", upload, save=False)
    image.save()
    _changed(case_study)
    case_study.save()
    _audit(case_study, actor, "case_study.image_add", "Added an image")
    return image


@transaction.atomic
def image_remove(*, image: CaseStudyImage, actor) -> None:
    case_study = image.case_study
    lock_and_refresh(case_study)
    _require_editable(case_study)
    published = any(any(entry.get("id") == image.pk for entry in v.images) for v in case_study.versions.all())
    if not published:  # a published version still shows it: kept, and only left out of the working copy
        image.image.delete(save=False)
    image.delete() if not published else image.__class__.objects.filter(pk=image.pk).update(
        section="_removed"
    )
    _changed(case_study)
    case_study.save()
    _audit(case_study, actor, "case_study.image_remove", "Removed an image")


def _people_to_tell(case_study: CaseStudy, *, reviewers: bool) -> list:
    from shiftpractice.coaching.models import CoachAssignment

    if not reviewers:
        return [case_study.author, *case_study.team.all()]
    coaches = [
        a.coach
        for a in CoachAssignment.objects.current()
        .filter(cohort_id=case_study.project.cohort_id, participant_id=case_study.project.owner_id)
        .select_related("coach")
    ]
    return [*coaches, *case_study.programme.leads.all()]


def _url(case_study: CaseStudy) -> str:
    return reverse("stories:detail", args=[case_study.public_id])


@transaction.atomic
def submit_for_review(*, case_study: CaseStudy, actor) -> CaseStudy:
    lock_and_refresh(case_study)
    _require_editable(case_study)
    missing = [
        SECTION_HEADINGS[k]
        for k in ("problem", "what_we_did", "what_happened", "learnt")
        if not case_study.sections.get(k, "").strip()
    ]
    if not case_study.title.strip() or missing:
        raise ValidationError(
            "Write these sections before asking for review: %(missing)s.",
            params={"missing": ", ".join(missing)},
        )
    case_study.state = State.IN_REVIEW
    case_study.save()
    _audit(case_study, actor, "case_study.submit", "Asked for review")
    notify(
        recipients=_people_to_tell(case_study, reviewers=True),
        kind=Kind.CASE_STUDY,
        title=f"A case study is ready for review: {case_study.title}",
        url=_url(case_study),
        actor=actor,
    )
    return case_study


@transaction.atomic
def comment_add(*, case_study: CaseStudy, section: str, body: str, actor) -> ReviewComment:
    if section not in (*SECTION_KEYS, GENERAL):
        raise ValidationError("Choose the section the comment is about.")
    if not body.strip():
        raise ValidationError("Write the comment.")
    comment = ReviewComment.objects.create(
        case_study=case_study,
        section=section,
        body=body.strip(),
        author=actor,
        text_version=case_study.text_version,
    )
    _audit(case_study, actor, "case_study.comment", "Commented on the case study")
    notify(
        recipients=[case_study.author],
        kind=Kind.CASE_STUDY,
        title=f"A reviewer commented on your case study: {case_study.title}",
        url=_url(case_study),
        actor=actor,
    )
    return comment


@transaction.atomic
def review_decide(*, case_study: CaseStudy, decision: str, note: str, actor) -> CaseStudy:
    lock_and_refresh(case_study)
    if case_study.state != State.IN_REVIEW:
        raise ValidationError("Only a case study in review can be approved or sent back.")
    if decision == ReviewDecision.CHANGES and not note.strip():
        raise ValidationError("Say what should change, so the author knows what to do.")
    if note.strip():
        ReviewComment.objects.create(
            case_study=case_study,
            section=GENERAL,
            body=note.strip(),
            author=actor,
            text_version=case_study.text_version,
        )
    case_study.state = State.APPROVED if decision == ReviewDecision.APPROVE else State.CHANGES_REQUESTED
    case_study.save()
    approved = case_study.state == State.APPROVED
    _audit(
        case_study,
        actor,
        "case_study.approve" if approved else "case_study.changes",
        "Approved for publication" if approved else "Asked for changes",
    )
    notify(
        recipients=[case_study.author],
        kind=Kind.CASE_STUDY,
        title=(
            f"Your case study is approved: {case_study.title}"
            if approved
            else f"Changes are asked for in your case study: {case_study.title}"
        ),
        url=_url(case_study),
        actor=actor,
    )
    return case_study


@transaction.atomic
def back_to_draft(*, case_study: CaseStudy, actor) -> CaseStudy:
    """The author takes it back to change it (from review or approval), or starts a correction once published:
    the published version stays public until the correction is published."""
    lock_and_refresh(case_study)
    if case_study.state not in (State.IN_REVIEW, State.APPROVED, State.PUBLISHED, State.WITHDRAWN):
        raise ValidationError("It is a draft already.")
    case_study.state = State.DRAFT
    case_study.save()
    _audit(case_study, actor, "case_study.draft", "Took the case study back to draft")
    return case_study


def _consent(
    case_study: CaseStudy, *, kind: str, decision: str, method: str, name: str, user=None, **more
) -> Consent:
    return Consent.objects.create(
        case_study=case_study,
        kind=kind,
        decision=decision,
        method=method,
        name=name,
        user=user,
        text_version=case_study.text_version,
        text_digest=text_digest(case_study),
        wording=CONSENT_WORDING[kind],
        wording_version=CONSENT_WORDING_VERSION,
        **more,
    )


@transaction.atomic
def consent_give(
    *, case_study: CaseStudy, actor, decision: str, comment: str = "", licence: str = ""
) -> Consent:
    """The author's (with their licence choice) or a named team member's own answer, against the text as it is."""
    lock_and_refresh(case_study)
    if decision not in Decision.values:
        raise ValidationError("Choose whether you agree.")
    is_author = actor.pk == case_study.author_id
    if not is_author and not case_study.team.filter(pk=actor.pk).exists():
        raise ValidationError("Only the author and the people named on the team give consent here.")
    kind = ConsentKind.AUTHOR if is_author else ConsentKind.TEAM
    if is_author and licence and licence != case_study.licence:
        if case_study.state not in EDITABLE and case_study.state != State.APPROVED:
            raise ValidationError("The licence can be changed only before review or once approved.")
        case_study.licence = licence
        _changed(case_study)
        case_study.save()
    consent = _consent(
        case_study,
        kind=kind,
        decision=decision,
        method=ConsentMethod.IN_APP,
        name=actor.full_name,
        user=actor,
        email=actor.email,
        comment=comment.strip(),
        licence=case_study.licence if is_author else "",
    )
    _audit(
        case_study,
        actor,
        "case_study.consent",
        f"{consent.get_kind_display()}: {consent.get_decision_display()}",
        text_version=case_study.text_version,
    )
    if decision == Decision.DECLINE and case_study.is_public:
        # Someone it names no longer agrees: it leaves the public pages now, and a lead can see why.
        withdraw(
            case_study=case_study,
            reason=f"{actor.full_name} no longer agrees to its publication.",
            actor=actor,
        )
    return consent


@transaction.atomic
def signoff_request(
    *, case_study: CaseStudy, name: str, email: str, organisation: str, role: str, actor, token: str = ""
) -> SignoffRequest:
    """Email a named person at the organisation a single-use link that shows the exact text to sign off.

    ``token``: only the demo loader gives one (so it can follow its own link); otherwise a random one."""
    lock_and_refresh(case_study)
    token = token or secrets.token_urlsafe(32)
    if organisation.strip() != case_study.organisation and case_study.state not in EDITABLE:
        named = case_study.organisation or "no organisation"
        raise ValidationError(
            {
                "organisation": f"The case study names {named}: ask them, or change the organisation while it "
                "is a draft."
            }
        )
    request = SignoffRequest.objects.create(
        case_study=case_study,
        name=name.strip(),
        email=email.strip().lower(),
        organisation=organisation.strip(),
        role=role.strip(),
        token_hash=hash_token(token),
        text_version=case_study.text_version,
        created_by=actor,
        expires_at=timezone.now() + SIGNOFF_VALID,
    )
    if case_study.organisation != request.organisation and case_study.state in EDITABLE:
        case_study.organisation = request.organisation
        _changed(case_study)
        request.text_version = case_study.text_version
        request.save(update_fields=["text_version"])
        case_study.save()
    text, html = render_pair(
        "stories/emails/signoff",
        {
            "request": request,
            "case_study": case_study,
            "link": absolute(reverse("stories:signoff", args=[token])),
            "valid_days": SIGNOFF_VALID.days,
            "author": actor,
        },
    )
    email_queue(
        to=request.email,
        purpose=EmailPurpose.OTHER,
        subject=f"Please check a case study before it is published: {case_study.title}",
        reference=f"case-study-signoff:{request.pk}",
        secrets={"text": text, "html": html},
    )
    _audit(case_study, actor, "case_study.signoff_request", f"Asked {request.organisation} to sign off")
    return request


class LinkProblem(Exception):
    """A sign-off link that cannot be used; the message says why, in words for the person who followed it."""


def signoff_for_token(token: str) -> SignoffRequest:
    request = (
        SignoffRequest.objects.select_related("case_study", "case_study__programme")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if request is None:
        raise LinkProblem("This link is not one we sent. Check you copied the whole address from the email.")
    if request.used_at is not None:
        raise LinkProblem("This link has been used already: each link works once. Thank you for your answer.")
    if request.expires_at <= timezone.now():
        raise LinkProblem("This link has expired. Ask the author to send a new one.")
    if request.text_version != request.case_study.text_version:
        raise LinkProblem(
            "The case study has changed since this link was sent, so it no longer shows the text to be "
            "published. Ask the author to send a new link."
        )
    return request


@transaction.atomic
def signoff_respond(*, token: str, decision: str, confirm_name: str, comment: str = "") -> Consent:
    request = signoff_for_token(token)
    request = SignoffRequest.objects.select_for_update().get(pk=request.pk)
    if request.used_at is not None:
        raise LinkProblem("This link has been used already: each link works once. Thank you for your answer.")
    if decision not in Decision.values:
        raise ValidationError("Choose whether you agree.")
    if not confirm_name.strip():
        raise ValidationError("Type your name to confirm it is you.")
    request.used_at = timezone.now()
    request.save(update_fields=["used_at"])
    case_study = request.case_study
    consent = _consent(
        case_study,
        kind=ConsentKind.ORGANISATION,
        decision=decision,
        method=ConsentMethod.EMAIL_LINK,
        name=confirm_name.strip(),
        email=request.email,
        organisation=request.organisation,
        role=request.role,
        comment=comment.strip(),
    )
    audit(
        actor=None,
        verb="case_study.signoff",
        obj=case_study,
        summary=f"{request.organisation}: {consent.get_decision_display()}",
        text_version=case_study.text_version,
    )
    notify(
        recipients=[case_study.author],
        kind=Kind.CASE_STUDY,
        title=f"{request.organisation} answered about your case study: {consent.get_decision_display()}",
        url=_url(case_study),
    )
    return consent


def consent_status(case_study: CaseStudy) -> dict:
    """Who has agreed to the text as it is now: the author, each named team member, the organisation."""
    current = list(
        case_study.consents.filter(text_version=case_study.text_version).order_by("given_at", "id")
    )
    latest = {}
    for c in current:  # later answers replace earlier ones
        if c.kind == ConsentKind.ORGANISATION and c.organisation != case_study.organisation:
            continue  # a sign-off counts only for the organisation the case study names
        latest[(c.kind, c.user_id if c.kind != ConsentKind.ORGANISATION else None)] = c
    author = latest.get((ConsentKind.AUTHOR, case_study.author_id))
    team = [(person, latest.get((ConsentKind.TEAM, person.pk))) for person in case_study.team.all()]
    organisation = latest.get((ConsentKind.ORGANISATION, None))
    agreed = lambda c: c is not None and c.decision == Decision.AGREE  # noqa: E731
    missing = []
    if not agreed(author):
        missing.append("the author's consent")
    missing += [f"{person.full_name}'s consent" for person, c in team if not agreed(c)]
    if not agreed(organisation):
        missing.append("the organisation's sign-off")
    return {"author": author, "team": team, "organisation": organisation, "missing": missing}


def attribution(case_study: CaseStudy, team_names: list[str]) -> str:
    names = [case_study.author.full_name, *team_names]
    where = f", {case_study.organisation}" if case_study.organisation else ""
    return (", ".join(names) + where)[:400]


@transaction.atomic
def publish(*, case_study: CaseStudy, actor, note: str = "") -> PublishedVersion:
    lock_and_refresh(case_study)
    if case_study.state != State.APPROVED:
        raise ValidationError("A lead approves the case study before it is published.")
    status = consent_status(case_study)
    if status["missing"]:
        raise ValidationError(
            "It cannot be published yet: still waiting for %(missing)s to the text as it is now.",
            params={"missing": ", ".join(status["missing"])},
        )
    previous = case_study.versions.order_by("-number").first()
    if previous is not None and not note.strip():
        raise ValidationError("Say what this version corrects: the note is shown with it.")
    team_names = sorted(u.full_name for u in case_study.team.all())
    images = [
        {"id": i.pk, "alt_text": i.alt_text, "caption": i.caption, "section": i.section}
        for i in case_study.images.exclude(section="_removed").order_by("id")
    ]
    version = PublishedVersion.objects.create(
        case_study=case_study,
        number=(previous.number + 1) if previous else 1,
        title=case_study.title,
        summary=case_study.summary,
        sections={k: case_study.sections.get(k, "") for k in SECTION_KEYS},
        snapshot=case_study.snapshot,
        images=images,
        licence=case_study.licence,
        attribution=attribution(case_study, team_names),
        team_names=team_names,
        organisation=case_study.organisation,
        text_version=case_study.text_version,
        text_digest=text_digest(case_study),
        note=note.strip(),
        published_by=actor,
    )
    first_published = case_study.versions.order_by("number").values_list("published_at", flat=True).first()
    case_study.published_version = version
    case_study.state = State.PUBLISHED
    case_study.withdrawn_at = None
    case_study.withdrawal_reason = ""
    case_study.save()
    _audit(
        case_study, actor, "case_study.publish", f"Published version {version.number}", version=version.number
    )
    publication_changed.send(
        sender=CaseStudy,
        key=library_key(case_study),
        entry=library_entry(case_study, version, first_published),
    )
    notify(
        recipients=_people_to_tell(case_study, reviewers=False),
        kind=Kind.CASE_STUDY,
        title=f"Your case study is published: {case_study.title}",
        url=reverse("stories:public", args=[case_study.slug]),
        actor=actor,
    )
    from .pdf import request_build

    transaction.on_commit(lambda: request_build(version))
    return version


@transaction.atomic
def withdraw(*, case_study: CaseStudy, reason: str, actor) -> CaseStudy:
    """Take it off every public page at once; every version, consent and comment is kept."""
    lock_and_refresh(case_study)
    if case_study.withdrawn_at is not None or case_study.published_version_id is None:
        raise ValidationError("Only a published case study can be withdrawn.")
    case_study.withdrawn_at = timezone.now()
    case_study.withdrawn_by = actor
    case_study.withdrawal_reason = reason.strip()
    case_study.state = State.WITHDRAWN
    case_study.save()
    _audit(case_study, actor, "case_study.withdraw", "Withdrew the case study from publication")
    publication_changed.send(sender=CaseStudy, key=library_key(case_study), entry=None)
    return case_study


def library_key(case_study: CaseStudy) -> str:
    return f"case-study:{case_study.pk}"


def plain_text(version: PublishedVersion) -> str:
    """The published text without markup, for search."""
    from django.utils.html import strip_tags

    parts = [version.title, version.summary]
    parts += [strip_tags(render_markdown(version.sections.get(k, ""))) for k in SECTION_KEYS]
    parts += version.snapshot.get("lenses", [])
    return "\n".join(p for p in parts if p)


def library_entry(case_study: CaseStudy, version: PublishedVersion, first_published=None):
    from .entries import LibraryEntry

    lenses = [name.lower() for name in version.snapshot.get("lenses", [])]
    return LibraryEntry(
        key=library_key(case_study),
        title=version.title,
        summary=version.summary,
        text=plain_text(version),
        url=reverse("stories:public", args=[case_study.slug]),
        published_at=first_published or version.published_at,
        updated_at=version.published_at,
        licence=version.licence,
        attribution=version.attribution,
        model_version_id=getattr(case_study.project.cohort, "model_version_id", None),
        lenses=lenses,
        setting=case_study.setting,
        region=case_study.region,
        topics=[],
        pdf_url=reverse("stories:public_pdf", args=[case_study.slug]),
    )
