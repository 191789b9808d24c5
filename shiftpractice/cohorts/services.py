"""Writes on cohorts, memberships, invitations, workshops and attendance.

Each public function runs in one transaction, checks the rules the database cannot,
and records an audit event. Emails are queued when the transaction commits.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shiftpractice.accounts.models import normalise_email
from shiftpractice.core.audit import audit
from shiftpractice.core.choices import EmailPurpose
from shiftpractice.core.emails import email_queue
from shiftpractice.core.text import render_markdown

from .choices import Role
from .models import Attendance, Cohort, Invitation, Membership, Workshop

User = get_user_model()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def participant_count(cohort: Cohort) -> int:
    return cohort.memberships.filter(role=Role.PARTICIPANT).count()


@transaction.atomic
def cohort_update(*, cohort: Cohort, actor, **fields) -> Cohort:
    capacity = fields.get("capacity", cohort.capacity)
    current = participant_count(cohort)
    if capacity < current:
        raise ValidationError(
            {
                "capacity": f"The cohort already has {current} participants: the capacity cannot be less than that."
            }
        )
    for name, value in fields.items():
        setattr(cohort, name, value)
    cohort.full_clean()
    cohort.save()
    audit(actor=actor, verb="cohort.updated", obj=cohort, fields=sorted(fields))
    return cohort


def _add_member(*, cohort: Cohort, user, role: str) -> Membership:
    """Insert a membership with the cohort row locked, so two concurrent adds cannot overfill it."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if Membership.objects.filter(cohort=cohort, user=user).exists():
        raise ValidationError(f"{user} is already a member of {cohort}.")
    if role == Role.PARTICIPANT and participant_count(cohort) >= cohort.capacity:
        raise ValidationError(f"{cohort} is full: it has room for {cohort.capacity} participants.")
    try:
        with transaction.atomic():
            return Membership.objects.create(cohort=cohort, user=user, role=role)
    except IntegrityError as exc:  # a concurrent request added the same person first
        raise ValidationError(f"{user} is already a member of {cohort}.") from exc


@transaction.atomic
def membership_add(*, cohort: Cohort, user, role: str, actor) -> Membership:
    """Add a person to a cohort. Refuses a second membership and a participant beyond capacity."""
    membership = _add_member(cohort=cohort, user=user, role=role)
    audit(actor=actor, verb="membership.added", obj=membership, summary=str(membership), role=role)
    return membership


def _already_invited(invitation: Invitation) -> ValidationError:
    until = timezone.localtime(invitation.expires_at)
    return ValidationError(
        {
            "email": f"{invitation.email} already has an invitation to {invitation.cohort} waiting to be "
            f"accepted, valid until {until.day} {until:%B %Y}. Nothing was sent."
        }
    )


