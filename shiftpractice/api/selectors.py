"""Reads on API tokens."""

from .models import ApiToken
from .services import digest_of


def token_list(*, user) -> list[ApiToken]:
    """A person's tokens, newest first: those in use, and the revoked or expired ones for the record."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id")[:100])


def token_by_text(raw: str) -> ApiToken | None:
    """The token this text is, with its person, or None (one indexed query)."""
    return ApiToken.objects.select_related("user").filter(digest=digest_of(raw)).first()
