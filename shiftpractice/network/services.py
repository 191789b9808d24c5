"""Writes on the network: the public's expressions of interest and offers of help (submitted, confirmed by an
emailed link, withdrawn by another), and the lead's triage of them (notes, statuses, an invitation into a cohort
through the cohorts app's own invitation flow, a kind decline).

Each public function runs in one transaction and records an audit event; emails go through the outbox, sent
when the transaction commits. A link's token is stored only as a hash; the email that carries it is sealed in
the outbox and wiped once sent.
"""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from shiftpractice.accounts.models import normalise_email
from shiftpractice.cohorts import services as cohort_services
from shiftpractice.cohorts.models import Cohort
from shiftpractice.cohorts.services import hash_token
from shiftpractice.core.audit import audit
from shiftpractice.core.choices import EmailPurpose
from shiftpractice.core.emails import email_queue, render_pair
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import absolute, notify

from .choices import OFFER_ROLE, TRIAGE_STATUSES, ApproachKind, ApproachStatus
from .models import Approach, ApproachNote, OpenCall, RefusedSubmission

CONFIRM_VALID = timedelta(days=7)
# What a submission sets, as the form's cleaned data names it (``cohort`` is a Cohort or None).
SUBMITTED = (
    "name",
    "role",
    "organisation",
    "region",
    "change",
    "cohort",
    "offers",
    "offer_detail",
    "heard_from",
    "consent_to_contact",
)
CLOSED = "This programme is not taking expressions of interest or offers of help at the moment."
BAD_LINK = (
    "This link does not work: it has been used already, or it is not a link we sent. Nothing has changed. "
    "If you still want to get in touch, fill in the form again."
)


def _stored(data: dict) -> dict:
    """The submitted fields as they are stored (the cohort by its id), for the row or its ``pending`` JSON."""
    out = {k: data.get(k) for k in SUBMITTED if k != "cohort"}
    cohort = data.get("cohort")
    out["cohort_id"] = cohort.pk if cohort is not None else None
    out["offers"] = list(out.get("offers") or [])
    for text in ("change", "offer_detail", "heard_from"):
        out[text] = out.get(text) or ""
    out["consent_to_contact"] = bool(out.get("consent_to_contact"))
    return out


def open_call_for(programme) -> OpenCall | None:
    return OpenCall.objects.filter(programme=programme).first()


@transaction.atomic
def open_call_set(*, programme, is_open: bool, invitation: str, actor) -> OpenCall:
    call, _created = OpenCall.objects.select_for_update().get_or_create(programme=programme)
    call.is_open, call.invitation = is_open, invitation
    call.save()
    audit(
        actor=actor,
        verb="network.open_call_opened" if is_open else "network.open_call_closed",
        obj=call,
        summary=str(call),
        programme_id=programme.pk,
    )
    return call


