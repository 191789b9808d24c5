"""Erase me (UK GDPR right to erasure): asked for with the password, confirmed from an emailed link, carried out
after a grace period in which the person can cancel.

``erasure_request`` (password checked by the view) sends a single-use confirmation link: a random token, of
which only the SHA-256 is stored, valid for ``ERASURE_CONFIRM_HOURS``. ``erasure_confirm`` starts the grace
period of ``ERASURE_GRACE_DAYS``; ``erasure_cancel`` stops it, at any time before the erasure. Once the grace
period is over, ``erase_due`` (``manage.py erase_due_accounts``, daily) calls ``account_erase`` for each account.

What erasure does (``account_erase``), in one transaction per person:

- **Removed**: the profile (name, email, job, organisation, region, pronouns, bio), the password (unusable), the
  calendar feed token, staff rights and groups; the account is made inactive, named "A former participant",
  its email replaced by ``erased-<random>@invalid``. Their sessions, API tokens, journal entries that only they
  (or they and their coach) could read, draft survey answers, notifications and email preferences, emails in
  the outbox to them, invitations sent to their address, data exports (and the files), failed-login records,
  and the private notes a coach kept about them.
- **Scrubbed**: their name and email wherever the platform wrote them into a log or a message (audit events,
  other people's notifications and emails, background task records, the admin's log, a measure's "collected
  by", a stakeholder's name): replaced by "a former participant". Text other people typed freely (a post saying
  "thanks, Sam") is theirs and is not rewritten.
- **Kept**, attributed to "A former participant": their contributions to shared work: change projects, PDSA
  cycles, measures and data points, posts, comments, journal entries shared with a peer group or the cohort,
  submitted survey answers (the programme's evaluation), coaching contacts, attendance, and their place in
  cohorts and teams (so leads see that someone was there). A project they owned with a team passes to the
  longest-standing team member; one they owned alone stays, owned by "A former participant", because the
  programme's leads and coaches oversee every project of their cohorts and its data feed the evaluation.
  Current coaching assignments (as coach or as participant) end on the day.
- **Refused**: the only lead of a programme cannot be erased (the programme would have nobody to run it), when
  asking, when confirming and again when the erasure is due (the request is then marked refused and the person
  emailed why).
- **Recorded**: an audit event ``privacy.account_erased`` for each programme they were part of, with no
  personal data, so leads see that an erasure happened, not what was erased.

- **Case studies**: a consent to publish is a consent to publish with the person's name, so every published case
  study they wrote or are named in is withdrawn (the record kept, their name scrubbed from its versions and
  consents), and those they wrote and never published are deleted with their images (``_case_studies``).
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import secrets
import uuid
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from shiftpractice.accounts.models import _TITLES, ERASED_NAME, new_calendar_token
from shiftpractice.coaching.choices import Privacy
from shiftpractice.coaching.models import CoachAssignment, CoachNote, JournalEntry
from shiftpractice.cohorts.models import Invitation, Membership
from shiftpractice.core.audit import audit
from shiftpractice.core.choices import EmailPurpose
from shiftpractice.core.emails import email_queue, render_pair
from shiftpractice.core.models import EmailDelivery
from shiftpractice.evaluation.choices import ResponseStatus
from shiftpractice.evaluation.models import Response
from shiftpractice.network import events as network_events
from shiftpractice.network.models import Approach, Block, DigestLedger, DirectoryProfile, EventSignup
from shiftpractice.notifications.models import Notification, NotificationPreference, ReminderLedger
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.choices import TeamRole
from shiftpractice.projects.models import ChangeProject, ProgressScore, ProjectMember
from shiftpractice.stories import services as story_services
from shiftpractice.stories.models import CaseStudy, Consent

from .choices import ERASURE_OPEN, ErasureStatus
from .models import DataExport, ErasureRequest

logger = logging.getLogger(__name__)

INVALID_LINK = (
    "This link to confirm erasing your account does not work: it may have been used already, have expired, "
    "or belong to another account. Nothing has changed. You can ask again from the “Your data” page."
)
ERASED_IN_TEXT = "a former participant"


# ---------------------------------------------------------------------------------------------------------------
# Asking, confirming, cancelling


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def last_lead_of(user) -> list:
    """The programmes the person is the only lead of: erasing them would leave the programme without one (a
    lead whose account is deactivated or erased does not count)."""
    led = Programme.objects.filter(leads=user).prefetch_related("leads")
    return [
        p
        for p in led
        if not any(lead.pk != user.pk and lead.is_active and lead.erased_at is None for lead in p.leads.all())
    ]


def refusal_reason(user) -> str:
    """Why the account cannot be erased now, or "" if it can."""
    only = last_lead_of(user)
    if not only:
        return ""
    names = ", ".join(p.name for p in only)
    return (
        f"You are the only lead of {names}. A programme needs a lead: ask another person to be added as a lead "
        "(or ask the platform's staff to close the programme), then ask again."
    )


def open_request(user, now=None) -> ErasureRequest | None:
    """The person's request under way: confirmed and waiting, or unconfirmed with a link still working (one whose
    link has expired is replaced when they ask again)."""
    if not getattr(user, "is_authenticated", False):
        return None
    waiting = Q(status=ErasureStatus.SCHEDULED) | Q(
        status=ErasureStatus.AWAITING_CONFIRMATION, confirm_by__gt=now or timezone.now()
    )
    return ErasureRequest.objects.filter(waiting, user=user).first()


def _data_page() -> str:
    return settings.SITE_URL + reverse("privacy_pages:data")


@transaction.atomic
def erasure_request(*, user, now=None) -> ErasureRequest:
    """Ask for erasure (the view has checked the password): an unconfirmed earlier request is replaced, so only
    the newest link works. Refused with the reason for the only lead of a programme, or while a confirmed
    erasure is already waiting out its grace period."""
    now = now or timezone.now()
    reason = refusal_reason(user)
    if reason:
        raise ValidationError(reason)
    earlier = ErasureRequest.objects.select_for_update().filter(user=user, status__in=ERASURE_OPEN).first()
    if earlier is not None and earlier.status == ErasureStatus.SCHEDULED:
        raise ValidationError(
            f"Your account is already due to be erased on {timezone.localtime(earlier.erase_after):%-d %B %Y}."
        )
    if earlier is not None:
        earlier.status, earlier.cancelled_at, earlier.token_hash = ErasureStatus.CANCELLED, now, ""
        earlier.save(update_fields=["status", "cancelled_at", "token_hash"])
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(
                user=user,
                token_hash=hash_token(token),
                confirm_by=now + timedelta(hours=settings.ERASURE_CONFIRM_HOURS),
            )
    except IntegrityError:  # a second request at the same moment: ask again
        raise ValidationError("Your request was already being made. Reload the page.") from None
    link = settings.SITE_URL + reverse("privacy_pages:erasure_confirm", args=[token])
    text, html = render_pair(
        "privacy/email/erasure_confirm",
        {
            "link": link,
            "hours": settings.ERASURE_CONFIRM_HOURS,
            "grace_days": settings.ERASURE_GRACE_DAYS,
            "data_page": _data_page(),
        },
    )
    # The working link travels sealed and is wiped once the email has gone: the outbox never keeps it readable.
    email_queue(
        to=user.email,
        recipient=user,
        purpose=EmailPurpose.OTHER,
        subject="Confirm that you want your shiftpractice account erased",
        reference=f"erasure:{request.public_id}",
        secrets={"text": text, "html": html},
    )
    audit(actor=user, verb="privacy.erasure_requested", obj=request)
    return request


def request_for_token(*, user, token: str, now=None) -> ErasureRequest:
    """The request a confirmation link belongs to, if it is the signed-in person's, unused and in time."""
    now = now or timezone.now()
    found = ErasureRequest.objects.filter(
        token_hash=hash_token(token or ""),
        user_id=getattr(user, "pk", None),
        status=ErasureStatus.AWAITING_CONFIRMATION,
        confirm_by__gt=now,
    ).first()
    if found is None or not token:
        raise ValidationError(INVALID_LINK)
    return found


