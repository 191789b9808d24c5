"""The person's data, beside their profile (config/urls.py mounts these under accounts/profile/data/)."""

from django.urls import path

from . import erasure_views, views

app_name = "privacy_pages"

urlpatterns = [
    path("", views.data, name="data"),
    path("<uuid:export_id>/download/", views.download, name="download"),
    path("erase/", erasure_views.erasure_ask, name="erasure_ask"),
    path("erase/confirm/<str:token>/", erasure_views.erasure_confirm, name="erasure_confirm"),
    path("erase/<uuid:request_id>/cancel/", erasure_views.erasure_cancel, name="erasure_cancel"),
]
