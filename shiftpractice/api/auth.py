"""Who is calling: a personal access token (``Authorization: Bearer sp_...``), or the browser's session.

A request that sends a token is judged by the token alone: a wrong, expired or revoked one is refused with a
problem saying which, even when the browser also has a session. The session is accepted for the browser's own
use (the docs page trying an endpoint); a change through it must carry the CSRF token (``X-CSRFToken``), as a
form would. Either way ``request.auth`` is the person, and ``request.api_token`` the token (None for a session).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer

from . import selectors, services

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _refuse(detail: str) -> AuthenticationError:
    return AuthenticationError(401, detail)


class TokenAuth(HttpBearer):
    """A personal access token in the Authorization header."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise _refuse("Send the token as: Authorization: Bearer <token>.")
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str):
        found = selectors.token_by_text(token)
        if found is None:
            raise _refuse(
                "This token is not known: check it was copied whole, or make a new one on your profile."
            )
        if found.revoked_at is not None:
            raise _refuse("This token was revoked: make a new one on your profile.")
        if found.expires_at <= timezone.now():
            raise _refuse("This token has expired: make a new one on your profile.")
        if not found.user.is_active:
            raise _refuse("This account is not active.")
        services.token_used(found)
        request.api_token = found
        request.user = found.user
        return found.user


def _csrf_failure(request, reason=""):
    return reason or "CSRF check failed"


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session; changes need the CSRF token, as every form does."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS:
            request.csrf_processing_done = False
            middleware = CsrfViewMiddleware(lambda r: None)
            middleware.process_request(request)
            refused = middleware.process_view(request, _csrf_failure, (), {})
            if refused is not None:
                raise HttpError(
                    403, "A change made with the browser's session needs the CSRF token (X-CSRFToken)."
                )
        request.api_token = None
        return user


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=False)  # checked in authenticate(), for changes only
