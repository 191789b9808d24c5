"""The person's access log, beside their profile (config/urls.py mounts it under accounts/profile/access/)."""

from django.urls import path

from . import access_views

app_name = "access_log"

urlpatterns = [
    path("", access_views.access_log, name="mine"),
]