@transaction.atomic
def erasure_confirm(*, user, token: str, now=None) -> ErasureRequest:
    """Confirm from the emailed link (once): the grace period starts."""
    now = now or timezone.now()
    request = request_for_token(user=user, token=token, now=now)
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ErasureStatus.AWAITING_CONFIRMATION or not request.token_hash:
        raise ValidationError(INVALID_LINK)
    reason = refusal_reason(user)
    if reason:
        raise ValidationError(reason)
    request.status, request.confirmed_at, request.token_hash = ErasureStatus.SCHEDULED, now, ""
    request.erase_after = now + timedelta(days=settings.ERASURE_GRACE_DAYS)
    request.save(update_fields=["status", "confirmed_at", "token_hash", "erase_after"])
    when = timezone.localtime(request.erase_after)
    text, html = render_pair(
        "privacy/email/erasure_scheduled",
        {
            "when": when,
            "cancel_link": settings.SITE_URL
            + reverse("privacy_pages:erasure_cancel", args=[request.public_id]),
            "data_page": _data_page(),
        },
    )
    email_queue(
        to=user.email,
        recipient=user,
        purpose=EmailPurpose.OTHER,
        subject=f"Your shiftpractice account will be erased on {when:%-d %B %Y}",
        text=text,
        html=html,
        reference=f"erasure:{request.public_id}",
    )
    audit(
        actor=user, verb="privacy.erasure_confirmed", obj=request, erase_after=request.erase_after.isoformat()
    )
    return request


