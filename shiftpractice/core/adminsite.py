"""The admin site: Django's own, except that a change the database refuses is explained instead of failing.

Django's admin already lists ``on_delete=PROTECT``/``RESTRICT`` objects on its delete confirmation pages. What
it cannot foresee (a ``SET_NULL`` that would break a check constraint, a protected row that appears between the
confirmation and the post, a unique rule hit by a bulk edit) reaches the database and used to end in a 500.
Every admin post now runs in its own savepoint: when the database refuses, nothing of it is kept, the operator is
told why on the page they came from, and the refusal is logged.

Installed in place of ``django.contrib.admin`` (``INSTALLED_APPS``), so ``admin.site`` and ``@admin.register``
everywhere use this site without any app's admin module changing.
"""

import functools
import logging

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)

# How many dependent records a refusal names before it says "and N more".
NAMED_DEPENDENTS = 5


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        return super().admin_view(explain_refusals(view), cacheable)


class AdminConfig(DjangoAdminConfig):
    default_site = "shiftpractice.core.adminsite.AdminSite"


def explain_refusals(view):
    """Run an admin post in a savepoint; turn the database's refusal into a message and a way back."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except IntegrityError as error:
            logger.warning("Admin change refused by the database at %s: %s", request.path, _first_line(error))
            messages.error(request, refusal_message(error))
            return HttpResponseRedirect(_way_back(request))

    return wrapper


def refusal_message(error: IntegrityError) -> str:
    if isinstance(error, ProtectedError | RestrictedError):
        dependents = list(
            error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
        )
        named = ", ".join(_name(obj) for obj in dependents[:NAMED_DEPENDENTS])
        more = len(dependents) - NAMED_DEPENDENTS
        if more > 0:
            named += f" and {more} more"
        return (
            f"Nothing was deleted: other records still depend on it ({named}). "
            "Delete or reassign those first."
        )
    reason = _first_line(error)
    return (
        "Nothing was changed: the database refused, because the change would leave other records "
        f"inconsistent ({reason}). Change or remove the records that depend on it first."
    )


def _name(obj) -> str:
    # Imported here: this module loads with the app registry, before any model can be imported.
    from shiftpractice.core.admin import PRIVATE_OBJECT_TYPES

    if obj._meta.label_lower in PRIVATE_OBJECT_TYPES:
        return f"a {obj._meta.verbose_name}"  # not even its title: the admin shows nothing of these
    return f"{obj._meta.verbose_name} “{obj}”"


def _first_line(error: Exception) -> str:
    """The database's reason without its DETAIL lines, which quote the row (a reflection's text, say)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__


def _way_back(request: HttpRequest) -> str:
    """The page to return to: the object's own page after a refused delete, otherwise the page posted to."""
    match = request.resolver_match
    if match and match.url_name and match.url_name.endswith("_delete") and "object_id" in match.kwargs:
        try:
            return reverse(
                f"{match.namespace}:{match.url_name.removesuffix('_delete')}_change",
                kwargs={"object_id": match.kwargs["object_id"]},
            )
        except NoReverseMatch:
            pass
    return request.get_full_path()
