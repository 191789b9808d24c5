"""What every endpoint module shares: the caller, the write scope, absolute links, people."""

from __future__ import annotations

from .. import problems


def caller(request):
    """The person calling (``request.auth``: set by the token or the session, never anonymous here)."""
    return request.auth


def require_write(request) -> None:
    """A change needs a token that may write (a session may: it is the person at the keyboard)."""
    token = getattr(request, "api_token", None)
    if token is not None and not token.can_write:
        raise problems.ApiProblem(
            403,
            "This token may only read. Make a token that may read and write on your profile.",
            kind="token-scope",
            title="The token may not change anything",
        )


def link(request, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


def person(user) -> dict:
    return {"id": user.public_id, "name": user.full_name}


def filtered(queryset, params, lookups: dict[str, str]):
    """``queryset`` narrowed by each filter the request set: parameter name -> the ORM lookup it fills."""
    for name, lookup in lookups.items():
        value = getattr(params, name)
        if value is not None and value != "":
            queryset = queryset.filter(**{lookup: value})
    return queryset


def slug_in_path(slug: str) -> str:
    """A slug from the path; one with a NUL character names nothing (the database cannot compare it)."""
    if "\x00" in slug:
        raise problems.ApiProblem(404, "Nothing here, or you may not see it.")
    return slug