@transaction.atomic
def erasure_cancel(*, request: ErasureRequest, actor, now=None) -> ErasureRequest:
    """Stop an erasure not yet carried out (its person only: the view finds it through the chokepoint)."""
    now = now or timezone.now()
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in ERASURE_OPEN:
        raise ValidationError(
            "This request is no longer waiting: it was cancelled already, or the account was erased."
        )
    request.status, request.cancelled_at, request.token_hash = ErasureStatus.CANCELLED, now, ""
    request.save(update_fields=["status", "cancelled_at", "token_hash"])
    audit(actor=actor, verb="privacy.erasure_cancelled", obj=request)
    return request


# ---------------------------------------------------------------------------------------------------------------
# Carrying it out


def erase_due(now=None) -> dict[str, int]:
    """Erase every account whose grace period is over (idempotent: an erased or refused request is not due, and
    each is taken under a row lock, so two runs at once erase each account once)."""
    now = now or timezone.now()
    due = ErasureRequest.objects.filter(status=ErasureStatus.SCHEDULED, erase_after__lte=now).values_list(
        "pk", flat=True
    )
    counts = {"erased": 0, "refused": 0}
    for pk in list(due):
        try:
            outcome = account_erase(request_id=pk, now=now)
        except Exception:  # one account's failure must not stop the others; it stays due for the next run
            logger.exception("erasure request %s failed", pk)
            continue
        if outcome in counts:
            counts[outcome] += 1
    return counts


