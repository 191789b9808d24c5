from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("project/<uuid:public_id>/", views.project_outcomes, name="project"),
    path("project/<uuid:public_id>/add/", views.outcome_add, name="add"),
    path("programme/<slug:slug>/", views.harvest, name="harvest"),
    path("programme/<slug:slug>/outcomes.csv", views.harvest_csv, name="harvest_csv"),
    path("substantiate/<str:token>/", views.link, name="link"),
    path("<uuid:public_id>/", views.outcome_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.outcome_edit, name="edit"),
    path("<uuid:public_id>/remove/", views.outcome_delete, name="delete"),
    path("<uuid:public_id>/substantiate/", views.substantiate, name="substantiate"),
    path("<uuid:public_id>/ask/", views.link_send, name="link_send"),
]
