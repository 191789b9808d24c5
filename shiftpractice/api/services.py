"""Writes on API tokens: made (the token shown once), revoked, and looked up by the API on each request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shiftpractice.core.audit import audit

from .choices import DEFAULT_DAYS, EXPIRY_CHOICES, Scope
from .models import ApiToken

TOKEN_PREFIX = "sp_"  # noqa: S105 - the start every token shares, not a secret
# How often a token's "last used" is written: at most once a minute, not on every request.
LAST_USED_EVERY = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user, name: str, scope: str = Scope.READ, days: int = DEFAULT_DAYS, actor
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; return it and the token text, which is never stored and cannot be shown
    again."""
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = "Enter a name for the token, for example “weekly data upload”."
    if scope not in Scope.values:
        errors["scope"] = "Choose what the token may do."
    if days not in dict(EXPIRY_CHOICES):
        errors["days"] = "Choose when the token expires."
    now = timezone.now()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if active.count() >= MAX_ACTIVE_TOKENS:
        errors["name"] = f"You have {MAX_ACTIVE_TOKENS} tokens in use: revoke one you no longer need first."
    elif active.filter(name__iexact=name).exists():
        errors["name"] = "You already have a token in use with this name: choose another."
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        digest=digest_of(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit(actor=actor, verb="api.token_created", obj=token, summary=name, scope=scope, days=days)
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token at once; revoking one already revoked changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
        audit(actor=actor, verb="api.token_revoked", obj=token, summary=token.name)
    return token


def token_used(token: ApiToken, *, now=None) -> None:
    """Record that the token was used (at most once a minute, in one UPDATE that needs no lock)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
