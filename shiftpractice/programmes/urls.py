from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<slug:slug>/edit/", views.programme_edit, name="edit"),
    path("<slug:slug>/milestones/new/", views.milestone_edit, name="milestone_add"),
    path("<slug:slug>/milestones/<uuid:public_id>/edit/", views.milestone_edit, name="milestone_edit"),
]
