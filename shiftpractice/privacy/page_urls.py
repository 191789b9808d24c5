"""The person's data, beside their profile (config/urls.py mounts these under accounts/profile/data/)."""

from django.urls import path

from . import views

app_name = "privacy_pages"

urlpatterns = [
    path("", views.data, name="data"),
    path("<uuid:export_id>/download/", views.download, name="download"),
]
