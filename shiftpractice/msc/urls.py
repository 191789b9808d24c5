from django.urls import path

from . import views

app_name = "msc"

urlpatterns = [
    path("domains/<uuid:public_id>/", views.domain_edit, name="domain_edit"),
    path("domains/<uuid:public_id>/remove/", views.domain_remove, name="domain_remove"),
    path("domains/<uuid:public_id>/story/", views.story_write, name="story_write"),
    path("stories/<uuid:public_id>/withdraw/", views.story_withdraw, name="story_withdraw"),
    path("rounds/<uuid:public_id>/", views.round_detail, name="round"),
    path("rounds/<uuid:public_id>/stories/<uuid:story_id>/choose/", views.choose, name="choose"),
    path("rounds/<uuid:public_id>/close/", views.round_close, name="round_close"),
    path("rounds/<uuid:public_id>/results/", views.results, name="results"),
    path("<slug:slug>/", views.programme, name="programme"),
    path("<slug:slug>/domains/", views.domains, name="domains"),
    path("<slug:slug>/stories/", views.my_stories, name="my_stories"),
    path("<slug:slug>/rounds/", views.rounds, name="rounds"),
    path("<slug:slug>/rounds/new/", views.round_new, name="round_new"),
]
