"""What django-axes counts failed logins against, spelled exactly as login looks the person up.

Login ignores case and surrounding spaces, so the count must too: otherwise ``LOCK2@...`` would log in while
``lock2@...`` is locked, and every spelling of an address would get its own five guesses.
"""

from django.conf import settings

from .models import normalise_email


def axes_username(request, credentials: dict | None) -> str:
    """``AXES_USERNAME_CALLABLE``: the normalised email from the login's credentials (or the form, if none)."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_email(value)
