"""Writes on outcomes: record, reword, remove, substantiate (signed in, or by a single-use emailed link).

Each public function runs in one transaction and records an audit event against the programme. Rewording what
was observed raises the outcome's ``version``: answers given about an earlier wording stay on record but no longer
set its status, and links sent about it stop working, so nobody is counted as agreeing with words they never saw.
"""

import re
import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shiftpractice.cohorts.services import hash_token
from shiftpractice.core.audit import audit
from shiftpractice.core.choices import EmailPurpose
from shiftpractice.core.emails import email_queue, render_pair
from shiftpractice.core.models import lock_and_refresh
from shiftpractice.evaluation.models import Indicator
from shiftpractice.evaluation.permissions import can_read_plan
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import absolute, notify
from shiftpractice.programmes.permissions import is_programme_lead
from shiftpractice.projects.permissions import can_edit_project

from .choices import LENS_FIELDS, ChangeKind, Status, Verdict
from .models import Outcome, Substantiation, SubstantiationRequest

LINK_VALID = timedelta(days=14)
# Fields whose change rewords what was observed (so earlier answers no longer speak for it).
SUBSTANCE = ("who_changed", "kind", "description", "happened_on", "month_only", "where", "contribution")
TEXT_FIELDS = ("who_changed", "description", "where", "contribution", "significance", "evidence")
REQUIRED = {
    "who_changed": "Say who changed: a role, team or organisation.",
    "description": "Say what changed.",
    "contribution": "Say what the project contributed to the change.",
    "significance": "Say why the change matters.",
}
# "Dr Patel", "Mrs. Jones": a titled name is a person; the harvest records roles, teams and organisations.
TITLED_NAME = re.compile(r"\b(mr|mrs|ms|miss|mx|dr|prof)\.?\s+[A-Z][a-z]", re.IGNORECASE)


class LinkProblem(Exception):
    """A substantiation link that cannot be used; the message says why, for the person who followed it."""


def _audit(outcome: Outcome, actor, verb: str, summary: str, **data) -> None:
    audit(actor=actor, verb=verb, obj=outcome, summary=summary, programme_id=outcome.programme_id, **data)


def _clean(project, fields: dict) -> dict:
    """Check and normalise an outcome's fields; raise ValidationError naming each field that is wrong."""
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    for name, message in REQUIRED.items():
        if name in cleaned and not cleaned[name]:
            errors[name] = message
    if TITLED_NAME.search(cleaned.get("who_changed", "")):
        errors["who_changed"] = (
            "Name a role, team or organisation, not a person (for example \u201cthe practice's GPs\u201d)."
        )
    if "kind" in cleaned and cleaned["kind"] not in ChangeKind.values:
        errors["kind"] = "Choose the kind of change."
    happened = cleaned.get("happened_on")
    if "happened_on" in cleaned and not isinstance(happened, date):
        errors["happened_on"] = "Say when it changed."
    elif happened is not None and happened > timezone.localdate():
        errors["happened_on"] = "An outcome is a change already seen: the date must be today or earlier."
    if "lenses" in cleaned:
        lenses = list(cleaned.pop("lenses") or [])
        if set(lenses) - set(LENS_FIELDS):
            errors["lenses"] = "Choose lenses from the list."
        for key, column in LENS_FIELDS.items():
            cleaned[column] = key in lenses
    if "indicators" in cleaned:
        wanted = {getattr(i, "pk", i) for i in cleaned["indicators"] or []}
        found = list(Indicator.objects.filter(pk__in=wanted, plan__programme_id=project.cohort.programme_id))
        if len(found) != len(wanted):
            errors["indicators"] = "Choose indicators of this programme's evaluation plan."
        cleaned["indicators"] = found
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save_fields(outcome: Outcome, cleaned: dict) -> list:
    indicators = cleaned.pop("indicators", None)
    for name, value in cleaned.items():
        setattr(outcome, name, value)
    return indicators


ALLOWED = {*TEXT_FIELDS, "kind", "happened_on", "month_only", "lenses", "indicators"}


def _refuse_unknown(fields: dict) -> None:
    unknown = set(fields) - ALLOWED
    if unknown:
        raise ValueError(f"Not an outcome field: {sorted(unknown)}")


