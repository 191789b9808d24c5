"""The audit viewer (config/urls.py mounts it under programmes/audit/, beside the programmes list)."""

from django.urls import path

from . import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.audit_viewer, name="log"),
]
