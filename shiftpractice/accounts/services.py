"""Writes on people: profile changes and the private calendar link."""

from django.db import transaction

from shiftpractice.core.audit import audit

from .models import User, new_calendar_token

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
