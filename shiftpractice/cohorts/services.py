"""Writes on cohorts, memberships, invitations, workshops and attendance.

Each public function runs in one transaction, checks the rules the database cannot,
and records an audit event. Emails are queued when the transaction commits.
"""

import hashlib
import os
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from shiftpractice.accounts.models import normalise_email
from shiftpractice.core.audit import audit
from shiftpractice.core.choices import EmailPurpose
from shiftpractice.core.emails import email_queue, render_pair
from shiftpractice.core.text import render_markdown

from .choices import CohortStatus, Role
from .models import Attendance, Cohort, Invitation, Membership, Workshop, WorkshopMaterial
from .uploads import check_material_file, extension_of

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
    if invitation.is_revoked:
        raise ValidationError(
            "This invitation was withdrawn by the programme lead. Ask them if you think this is a mistake."
        )
    if invitation.is_superseded:
        raise ValidationError(
            "This invitation has been replaced by a newer one. Use the link in the latest email you were sent."
        )
    if invitation.is_expired:
        raise ValidationError("This invitation has expired. Ask the programme lead to send you a new one.")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str, accepts_sharing_terms: bool = False):
    """Create the account an invitation is for, add it to the cohort, and mark the invitation used.

    Joining means accepting the programme's sharing terms (``choices.SHARING_TERMS``), shown on the page."""
    if not accepts_sharing_terms:
        raise ValidationError(
            {"accept_terms": "Confirm you accept the programme's sharing terms to join it."}
        )
    invitation = invitation_for_token(token)
    # Lock the row so two clicks on the same link cannot both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_used:
        raise ValidationError("This invitation has already been used. Sign in with the account it created.")
    if invitation.is_revoked:
        raise ValidationError("This invitation was withdrawn by the programme lead.")
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
    membership.sharing_terms_accepted_at = timezone.now()
    membership.save(update_fields=["sharing_terms_accepted_at", "updated_at"])
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


# --- Setting up and closing cohorts -------------------------------------------------------------------------


@transaction.atomic
def cohort_create(*, programme, actor, coaches=(), **fields) -> Cohort:
    """Create a cohort of a programme with a unique slug, and add the chosen accounts as its coaches."""
    cohort = Cohort(programme=programme, **fields)
    cohort.slug = _unique_slug(f"{programme.slug}-{fields.get('name', '')}")
    cohort.full_clean()
    cohort.save()
    for coach in coaches:
        Membership.objects.create(cohort=cohort, user=coach, role=Role.COACH)
    audit(
        actor=actor,
        verb="cohort.created",
        obj=cohort,
        summary=cohort.name,
        coaches=sorted(c.email for c in coaches),
    )
    return cohort


def _unique_slug(text: str) -> str:
    base = (slugify(text) or "cohort")[:70].strip("-")
    slug, n = base, 2
    while Cohort.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def cohort_close(*, cohort: Cohort, actor) -> int:
    """Mark a cohort finished and withdraw the invitations still waiting; its members and work stay.

    A lead may still invite or add someone afterwards (a critical friend who evaluates it, say).

    Returns how many invitations were withdrawn."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status == CohortStatus.FINISHED:
        raise ValidationError(f"{cohort} is already closed.")
    cohort.status = CohortStatus.FINISHED
    cohort.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    withdrawn = cohort.invitations.filter(accepted_at__isnull=True, superseded_at__isnull=True).update(
        superseded_at=now, revoked_at=now, updated_at=now
    )
    audit(actor=actor, verb="cohort.closed", obj=cohort, summary=cohort.name, invitations_withdrawn=withdrawn)
    return withdrawn


# --- Membership -----------------------------------------------------------------------------------------------


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """End a person's place in a cohort, and tell them by email.

    Only the membership goes: their projects, journal and data stay theirs (owners always read and edit their
    own work), and their access to the cohort's pages and to other people's work through the cohort ends."""
    membership = Membership.objects.select_related("cohort__programme", "user").get(pk=membership.pk)
    person, cohort = membership.user, membership.cohort
    summary = str(membership)
    membership.delete()
    text, html = render_pair(
        "cohorts/email/removed", {"person": person, "cohort": cohort, "site_url": settings.SITE_URL}
    )
    email_queue(
        recipient=person,
        to=person.email,
        purpose=EmailPurpose.OTHER,
        subject=f"You are no longer a member of {cohort.name}",
        text=text,
        html=html,
    )
    audit(actor=actor, verb="membership.removed", obj=cohort, summary=summary, user=person.email)


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor) -> Membership:
    """Give a member another role in the cohort; a new participant must fit within the cohort's capacity."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the roles listed."})
    cohort = Cohort.objects.select_for_update().get(pk=membership.cohort_id)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    old = membership.role
    if old == role:
        raise ValidationError(
            {"role": f"{membership.user}'s role is already {membership.get_role_display()}."}
        )
    if role == Role.PARTICIPANT and participant_count(cohort) >= cohort.capacity:
        raise ValidationError(
            {
                "role": f"{cohort} is full: it has room for {cohort.capacity} participants. Nothing was changed."
            }
        )
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit(
        actor=actor,
        verb="membership.role_changed",
        obj=membership,
        summary=str(membership),
        old=old,
        new=role,
    )
    return membership


