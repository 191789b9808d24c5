"""The cohorts app's old addresses (before every page of the app moved under /cohorts/): a permanent redirect
each, keeping the rest of the path and the query string, so invitation links in emails already sent, bookmarks
and notifications keep working. The page they lead to authorises the request.

Mounted at the root, after the programmes app, whose own pages under /programmes/<slug>/ are left alone."""

from django.urls import path, re_path

from shiftpractice.core.views import moved_under

from . import views

urlpatterns = [
    # A subscribed calendar feed is fetched by calendar apps for years, unattended, and not every one follows a
    # redirect (or it follows it and keeps polling the old address): the old feed address keeps serving the feed.
    path("calendar/feed/<str:token>.ics", views.calendar_feed),
    # A programme's page, and its new-cohort and workshop forms: /programmes/<slug>/ -> /cohorts/programmes/<slug>/
    re_path(r"^(?P<rest>programmes/[-a-zA-Z0-9_]+/(?:(?:cohorts|workshops)/.*)?)$", moved_under("/cohorts/")),
    *(
        re_path(rf"^(?P<rest>{old}/.*)$", moved_under("/cohorts/"))
        for old in ("invitations", "workshops", "materials", "calendar")
    ),
]