@transaction.atomic
def invitation_create(*, cohort: Cohort, email: str, role: str, actor) -> tuple[Invitation, str]:
    """Invite an email address into a cohort. Returns the invitation and the one-time token the email carries.

    The email goes through the outbox (retried if the mail server is down). The token is stored only as a hash
    on the invitation and, sealed, in the outbox row until the email is sent. A person with a live invitation to
    the cohort is not invited again; an expired one is replaced.
    """
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": "There is already an account for this email address: add the person to the cohort instead."
            }
        )
    now = timezone.now()
    open_ones = cohort.invitations.select_for_update().filter(
        email__iexact=email, accepted_at__isnull=True, superseded_at__isnull=True
    )
    for earlier in open_ones:
        if earlier.is_live:
            raise _already_invited(earlier)
        earlier.superseded_at = now
        earlier.save(update_fields=["superseded_at", "updated_at"])
        audit(actor=actor, verb="invitation.superseded", obj=earlier, summary=str(earlier))
    if role == Role.PARTICIPANT:
        pending = cohort.invitations.filter(
            role=Role.PARTICIPANT, accepted_at__isnull=True, superseded_at__isnull=True, expires_at__gt=now
        ).count()
        if participant_count(cohort) + pending >= cohort.capacity:
            raise ValidationError(
                {"email": f"{cohort} has no participant places left, counting invitations not yet accepted."}
            )
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                cohort=cohort,
                email=email,
                role=role,
                token_hash=hash_token(token),
                invited_by=actor,
                expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
            )
    except IntegrityError as exc:  # the same person invited by a concurrent request a moment ago
        earlier = cohort.invitations.filter(
            email__iexact=email, accepted_at__isnull=True, superseded_at__isnull=True
        ).first()
        if earlier is None:
            raise
        raise _already_invited(earlier) from exc
    invitation.delivery = email_queue(
        to=email,
        purpose=EmailPurpose.INVITATION,
        subject=f"You are invited to join {cohort.programme.name}",
        reference=str(invitation.pk),
        secrets={"token": token},
    )
    invitation.save(update_fields=["delivery"])
    audit(
        actor=actor,
        verb="invitation.created",
        obj=invitation,
        summary=str(invitation),
        email=email,
        role=role,
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    """Find a usable invitation by its token; raise ValidationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("cohort", "cohort__programme")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise ValidationError(
            "This invitation link is not valid. Check you copied the whole link from the email."
        )
    if invitation.is_used:
        raise ValidationError("This invitation has already been used. Sign in with the account it created.")
    if invitation.is_superseded:
        raise ValidationError(
            "This invitation has been replaced by a newer one. Use the link in the latest email you were sent."
        )
    if invitation.is_expired:
        raise ValidationError("This invitation has expired. Ask the programme lead to send you a new one.")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str):
    """Create the account an invitation is for, add it to the cohort, and mark the invitation used."""
    invitation = invitation_for_token(token)
    # Lock the row so two clicks on the same link cannot both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_used:
        raise ValidationError("This invitation has already been used. Sign in with the account it created.")
    if invitation.is_superseded:
        raise ValidationError(
            "This invitation has been replaced by a newer one. Use the latest email's link."
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("There is already an account for this email address. Sign in instead.")
    candidate = User(email=invitation.email, full_name=full_name)
    validate_password(password, user=candidate)
    user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    membership = _add_member(cohort=invitation.cohort, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit(actor=user, verb="invitation.accepted", obj=invitation, summary=str(membership))
    return user


@transaction.atomic
def workshop_save(*, workshop: Workshop, cohorts, facilitators, actor) -> Workshop:
    """Create or update a workshop with the cohorts that attend it and its facilitators."""
    cohorts = list(cohorts)
    if not cohorts:
        raise ValidationError({"cohorts": "Choose at least one cohort that attends this workshop."})
    if any(c.programme_id != workshop.programme_id for c in cohorts):
        raise ValidationError({"cohorts": "Every cohort must belong to this programme."})
    created = workshop.pk is None
    workshop.agenda_html = render_markdown(workshop.agenda)
    workshop.full_clean(exclude=["cohorts", "facilitators"])
    workshop.save()
    workshop.cohorts.set(cohorts)
    workshop.facilitators.set(facilitators)
    audit(
        actor=actor,
        verb="workshop.created" if created else "workshop.updated",
        obj=workshop,
        summary=workshop.title,
    )
    return workshop


@transaction.atomic
def attendance_record(*, workshop: Workshop, statuses: dict, actor) -> int:
    """Record attendance for each person (user id -> status); people not in the dict are left as they were."""
    allowed = set(workshop_attendees(workshop).values_list("pk", flat=True))
    unknown = set(statuses) - allowed
    if unknown:
        raise ValidationError("Attendance can only be recorded for members of the workshop's cohorts.")
    existing = {a.user_id: a for a in Attendance.objects.filter(workshop=workshop)}
    to_create, to_update = [], []
    for user_id, status in statuses.items():
        if user_id in existing:
            if existing[user_id].status != status:
                existing[user_id].status = status
                existing[user_id].recorded_by = actor
                to_update.append(existing[user_id])
        else:
            to_create.append(Attendance(workshop=workshop, user_id=user_id, status=status, recorded_by=actor))
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "recorded_by"])
    changed = len(to_create) + len(to_update)
    audit(actor=actor, verb="attendance.recorded", obj=workshop, summary=f"{changed} record(s)")
    return changed


def workshop_attendees(workshop: Workshop):
    """People expected at a workshop: the participants, coaches and facilitators of its cohorts."""
    return (
        User.objects.filter(
            memberships__cohort__workshops=workshop,
            memberships__role__in=[Role.PARTICIPANT, Role.COACH, Role.FACILITATOR],
        )
        .distinct()
        .order_by("full_name")
    )
