from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("my-answers/", views.my_answers, name="my_answers"),
    path("my-answers.csv", views.my_answers_csv, name="my_answers_csv"),
    path("indicators/<uuid:public_id>/", views.indicator_detail, name="indicator"),
    path("indicators/<uuid:public_id>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<uuid:public_id>/propose/", views.indicator_propose, name="indicator_propose"),
    path("indicators/<uuid:public_id>/agree/", views.indicator_agree, name="indicator_agree"),
    path("indicators/<uuid:public_id>/comment/", views.indicator_comment, name="indicator_comment"),
    path("surveys/<uuid:public_id>/", views.survey_detail, name="survey"),
    path("surveys/<uuid:public_id>/edit/", views.survey_edit, name="survey_edit"),
    path("windows/<uuid:public_id>/", views.window_detail, name="window"),
    path("windows/<uuid:public_id>/answer/", views.respond, name="respond"),
    path("windows/<uuid:public_id>/free-text/", views.window_free_text, name="free_text"),
    path("<slug:slug>/plan/", views.plan_detail, name="plan"),
    path("<slug:slug>/plan/settings/", views.plan_settings, name="plan_settings"),
    path("<slug:slug>/plan/questions/new/", views.question_add, name="question_add"),
    path("<slug:slug>/plan/indicators/new/", views.indicator_add, name="indicator_add"),
    path("<slug:slug>/plan/items/new/", views.item_add, name="item_add"),
    path("<slug:slug>/plan/lock/", views.plan_lock, name="plan_lock"),
    path("<slug:slug>/surveys/", views.survey_list, name="surveys"),
    path("<slug:slug>/surveys/new/", views.survey_add, name="survey_add"),
    path("<slug:slug>/windows/new/", views.window_add, name="window_add"),
    path("<slug:slug>/results/", views.results, name="results"),
]