# --- Invitations ----------------------------------------------------------------------------------------------


def open_invitations(cohort: Cohort):
    """Invitations neither accepted nor closed (live or expired), newest first."""
    return cohort.invitations.filter(accepted_at__isnull=True, superseded_at__isnull=True)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    """Withdraw an invitation: its link stops working at once, and an email not yet sent is not sent."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_used:
        raise ValidationError(f"{invitation.email} has already joined: remove the member instead.")
    if invitation.is_superseded:
        raise ValidationError(f"The invitation to {invitation.email} is already closed.")
    invitation.superseded_at = invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["superseded_at", "revoked_at", "updated_at"])
    audit(actor=actor, verb="invitation.revoked", obj=invitation, summary=str(invitation))
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> tuple[Invitation, str]:
    """Send a fresh invitation (new link, new expiry) in place of an open, expired or withdrawn one.

    Refused, with nothing changed, when the person has since joined or has an account."""
    invitation = Invitation.objects.select_for_update().select_related("cohort").get(pk=invitation.pk)
    cohort = invitation.cohort
    account = User.objects.filter(email__iexact=invitation.email).first()
    if invitation.is_used or (account and cohort.memberships.filter(user=account).exists()):
        raise ValidationError(f"{invitation.email} has since joined {cohort}: there is nothing to resend.")
    if account is not None:
        raise ValidationError(
            f"{invitation.email} now has an account: add them to the cohort instead. Nothing was sent."
        )
    newer = open_invitations(cohort).filter(email__iexact=invitation.email).exclude(pk=invitation.pk)
    if newer.exists():
        raise ValidationError(
            f"{invitation.email} already has a newer invitation: resend that one instead. Nothing was sent."
        )
    if not invitation.is_superseded:
        invitation.superseded_at = timezone.now()
        invitation.save(update_fields=["superseded_at", "updated_at"])
    audit(actor=actor, verb="invitation.resent", obj=invitation, summary=str(invitation))
    return invitation_create(cohort=cohort, email=invitation.email, role=invitation.role, actor=actor)


# --- Workshop materials ---------------------------------------------------------------------------------------


@transaction.atomic
def material_add(*, workshop: Workshop, title: str, actor, url: str = "", upload=None) -> WorkshopMaterial:
    """Add a link, or a file that passed ``uploads.check_material_file``, to a workshop."""
    if bool(url) == bool(upload):
        raise ValidationError("Give either a link or a file, not both.")
    material = WorkshopMaterial(workshop=workshop, title=title, url=url or "", added_by=actor)
    if upload is not None:
        check_material_file(upload)
        material.filename = os.path.basename(upload.name)[:200]
        material.content_type = upload.content_type
        material.size = upload.size
        # A random stored name: the person's file name never reaches the file system.
        material.file.save(f"{uuid.uuid4().hex}.{extension_of(upload.name)}", upload, save=False)
    try:
        material.full_clean()
        material.save()
    except Exception:
        if material.file:
            default_storage.delete(material.file.name)  # no row, so no orphan file either
        raise
    audit(actor=actor, verb="workshop.material_added", obj=workshop, summary=title)
    return material


@transaction.atomic
def material_remove(*, material: WorkshopMaterial, actor) -> None:
    name = material.file.name if material.file else ""
    workshop, title = material.workshop, material.title
    material.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
    audit(actor=actor, verb="workshop.material_removed", obj=workshop, summary=title)
