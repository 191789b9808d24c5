"""Writes on people: profile changes, the private calendar link, and password resets."""

from axes.utils import reset as axes_reset
from django.db import transaction

from shiftpractice.core.audit import audit
from shiftpractice.core.choices import EmailPurpose
from shiftpractice.core.emails import email_queue

from .models import User, new_calendar_token, normalise_email

RESET_EMAIL_SUBJECT = "Reset your shiftpractice password"

PROFILE_FIELDS = ("full_name", "job_title", "organisation", "region", "pronouns", "bio")


@transaction.atomic
def user_update_profile(*, user: User, actor: User, **fields: str) -> User:
    changed = [name for name in PROFILE_FIELDS if name in fields and getattr(user, name) != fields[name]]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=[*changed])
        audit(actor=actor, verb="profile.updated", obj=user, fields=changed)
    return user


@transaction.atomic
def user_reset_calendar_token(*, user: User, actor: User) -> User:
    """Issue a new private calendar feed link; the old one stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    audit(actor=actor, verb="calendar_token.reset", obj=user)
    return user


@transaction.atomic
def password_reset_request(*, user: User) -> None:
    """Put a password reset email in the outbox. It holds only the person's reference: the link, with
    Django's token, is made when the email is sent (``accounts.emails``), so no working link is stored."""
    email_queue(
        to=user.email, recipient=user, purpose=EmailPurpose.PASSWORD_RESET, subject=RESET_EMAIL_SUBJECT
    )
    audit(actor=None, verb="password_reset.requested", obj=user)


@transaction.atomic
def password_reset_completed(*, user: User) -> int:
    """After a successful reset: clear the login lock on the account (whoever caused it, from any address),
    since the person has just proved they hold its email. Returns how many lock records were cleared."""
    cleared = axes_reset(username=normalise_email(user.email))
    audit(actor=user, verb="password_reset.completed", obj=user, locks_cleared=cleared)
    return cleared