@transaction.atomic
def outcome_create(*, project, actor, **fields) -> Outcome:
    """Record an outcome on the project (the team's or a coach's; the view checks who)."""
    _refuse_unknown(fields)
    for name in (*REQUIRED, "kind", "happened_on"):
        fields.setdefault(name, "" if name != "happened_on" else None)
    cleaned = _clean(project, fields)
    outcome = Outcome(project=project, programme_id=project.cohort.programme_id, recorded_by=actor)
    indicators = _save_fields(outcome, cleaned)
    outcome.save()
    if indicators:
        outcome.indicators.set(indicators)
    _audit(outcome, actor, "outcome.create", f"Recorded an outcome on {project.title}: {outcome}")
    return outcome


@transaction.atomic
def outcome_update(*, outcome: Outcome, actor, **fields) -> Outcome:
    """Change an outcome; rewording what was observed lets earlier answers lapse (they stay on record)."""
    _refuse_unknown(fields)
    project = outcome.project
    lock_and_refresh(outcome)
    cleaned = _clean(project, fields)
    reworded = [name for name in SUBSTANCE if name in cleaned and getattr(outcome, name) != cleaned[name]]
    indicators = _save_fields(outcome, cleaned)
    if reworded:
        outcome.version += 1
        outcome.status = Status.NONE
    outcome.save()
    if indicators is not None:
        outcome.indicators.set(indicators)
    _audit(
        outcome,
        actor,
        "outcome.update",
        f"Changed the outcome {outcome}" + (" (reworded: earlier answers lapse)" if reworded else ""),
        reworded=reworded,
    )
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: Outcome, actor) -> None:
    """Remove an outcome with its answers and links."""
    lock_and_refresh(outcome)
    _audit(outcome, actor, "outcome.delete", f"Removed the outcome {outcome} from {outcome.project.title}")
    outcome.delete()


def _require_substantiator(actor, outcome: Outcome) -> None:
    # The views ask the same through permissions; a service called from elsewhere (the API, a command) must too.
    if not can_read_plan(actor, outcome.project.cohort.programme):
        raise ValidationError("Only the programme's leads and critical friends substantiate outcomes.")


def _record_answer(
    outcome: Outcome, *, verdict: str, comment: str, name: str, role: str, by_user=None, link=None
) -> Substantiation:
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": "Choose whether you agree, partly agree or disagree."})
    comment = (comment or "").strip()
    if verdict != Verdict.AGREE and not comment:
        raise ValidationError({"comment": "Say what you see differently, so the team can learn from it."})
    answer = Substantiation.objects.create(
        outcome=outcome,
        verdict=verdict,
        comment=comment,
        outcome_version=outcome.version,
        by_user=by_user,
        link=link,
        via_link=link is not None,
        name=name,
        role=role,
    )
    outcome.status = verdict  # the latest answer about the current wording
    outcome.save(update_fields=["status", "updated_at"])
    notify(
        recipients=[outcome.project.owner],
        kind=Kind.COMMENT,
        title=f"{name} answered about an outcome of {outcome.project.title}: {answer.get_verdict_display()}",
        url=outcome.get_absolute_url(),
        actor=by_user,
    )
    return answer


@transaction.atomic
def substantiate(*, outcome: Outcome, actor, verdict: str, comment: str = "") -> Substantiation:
    """A critical friend's or a lead's answer about an outcome (never one of the project's own team's)."""
    lock_and_refresh(outcome)
    project = outcome.project
    if can_edit_project(actor, project) or outcome.recorded_by_id == actor.pk:
        raise ValidationError(
            "You cannot substantiate an outcome of your own project: ask someone who saw it."
        )
    _require_substantiator(actor, outcome)
    role = "Programme lead" if is_programme_lead(actor, project.cohort.programme) else "Critical friend"
    answer = _record_answer(
        outcome, verdict=verdict, comment=comment, name=actor.full_name, role=role, by_user=actor
    )
    _audit(outcome, actor, "outcome.substantiate", f"{answer.get_verdict_display()}: {outcome}")
    return answer


