from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("cohorts/<slug:slug>/", views.cohort_detail, name="detail"),
    path("cohorts/<slug:slug>/edit/", views.cohort_edit, name="edit"),
    path("programmes/<slug:slug>/cohorts/new/", views.cohort_add, name="add"),
    path("cohorts/<slug:slug>/close/", views.cohort_close, name="close"),
    path("cohorts/<slug:slug>/members/", views.cohort_members, name="members"),
    path("cohorts/<slug:slug>/members/<uuid:person_id>/remove/", views.member_remove, name="member_remove"),
    path("cohorts/<slug:slug>/members/<uuid:person_id>/role/", views.member_role, name="member_role"),
    path("invitations/<uuid:public_id>/withdraw/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<uuid:public_id>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("programmes/<slug:slug>/workshops/new/", views.workshop_edit, name="workshop_add"),
    path(
        "programmes/<slug:slug>/workshops/<uuid:public_id>/edit/", views.workshop_edit, name="workshop_edit"
    ),
    path("workshops/<uuid:public_id>/", views.workshop_detail, name="workshop"),
    path("workshops/<uuid:public_id>/attendance/", views.workshop_attendance, name="attendance"),
    path("workshops/<uuid:public_id>/materials/new/", views.material_add, name="material_add"),
    path("materials/<uuid:public_id>/remove/", views.material_remove, name="material_remove"),
    path("materials/<uuid:public_id>/download/", views.material_download, name="material_download"),
    path("workshops/<uuid:public_id>/calendar.ics", views.workshop_ics, name="workshop_ics"),
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/reset/", views.my_calendar_reset, name="my_calendar_reset"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
