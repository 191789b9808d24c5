"""The person's API tokens, beside their profile (config/urls.py mounts these under accounts/profile/tokens/)."""

from django.urls import path

from . import views

app_name = "api_pages"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<uuid:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