@transaction.atomic
def refused_count(*, programme, reason: str) -> None:
    """Count a submission refused as automated (a filled honeypot, too fast, too many): nothing else is kept."""
    today = timezone.localdate()
    updated = RefusedSubmission.objects.filter(programme=programme, day=today, reason=reason).update(
        count=F("count") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                RefusedSubmission.objects.create(programme=programme, day=today, reason=reason, count=1)
        except IntegrityError:  # counted by a concurrent request a moment ago
            RefusedSubmission.objects.filter(programme=programme, day=today, reason=reason).update(
                count=F("count") + 1
            )


@transaction.atomic
def approach_submit(*, programme, kind: str, email: str, data: dict) -> Approach:
    """Take a submission of the public form and email its confirmation link. A new address makes a row that
    nobody sees until it is confirmed; an address that already has a confirmed row for this programme and kind
    keeps that row as it is, with the new answers waiting (``pending``) until the new link is followed, so
    nobody can change another person's answers by typing their address."""
    call = OpenCall.objects.filter(programme=programme, is_open=True).first()
    if call is None:
        raise ValidationError(CLOSED)
    if kind not in ApproachKind.values:
        raise ValidationError("Unknown kind of approach.")
    email = normalise_email(email)
    fields = _stored(data)
    now = timezone.now()
    confirm, withdraw = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    tokens = {
        "confirm_token_hash": hash_token(confirm),
        "confirm_expires_at": now + CONFIRM_VALID,
        "withdraw_token_hash": hash_token(withdraw),
    }
    approach = (
        Approach.objects.select_for_update().filter(programme=programme, kind=kind, email=email).first()
    )
    if approach is None:
        try:
            with transaction.atomic():
                approach = Approach.objects.create(
                    programme=programme, kind=kind, email=email, status_changed_at=now, **fields, **tokens
                )
        except IntegrityError:  # the same address submitted by a concurrent request a moment ago
            approach = Approach.objects.select_for_update().get(programme=programme, kind=kind, email=email)
    if approach.confirmed_at is None:
        for name, value in {**fields, **tokens}.items():
            setattr(approach, name, value)
        approach.pending = None
    else:
        # Confirmed already: the new answers wait for the new link, and the withdrawal link the person was
        # sent first keeps working (typing their address must not take it from them).
        approach.confirm_token_hash = tokens["confirm_token_hash"]
        approach.confirm_expires_at = tokens["confirm_expires_at"]
        if approach.withdraw_token_hash:
            withdraw = None
        else:  # they withdrew: a fresh link, for the approach they would reopen
            approach.withdraw_token_hash = tokens["withdraw_token_hash"]
        approach.pending = fields
    approach.save()
    text, html = render_pair(
        "network/emails/confirm",
        {
            "approach": approach,
            "programme": programme,
            "confirm_url": absolute(reverse("network:confirm", args=[confirm])),
            "withdraw_url": absolute(reverse("network:withdraw", args=[withdraw])) if withdraw else "",
            "valid_days": CONFIRM_VALID.days,
            "updating": approach.pending is not None,
        },
    )
    email_queue(
        to=email,
        purpose=EmailPurpose.OTHER,
        subject=f"Confirm your {'offer of help to' if kind == ApproachKind.OFFER else 'interest in'} "
        f"{programme.name}",
        reference=f"approach:{approach.public_id}",
        secrets={"text": text, "html": html},
    )
    # Not audited yet: until the address is confirmed, nothing of it is the programme's business (the leads'
    # audit log would show a name that may have been typed by someone else).
    return approach


@transaction.atomic
def approach_confirm(*, token: str) -> Approach:
    """Follow a confirmation link: the approach (or its waiting new answers) reaches the programme's leads."""
    approach = (
        Approach.objects.select_for_update()
        .select_related("programme")
        .filter(confirm_token_hash=hash_token(token))
        .exclude(confirm_token_hash="")
        .first()
    )
    if approach is None:
        raise ValidationError(BAD_LINK)
    now = timezone.now()
    if approach.confirm_expires_at is None or approach.confirm_expires_at < now:
        raise ValidationError(
            "This link has expired: links work for "
            f"{CONFIRM_VALID.days} days. Nothing has changed. Fill in the form again for a new link."
        )
    if approach.pending is not None:
        for name, value in approach.pending.items():
            setattr(approach, name, value)
        if approach.cohort_id is not None and not Cohort.objects.filter(pk=approach.cohort_id).exists():
            approach.cohort_id = None  # the cohort chosen was removed while the link waited: any cohort
        approach.pending = None
    reaches_leads = approach.status in (ApproachStatus.UNCONFIRMED, ApproachStatus.WITHDRAWN)
    if reaches_leads:
        approach.status = ApproachStatus.NEW
        approach.status_changed_at = now
    approach.confirmed_at = approach.confirmed_at or now
    approach.confirm_token_hash = ""
    approach.save()
    audit(actor=None, verb="approach.confirmed", obj=approach, summary=str(approach))
    if reaches_leads:
        notify(
            recipients=approach.programme.leads.all(),
            kind=Kind.NEW_APPROACH,
            title=f"{approach.get_kind_display()} in {approach.programme.name}: {approach.name}",
            url=approach.get_absolute_url(),
        )
    return approach


@transaction.atomic
def approach_withdraw(*, token: str) -> Approach:
    """Follow the withdrawal link: the approach leaves the leads' lists of live approaches; the record stays."""
    approach = (
        Approach.objects.select_for_update()
        .filter(withdraw_token_hash=hash_token(token))
        .exclude(withdraw_token_hash="")
        .first()
    )
    if approach is None:
        raise ValidationError(BAD_LINK)
    if approach.confirmed_at is None:
        approach.delete()  # never confirmed: nobody has seen it, and nothing of it is kept
        return approach
    approach.status = ApproachStatus.WITHDRAWN
    approach.status_changed_at = timezone.now()
    approach.withdraw_token_hash = approach.confirm_token_hash = ""
    approach.pending = None
    approach.save()
    audit(actor=None, verb="approach.withdrawn", obj=approach, summary=str(approach))
    return approach


def _check_live(approach: Approach) -> None:
    if approach.status in (ApproachStatus.UNCONFIRMED, ApproachStatus.WITHDRAWN):
        raise ValidationError(
            f"{approach.name} has withdrawn: nothing can be changed."
            if approach.status == ApproachStatus.WITHDRAWN
            else "This approach's email address is not confirmed yet."
        )


def _locked(approach: Approach) -> Approach:
    return Approach.objects.select_for_update().select_related("programme").get(pk=approach.pk)


@transaction.atomic
def approach_set_status(*, approach: Approach, status: str, actor) -> Approach:
    approach = _locked(approach)
    _check_live(approach)
    if status not in TRIAGE_STATUSES:
        raise ValidationError({"status": "Choose new, shortlisted or waiting list."})
    before = approach.status
    if before != status:
        approach.status = status
        approach.status_changed_at = timezone.now()
        approach.save(update_fields=["status", "status_changed_at", "updated_at"])
        audit(
            actor=actor,
            verb="approach.status_changed",
            obj=approach,
            summary=str(approach),
            before=before,
            after=status,
        )
    return approach


@transaction.atomic
def approach_note_add(*, approach: Approach, text: str, actor) -> ApproachNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the note."})
    note = ApproachNote.objects.create(approach=approach, author=actor, text=text)
    audit(actor=actor, verb="approach.note_added", obj=approach, summary=str(approach))
    return note


def invite_roles(approach: Approach) -> list[str]:
    """The cohort roles this approach can be invited into: a participant for interest; for an offer, the
    roles it offers (a critical friend, a coach)."""
    from shiftpractice.cohorts.choices import Role

    if approach.kind == ApproachKind.INTEREST:
        return [Role.PARTICIPANT]
    return [OFFER_ROLE[o] for o in OFFER_ROLE if o in approach.offers]


@transaction.atomic
def approach_invite(*, approach: Approach, cohort, role: str, actor) -> Approach:
    """Invite the person into one of the programme's cohorts through the cohorts app's invitation (its
    capacity checks, its one live invitation per address), and mark the approach invited."""
    approach = _locked(approach)
    _check_live(approach)
    if cohort.programme_id != approach.programme_id:
        raise ValidationError({"cohort": "Choose a cohort of this programme."})
    if role not in invite_roles(approach):
        raise ValidationError({"role": "This person did not offer that role."})
    invitation, _token = cohort_services.invitation_create(
        cohort=cohort, email=approach.email, role=role, actor=actor
    )
    before = approach.status
    approach.status = ApproachStatus.INVITED
    approach.status_changed_at = timezone.now()
    approach.invitation = invitation
    approach.save(update_fields=["status", "status_changed_at", "invitation", "updated_at"])
    audit(
        actor=actor,
        verb="approach.invited",
        obj=approach,
        summary=str(approach),
        before=before,
        cohort=cohort.slug,
        role=role,
    )
    return approach


@transaction.atomic
def approach_decline(*, approach: Approach, message: str, actor) -> Approach:
    """Decline kindly: the person gets an email (with the lead's words, if any) and the approach is closed."""
    approach = _locked(approach)
    _check_live(approach)
    if approach.status == ApproachStatus.DECLINED:
        raise ValidationError("This approach has been declined already: no second email was sent.")
    invitation = approach.invitation
    if invitation is not None and invitation.is_used:
        raise ValidationError(f"{approach.name} has accepted the invitation and joined: nothing was sent.")
    if invitation is not None and not invitation.is_superseded:
        cohort_services.invitation_revoke(invitation=invitation, actor=actor)  # its link stops working
    before = approach.status
    approach.status = ApproachStatus.DECLINED
    approach.status_changed_at = timezone.now()
    approach.save(update_fields=["status", "status_changed_at", "updated_at"])
    text, html = render_pair(
        "network/emails/decline",
        {"approach": approach, "programme": approach.programme, "message": (message or "").strip()},
    )
    email_queue(
        to=approach.email,
        purpose=EmailPurpose.OTHER,
        subject=f"Your {'offer of help to' if approach.kind == ApproachKind.OFFER else 'interest in'} "
        f"{approach.programme.name}",
        text=text,
        html=html,
        reference=f"approach:{approach.public_id}",
    )
    audit(actor=actor, verb="approach.declined", obj=approach, summary=str(approach), before=before)
    return approach
