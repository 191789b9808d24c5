from django.urls import path

from . import views

app_name = "cohorts"

# Mounted at /cohorts/ (config/urls.py): every page of the app under one prefix. The addresses it had before
# (/programmes/<slug>/ with its cohort and workshop forms, /invitations/, /workshops/, /materials/, /calendar/)
# are sent here by cohorts/moved_urls.py. The fixed words come before the cohort's own <slug> pages so they
# always win; a cohort's slug starts with its programme's slug and a hyphen, so it is never one of them.
urlpatterns = [
    # A programme's page and its set-up forms (it lists the cohorts and workshops, which live in this app)
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("programmes/<slug:slug>/cohorts/new/", views.cohort_add, name="add"),
    path("programmes/<slug:slug>/workshops/new/", views.workshop_edit, name="workshop_add"),
    path(
        "programmes/<slug:slug>/workshops/<uuid:public_id>/edit/", views.workshop_edit, name="workshop_edit"
    ),
    # Invitations (the accept link is in emails already sent: its old address redirects here)
    path("invitations/<uuid:public_id>/withdraw/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<uuid:public_id>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # Workshops and their materials
    path("workshops/<uuid:public_id>/", views.workshop_detail, name="workshop"),
    path("workshops/<uuid:public_id>/attendance/", views.workshop_attendance, name="attendance"),
    path("workshops/<uuid:public_id>/materials/new/", views.material_add, name="material_add"),
    path("workshops/<uuid:public_id>/calendar.ics", views.workshop_ics, name="workshop_ics"),
    path("materials/<uuid:public_id>/remove/", views.material_remove, name="material_remove"),
    path("materials/<uuid:public_id>/download/", views.material_download, name="material_download"),
    # The person's calendar and private feed
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/reset/", views.my_calendar_reset, name="my_calendar_reset"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    # A cohort
    path("<slug:slug>/", views.cohort_detail, name="detail"),
    path("<slug:slug>/edit/", views.cohort_edit, name="edit"),
    path("<slug:slug>/close/", views.cohort_close, name="close"),
    path("<slug:slug>/members/", views.cohort_members, name="members"),
    path("<slug:slug>/members/<uuid:person_id>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/members/<uuid:person_id>/role/", views.member_role, name="member_role"),
]
