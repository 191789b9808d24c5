"""The person's access log, beside their profile: who read what about them, and when.

Only ever the signed-in person's own log (there is no way to name someone else's), so there is nothing to
authorise beyond being signed in, which the login middleware sees to.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from shiftpractice.core import paging
from shiftpractice.core.access_log import reads_about

READS_PER_PAGE = 25


@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """A page of the reads of the person's data by other people, newest first: reader, what, when."""
    page = paging.paginate(request, reads_about(request.user), per_page=READS_PER_PAGE, anchor="reads")
    response = render(
        request,
        "accounts/access_log.html",
        {
            "page": page,
            "page_title": "Who has read your data",
            "breadcrumbs": [("Your profile", reverse("accounts:profile"))],
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
