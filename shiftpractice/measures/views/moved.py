"""Old addresses of the project's measures pages, answered with a permanent redirect to where they live now."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse


def to(name: str):
    """A view that sends ``projects/<uuid>/measures/...`` to the named page under ``measures/``.

    It reveals nothing: the page it points to authorises the request (a public project's downloads are open
    to anyone, so the redirect is too, and the page says no to anyone else).
    """

    @login_not_required
    def moved(request: HttpRequest, public_id) -> HttpResponsePermanentRedirect:
        url = reverse(name, args=[public_id])
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    moved.__name__ = f"moved_to_{name.split(':')[-1]}"
    return moved
