"""The coaching pages' old addresses (before every page moved under /coaching/): a permanent redirect each, so
links in emails, notifications and bookmarks keep working. The page they lead to authorises the request."""

from django.urls import re_path

from shiftpractice.core.views import moved_under

urlpatterns = [
    re_path(rf"^{old}/(?P<rest>.*)$", moved_under(f"/coaching/{old}/"))
    for old in ("journal", "peer-groups", "discussions")
]
