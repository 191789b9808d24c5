"""Writes on evaluation reports: create one, write its sections, publish a version.

Publishing computes the report from live data once, in the transaction that stores it, with what has been
written so far (a section left unwritten is allowed: the version lists which), marks the chosen milestone done
with a link to the version, and tells everyone in the programme through one background broadcast whatever
their number. The PDF is drawn once in the background and kept.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from shiftpractice.core.audit import audit
from shiftpractice.notifications.broadcasts import broadcast
from shiftpractice.notifications.kinds import Kind
from shiftpractice.programmes import services as programme_services

from . import compute
from .choices import WRITTEN_HEADINGS, Judgement, ReportKind, indicator_key, question_key
from .models import Report, ReportVersion, Writing


@transaction.atomic
def report_create(*, programme, kind: str, title: str, actor, cohort=None, milestone=None) -> Report:
    if kind == ReportKind.INTERIM and (cohort is None or cohort.programme_id != programme.pk):
        raise ValidationError({"cohort": "Choose the cohort the interim report is about."})
    if kind == ReportKind.FINAL:
        cohort = None
    if milestone is not None and milestone.programme_id != programme.pk:
        raise ValidationError({"milestone": "Choose one of this programme's milestones."})
    report = Report.objects.create(
        programme=programme,
        cohort=cohort,
        kind=kind,
        title=title.strip(),
        milestone=milestone,
        created_by=actor,
    )
    audit(actor=actor, verb="report.created", obj=report, summary=report.title, programme_id=programme.pk)
    return report


def writing_keys(report: Report, data: dict | None = None) -> dict[str, str]:
    """Every section a critical friend may write in this report, key -> heading: from the plan (one query), or
    from the questions and indicators of the report's data when it has just been computed."""
    from shiftpractice.evaluation.models import EvaluationPlan

    keys = dict(WRITTEN_HEADINGS)
    if data is not None:
        questions = [(q["id"], q["text"]) for q in data.get("questions", [])]
        indicators = [(i["id"], i["name"]) for i in data.get("indicators", [])]
    else:
        plan = (
            EvaluationPlan.objects.filter(programme=report.programme)
            .prefetch_related("questions", "indicators")
            .first()
        )
        questions = [(q.pk, q.text) for q in plan.questions.all()] if plan else []
        indicators = [(i.pk, i.name) for i in plan.indicators.all()] if plan else []
    for pk, text in questions:
        keys[question_key(pk)] = f"Judgement: {text[:120]}"
    for pk, name in indicators:
        keys[indicator_key(pk)] = f"Indicator: {name}"
    return keys


@transaction.atomic
def writing_save(*, report: Report, key: str, body: str, judgement: str = "", actor) -> Writing:
    keys = writing_keys(report)
    if key not in keys:
        raise ValidationError("That is not a section of this report.")
    if judgement and judgement not in Judgement.values:
        raise ValidationError({"judgement": "Choose one of the judgements."})
    if key in WRITTEN_HEADINGS and judgement:
        judgement = ""
    writing, _ = Writing.objects.select_for_update().get_or_create(report=report, key=key)
    writing.body, writing.judgement, writing.written_by = body.strip(), judgement, actor
    writing.save()
    audit(
        actor=actor,
        verb="report.written",
        obj=report,
        summary=f"{keys[key][:80]}",
        programme_id=report.programme_id,
    )
    return writing


def writing_snapshot(report: Report, data: dict | None = None) -> tuple[dict, list[str]]:
    keys = writing_keys(report, data)
    written = {
        w.key: {
            "judgement": w.judgement,
            "judgement_label": w.get_judgement_display() if w.judgement else "",
            "body": w.body,
            "by": w.written_by.full_name if w.written_by else "",
        }
        for w in report.writings.select_related("written_by")
        if w.key in keys and (w.body or w.judgement)
    }
    unwritten = [keys[k] for k in keys if k not in written]
    return written, unwritten


def version_url(version: ReportVersion) -> str:
    return reverse("reports:version", args=[version.report.public_id, version.number])


@transaction.atomic
def publish(*, report: Report, actor, note: str = "") -> ReportVersion:
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("programme", "cohort", "milestone")
        .get(pk=report.pk)
    )
    previous = report.versions.order_by("-number").first()
    if previous is not None and not note.strip():
        raise ValidationError({"note": "Say what is new in this version: the note is shown with it."})
    data = compute.build(report.programme, report.cohort)
    written, unwritten = writing_snapshot(report, data)
    version = ReportVersion.objects.create(
        report=report,
        number=(previous.number + 1) if previous else 1,
        data=data,
        writing=written,
        unwritten=unwritten,
        note=note.strip(),
        published_by=actor,
    )
    url = version_url(version)
    if report.milestone is not None:
        programme_services.milestone_reached(
            milestone=report.milestone,
            link_url=url,
            link_text=f"{report.title}, version {version.number}",
            actor=actor,
        )
    audit(
        actor=actor,
        verb="report.published",
        obj=report,
        summary=f"Published version {version.number}",
        programme_id=report.programme_id,
        unwritten=len(unwritten),
    )
    broadcast(
        audience="programme_people",
        key=report.programme_id,
        kind=Kind.EVALUATION_REPORT,
        title=f"Published: {report.title}",
        url=url,
        actor=actor,
    )
    from .pdf import request_build

    transaction.on_commit(lambda: request_build(version))
    return version


def story_withdrawn_from_versions(sender, *, story_id: int, **kwargs) -> int:
    """A most significant change story's author withdrew consent: every published version that quoted it keeps
    only the note that it was withdrawn, and its stored PDF is drawn again. Runs in the withdrawing transaction;
    reads the versions of the story's programme (a few)."""
    from django.core.files.storage import default_storage

    from shiftpractice.msc.models import Story

    programme_id = Story.objects.filter(pk=story_id).values_list("programme_id", flat=True).first()
    changed = 0
    for version in ReportVersion.objects.select_for_update().filter(report__programme_id=programme_id):
        stories = version.data.get("stories", [])
        if not any(s.get("id") == story_id for s in stories):
            continue
        blank = {"title": "", "story": "", "why": "", "reasons": "", "author": "", "withdrawn": True}
        version.data = {
            **version.data,
            "stories": [{**s, **blank} if s.get("id") == story_id else s for s in stories],
        }
        # The PDF quoting it goes, and a build under way is told it is drawing the old text (its claim ends).
        old_pdf, version.pdf_name, version.pdf_claimed_at = version.pdf_name, "", None
        version.save(update_fields=["data", "pdf_name", "pdf_claimed_at"])
        if old_pdf:
            transaction.on_commit(lambda name=old_pdf: default_storage.delete(name), robust=True)
        audit(
            actor=None,
            verb="report.story_withdrawn",
            obj=version.report,
            summary=f"Version {version.number}",
            programme_id=programme_id,
        )
        changed += 1
    return changed
