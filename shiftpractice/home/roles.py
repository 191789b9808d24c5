"""What roles a person holds across the programmes, computed once per request (``cohorts.roles``)."""

from shiftpractice.cohorts.roles import PersonRoles, roles_of

__all__ = ["PersonRoles", "roles_for"]


def roles_for(request) -> PersonRoles:
    """The person's roles: the navigation, the home page and the sharing rules share one read a request (kept
    on the request too, for a request built without the middleware)."""
    cached = getattr(request, "_shiftpractice_roles", None)
    if cached is None:
        cached = request._shiftpractice_roles = roles_of(request.user)
    return cached