@transaction.atomic
def link_send(
    *, outcome: Outcome, actor, name: str, email: str, role: str, token: str = ""
) -> SubstantiationRequest:
    """Email an outside person a single-use link, valid 14 days, that shows this outcome only.

    ``token``: only the demo loader gives one (so it can follow its own link); otherwise a random one."""
    lock_and_refresh(outcome)
    _require_substantiator(actor, outcome)
    errors = {}
    if not (name or "").strip():
        errors["name"] = "Give the person's name."
    if not (email or "").strip():
        errors["email"] = "Give the person's email address."
    if not (role or "").strip():
        errors["role"] = "Give the person's role and organisation."
    if errors:
        raise ValidationError(errors)
    token = token or secrets.token_urlsafe(32)
    request = SubstantiationRequest.objects.create(
        outcome=outcome,
        name=name.strip(),
        email=email.strip().lower(),
        role=role.strip(),
        outcome_version=outcome.version,
        token_hash=hash_token(token),
        created_by=actor,
        expires_at=timezone.now() + LINK_VALID,
    )
    text, html = render_pair(
        "outcomes/emails/substantiate",
        {
            "request": request,
            "outcome": outcome,
            "project": outcome.project,
            "link": absolute(reverse("outcomes:link", args=[token])),
            "valid_days": LINK_VALID.days,
            "sender": actor,
        },
    )
    email_queue(
        to=request.email,
        purpose=EmailPurpose.OTHER,
        subject="Did this change happen as described? A question from an improvement programme",
        reference=f"outcome-substantiation:{request.pk}",
        secrets={"text": text, "html": html},
    )
    _audit(outcome, actor, "outcome.link_send", f"Asked {request.role} to substantiate {outcome}")
    return request


NOT_OURS = "We did not send this link, or part of it is missing: copy the whole address from the email."
ANSWERED = "An answer has already been given through this link, and each link takes one answer. Thank you."
OUT_OF_DATE = "This link was for 14 days and they have passed. The person who sent it can send a fresh one."
REWORDED = (
    "The team has reworded this outcome since the link went out, so what you would answer about is no longer "
    "what they sent. The person who sent it can send a fresh link."
)


def _why_unusable(request: SubstantiationRequest | None) -> str:
    """Why a link cannot take an answer now, in words for the person holding it; "" when it can."""
    if request is None:
        return NOT_OURS
    checks = (
        (request.used_at is not None, ANSWERED),
        (request.expires_at <= timezone.now(), OUT_OF_DATE),
        (request.outcome_version != request.outcome.version, REWORDED),
    )
    return next((message for failed, message in checks if failed), "")


def link_for_token(token: str) -> SubstantiationRequest:
    """The request behind a link, or LinkProblem saying why it cannot be used."""
    matching = SubstantiationRequest.objects.select_related(
        "outcome__project__cohort", "outcome__programme", "created_by"
    ).filter(token_hash=hash_token(token or ""))
    request = matching.first()
    problem = _why_unusable(request)
    if problem:
        raise LinkProblem(problem)
    return request


@transaction.atomic
def link_respond(*, token: str, verdict: str, comment: str = "", confirm_name: str = "") -> Substantiation:
    """The outside person's answer: once per link, and only while the outcome reads as it did when sent."""
    found = link_for_token(token)
    # Locked and read again: two answers sent at once through one link record one of them.
    list(SubstantiationRequest.objects.select_for_update().filter(pk=found.pk).values_list("pk"))
    request = SubstantiationRequest.objects.select_related("outcome").get(pk=found.pk)
    outcome = request.outcome
    lock_and_refresh(outcome)
    problem = _why_unusable(request)
    if problem:
        raise LinkProblem(problem)
    if not (confirm_name or "").strip():
        raise ValidationError({"confirm_name": "Type your name, so the team knows whose answer this is."})
    answer = _record_answer(
        outcome,
        verdict=verdict,
        comment=comment,
        name=confirm_name.strip(),
        role=request.role,
        link=request,
    )
    request.used_at = timezone.now()
    request.save(update_fields=["used_at"])
    _audit(outcome, None, "outcome.substantiate_by_link", f"{request.role}: {answer.get_verdict_display()}")
    return answer
