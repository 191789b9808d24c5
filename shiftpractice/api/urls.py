"""/api/v1/: the API (django-ninja), its schema and its docs page. Included by config/urls.py.

The API authenticates each request itself (a token, or the session), so its views are exempt from the
sign-in redirect of ``LoginRequiredMiddleware``: a script without a token gets a 401 problem, not a login page.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import views
from .main import api
from .problems import problem_response

app_name = "api"


@csrf_exempt  # it changes nothing: a POST to a path that is not there is a 404 problem, not the CSRF page
@login_not_required
def not_found(request, rest=""):
    return problem_response(request, 404, "There is no such endpoint: see /api/v1/docs for those there are.")


def _public(patterns):
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns


ninja_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("docs", views.docs, name="docs"),
    *_public(ninja_patterns),
    re_path(r"^(?P<rest>[\s\S]*)\Z", not_found),  # any path, one with an encoded newline too
]
