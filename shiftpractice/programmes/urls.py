from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_add, name="add"),
    path("<slug:slug>/leads/", views.programme_leads, name="leads"),
    path("<slug:slug>/leads/<uuid:person_id>/remove/", views.programme_lead_remove, name="lead_remove"),
    path("<slug:slug>/edit/", views.programme_edit, name="edit"),
    path("<slug:slug>/milestones/new/", views.milestone_edit, name="milestone_add"),
    path("<slug:slug>/milestones/<uuid:public_id>/edit/", views.milestone_edit, name="milestone_edit"),
]
