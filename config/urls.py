"""URL wiring: each app owns its own URLs."""

from django.contrib import admin
from django.urls import include, path

from shiftpractice.core import views as core_views

admin.site.site_header = "shiftpractice administration"
admin.site.site_title = "shiftpractice admin"

urlpatterns = [
    path("", include("shiftpractice.core.urls")),
    path("", include("shiftpractice.home.urls")),
    path("accounts/", include("shiftpractice.accounts.urls")),
    path("accounts/profile/tokens/", include("shiftpractice.api.page_urls")),
    path("accounts/profile/data/", include("shiftpractice.privacy.page_urls")),
    path("accounts/profile/access/", include("shiftpractice.accounts.access_urls")),
    path("programmes/", include("shiftpractice.programmes.urls")),
    path("programmes/audit/", include("shiftpractice.programmes.audit_urls")),
    path("", include("shiftpractice.content.urls")),
    path("cohorts/", include("shiftpractice.cohorts.urls")),
    path("", include("shiftpractice.cohorts.moved_urls")),
    path("projects/", include("shiftpractice.projects.urls")),
    path("", include("shiftpractice.measures.urls")),
    path("coaching/", include("shiftpractice.coaching.urls")),
    path("", include("shiftpractice.coaching.moved_urls")),
    path("evaluation/", include("shiftpractice.evaluation.urls")),
    path("", include("shiftpractice.notifications.urls")),
    path("stories/", include("shiftpractice.stories.urls")),
    path("outcomes/", include("shiftpractice.outcomes.urls")),
    path("significant-change/", include("shiftpractice.msc.urls")),
    path("reports/", include("shiftpractice.reports.urls")),
    path("library/", include("shiftpractice.library.urls")),
    path("", include("shiftpractice.library.root_urls")),
    path("network/", include("shiftpractice.network.urls")),
    path("api/v1/", include("shiftpractice.api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