@transaction.atomic
def account_erase(*, request_id: int, now=None) -> str:
    """Erase the account of one due request: "erased", "refused" (with the reason, told to the person) or
    "not due" (cancelled, done already, or its grace period not over)."""
    now = now or timezone.now()
    request = (
        ErasureRequest.objects.select_for_update()
        .filter(pk=request_id, status=ErasureStatus.SCHEDULED, erase_after__lte=now)
        .first()
    )
    if request is None:
        return "not due"
    user = get_user_model().objects.select_for_update().get(pk=request.user_id)
    # Lock the programmes they lead, as removing a lead does, so two leads of one programme erased at the same
    # moment cannot both pass the "not the only lead" check.
    led = Programme.leads.through.objects.filter(user_id=user.pk).values_list("programme_id", flat=True)
    list(Programme.objects.select_for_update().filter(pk__in=list(led)).values_list("pk", flat=True))
    reason = refusal_reason(user)
    if reason:
        request.status, request.problem = ErasureStatus.REFUSED, reason[:500]
        request.save(update_fields=["status", "problem"])
        text, html = render_pair(
            "privacy/email/erasure_refused", {"reason": reason, "data_page": _data_page()}
        )
        email_queue(
            to=user.email,
            recipient=user,
            purpose=EmailPurpose.OTHER,
            subject="We could not erase your shiftpractice account",
            text=text,
            html=html,
            reference=f"erasure:{request.public_id}",
        )
        audit(actor=None, verb="privacy.erasure_refused", obj=request, summary="The only lead of a programme")
        return "refused"
    programme_ids = _programmes_of(user)
    terms = _terms(user)
    _delete_private(user)
    _hand_over(user, now)
    _case_studies(user)
    _scrub(user, terms)
    _anonymise(user, now)
    request.status, request.erased_at, request.token_hash = ErasureStatus.ERASED, now, ""
    request.save(update_fields=["status", "erased_at", "token_hash"])
    _record(user, request, programme_ids)
    return "erased"


def _programmes_of(user) -> list[int]:
    ids = set(Membership.objects.filter(user=user).values_list("cohort__programme_id", flat=True))
    ids |= set(Programme.objects.filter(leads=user).values_list("pk", flat=True))
    return sorted(ids)


def _delete_private(user) -> None:
    """What was the person's alone, or about them alone, and shared with nobody who keeps working on it."""
    JournalEntry.objects.filter(author=user, privacy__in=[Privacy.PRIVATE, Privacy.COACH]).delete()
    Response.objects.filter(respondent=user, status=ResponseStatus.DRAFT).delete()
    CoachNote.objects.filter(contact__assignment__participant=user).delete()
    # The API app is privacy's sibling in the layering (neither imports the other): its tokens by label.
    _model("api.ApiToken").objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    ReminderLedger.objects.filter(recipient=user).delete()
    Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).delete()
    # The network: their directory entry (listed or not), blocks either way, bookings, the digest's ledger, and
    # whatever they sent through a programme's open call from this address.
    DirectoryProfile.objects.filter(user=user).delete()
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
    booked = list(EventSignup.objects.filter(user=user).values_list("event_id", flat=True))
    EventSignup.objects.filter(user=user).delete()
    network_events.release_places(booked)  # their places go to the waiting lists
    DigestLedger.objects.filter(user=user).delete()
    Approach.objects.filter(email__iexact=user.email).delete()
    EmailDelivery.objects.filter(Q(recipient=user) | Q(to_address__iexact=user.email)).delete()
    for export in DataExport.objects.filter(user=user):
        if export.file:
            storage, name = export.file.storage, export.file.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name), robust=True)
        export.delete()
    _end_sessions(user)
    for label in ("axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"):
        model = _model(label)
        if model is not None:
            model.objects.filter(username__iexact=user.email).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).update(object_repr=ERASED_NAME, change_message="")


def _end_sessions(user) -> None:
    # The session table has no column for its user: read each live session (a daily job, so the scan is fine).
    # The unusable password would end them anyway (a session is tied to the password hash it started with).
    mine = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        # An unreadable session decodes as empty (Django logs it), so it belongs to nobody.
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            mine.append(session.session_key)
    Session.objects.filter(session_key__in=mine).delete()


