"""Access helpers shared by every app's permission chokepoints."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class Refused(PermissionDenied):
    """A refusal whose message is written for the person refused: the 403 page shows it as the reason."""


def deny_unless(allowed: bool, *, visible: bool = True, message: str = "") -> None:
    """Raise 404 when the object must not be known to exist, 403 when it is visible but not writable.

    ``message`` says who may do it ("Only the project's team can change it."): the 403 page shows it, so the
    person knows why and whom to ask. A 404 never shows it: it would say that the thing exists.
    """
    if allowed:
        return
    if not visible:
        raise Http404("Page not found")
    raise Refused(message)
