"""Access helpers shared by every app's permission chokepoints."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def deny_unless(allowed: bool, *, visible: bool = True, message: str = "") -> None:
    """Raise 404 when the object must not be known to exist, 403 when it is visible but not writable."""
    if allowed:
        return
    if not visible:
        raise Http404(message or "Page not found")
    raise PermissionDenied(message or "You do not have permission to do that.")