def _hand_over(user, now) -> None:
    """Work others carry on: a team project passes to its longest-standing team member; the person leaves the
    programmes they lead (never the last lead: refused before this); current coaching ends today."""
    for project in ChangeProject.objects.filter(owner=user):
        heir = (
            ProjectMember.objects.filter(project=project, role=TeamRole.MEMBER, user__is_active=True)
            .exclude(user=user)
            .order_by("pk")
            .first()
        )
        if heir is None:
            continue  # owned alone: kept, owned by "A former participant" (see the module's docstring)
        project.owner_id = heir.user_id
        project.save(update_fields=["owner"])
        heir.delete()
        ProjectMember.objects.get_or_create(project=project, user=user, defaults={"role": TeamRole.MEMBER})
        audit(
            actor=None, verb="project.owner_passed_on", obj=project, summary="The owner's account was erased"
        )
    # Story pages are cached by the project's last change: what showed the person's name is drawn again.
    shown = (
        Q(owner=user)
        | Q(members__user=user)
        | Q(pk__in=ProgressScore.objects.filter(set_by=user).values("project"))
    )
    ChangeProject.objects.filter(pk__in=ChangeProject.objects.filter(shown).values("pk")).update(
        updated_at=now
    )
    for programme in Programme.objects.filter(leads=user):
        programme.leads.remove(user)
    today = timezone.localdate(now)
    ongoing = CoachAssignment.objects.filter(Q(coach=user) | Q(participant=user)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    for assignment in ongoing:
        if assignment.starts_on > today and not assignment.contacts.exists():
            assignment.delete()  # support that never began: nothing of it to keep
            continue
        assignment.ends_on = max(today, assignment.starts_on)
        assignment.save(update_fields=["ends_on", "updated_at"])


def _case_studies(user) -> None:
    """The consent a person gives to a case study is to publish it with their name, so it ends with their account:
    every published case study they wrote or are named in is withdrawn (kept on record, their name scrubbed from
    it by ``_scrub``), and the case studies they wrote and never published are deleted with their images."""
    involved = CaseStudy.objects.filter(Q(author=user) | Q(team=user)).distinct()
    for case_study in involved.filter(published_version__isnull=False, withdrawn_at__isnull=True):
        story_services.withdraw(
            case_study=case_study, reason="An author's or named team member's account was erased.", actor=None
        )
    for case_study in CaseStudy.objects.filter(author=user, published_version__isnull=True):
        for image in case_study.images.all():
            storage, name = image.image.storage, image.image.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name), robust=True)
        case_study.delete()
    Consent.objects.filter(user=user).update(name=ERASED_NAME, email="")
    # Leaving a team changes the credited text: the consents given to it lapse (a new text version).
    CaseStudy.objects.filter(team=user).update(text_version=F("text_version") + 1)
    CaseStudy.team.through.objects.filter(user=user).delete()


def _terms(user) -> dict[str, list[str]]:
    """What to look for: the email and full name everywhere; the single names only in rows about the person."""
    whole = [t for t in {user.email.strip(), user.full_name.strip()} if t]
    parts = [
        w
        for w in re.split(r"[\s,]+", user.full_name)
        if len(w) >= 2 and w.rstrip(".").lower() not in _TITLES and w not in whole
    ]
    return {"whole": _spellings(whole), "parts": _spellings(parts)}


def _spellings(terms: list[str]) -> list[str]:
    """Each term as stored: as typed, escaped in JSON (SQLite stores "\\u00eb" for "ë") and escaped in HTML
    (an email's HTML part holds "O&#x27;Brien")."""
    out = []
    for term in terms:
        for spelling in (term, json.dumps(term)[1:-1], html.escape(term)):
            if spelling not in out:
                out.append(spelling)
    return out


# The places the platform itself writes a person's name or email into text: (model, fields, rows about them,
# rows that may be changed at all). A task that has not finished yet is left alone: its arguments are ids, and
# rewriting a queued task would change what it does.
def _scrub_targets(user) -> list[tuple[str, list[str], Q, Q]]:
    about = Q(actor=user) | Q(subject=user) | Q(object_type="accounts.user", object_id=str(user.pk))
    none = Q(pk__in=[])
    return [
        ("core.AuditEvent", ["summary", "data"], about, Q()),
        ("core.EmailDelivery", ["subject", "text", "html", "last_error"], none, Q()),
        ("notifications.Notification", ["title", "body"], Q(actor=user), Q()),
        ("notifications.Broadcast", ["title", "body"], Q(actor=user), Q()),
        (
            "django_tasks_database.DBTaskResult",
            ["args_kwargs", "return_value", "traceback"],
            none,
            Q(status__in=["SUCCESSFUL", "FAILED"]),
        ),
        ("admin.LogEntry", ["object_repr", "change_message"], Q(user=user), Q()),
        ("measures.Measure", ["collected_by"], none, Q()),
        ("projects.Stakeholder", ["name"], none, Q()),
        ("stories.PublishedVersion", ["attribution", "team_names"], none, Q()),
        ("library.LibraryItem", ["attribution", "search_text"], none, Q()),
        ("evaluation.PlanChange", ["summary", "before"], Q(actor=user), Q()),
    ]


def _scrub(user, terms: dict[str, list[str]]) -> int:
    """Replace the person's name and email with "a former participant" wherever the platform wrote them.

    Rows about the person (they acted, or the row is about them) lose the full name, the email and each single
    name; any other row only the full name or the whole email address, as whole words: "Jo Smith" is not
    taken out of "Jo Smithson", nor "jo@nhs.net" out of "bojo@nhs.net", nor "Will" out of someone else's
    "will"."""
    changed = 0
    whole_only = {"whole": terms["whole"], "parts": []}
    for label, fields, about, within in _scrub_targets(user):
        model = _model(label)
        if model is None:
            continue
        fields = [f for f in fields if _has_field(model, f)]
        mentions = Q(pk__in=[])
        for field in fields:
            for term in terms["whole"]:
                mentions |= Q(**{f"{field}__icontains": term})
        # The rows about them first; a row found again by a mention then has nothing left to replace.
        for rows, these_terms in ((about, terms), (mentions, whole_only)):
            queryset = model._base_manager.filter(rows & within).only("pk", *fields)
            for row in queryset.iterator(chunk_size=500):
                update = {}
                for field in fields:
                    value = getattr(row, field)
                    new = _replace(value, these_terms)
                    if new != value:
                        update[field] = new
                if update:
                    model._base_manager.filter(pk=row.pk).update(**update)
                    changed += 1
    return changed


def _pattern(term: str, *, ignore_case: bool) -> re.Pattern:
    """The term as a whole word; an email address as a whole address (not inside a longer one)."""
    if "@" in term:
        before, after = r"(?<![\w.+-])", r"(?![\w-]|\.\w)"
    else:
        before, after = r"(?<!\w)", r"(?!\w)"
    return re.compile(before + re.escape(term) + after, re.IGNORECASE if ignore_case else 0)


def _replace(value, terms: dict[str, list[str]]):
    """The value with the terms replaced: the full name and email in any case, a single name only as written
    (a capitalised "Will", never "will"). Keys of a JSON object are left as they are."""
    if isinstance(value, str):
        for term in terms["whole"]:
            value = _pattern(term, ignore_case=True).sub(_erased_phrase, value)
        for term in terms["parts"]:
            value = _pattern(term, ignore_case=False).sub(_erased_phrase, value)
        return value
    if isinstance(value, dict):
        return {k: _replace(v, terms) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, terms) for v in value]
    return value


def _erased_phrase(match: re.Match) -> str:
    at_start = match.start() == 0 or match.string[: match.start()].rstrip().endswith((".", ":", "\n"))
    return ERASED_NAME if at_start else ERASED_IN_TEXT


def _anonymise(user, now) -> None:
    user.email = f"erased-{uuid.uuid4().hex}@invalid"
    user.full_name = ERASED_NAME
    for field in ("job_title", "organisation", "region", "pronouns", "bio"):
        setattr(user, field, "")
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.calendar_token = new_calendar_token()
    user.erased_at = now
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _record(user, request: ErasureRequest, programme_ids: list[int]) -> None:
    """Leads see that an erasure happened: one event per programme the person was part of (its leads' audit
    viewer lists it), on the account's row, with nothing personal in it."""
    summary = "A former participant's account was erased at their request."
    for programme_id in programme_ids or [None]:
        audit(actor=None, verb="privacy.account_erased", obj=user, summary=summary, programme_id=programme_id)


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _has_field(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return name.endswith("_id") and _has_field(model, name.removesuffix("_id"))
    return isinstance(field, models.Field)
