from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("", views.case_study_list, name="list"),
    path("start/<uuid:project_id>/", views.start, name="start"),
    path("case-studies/", views.public_list, name="public_list"),
    path("case-studies/<slug:slug>/", views.public, name="public"),
    path("case-studies/<slug:slug>/v<int:number>/", views.public, name="public_version"),
    path("case-studies/<slug:slug>/pdf/", views.public_pdf, name="public_pdf"),
    path("case-studies/<slug:slug>/images/<int:image_id>/", views.public_image, name="public_image"),
    path("sign-off/<str:token>/", views.signoff, name="signoff"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/details/", views.details_edit, name="details"),
    path("<uuid:public_id>/sections/<slug:key>/", views.section_edit, name="section"),
    path("<uuid:public_id>/refresh/", views.snapshot_refresh, name="refresh"),
    path("<uuid:public_id>/team/", views.team_edit, name="team"),
    path("<uuid:public_id>/images/", views.image_add, name="image_add"),
    path("<uuid:public_id>/images/<int:image_id>/", views.image, name="image"),
    path("<uuid:public_id>/images/<int:image_id>/remove/", views.image_remove, name="image_remove"),
    path("<uuid:public_id>/submit/", views.submit, name="submit"),
    path("<uuid:public_id>/draft/", views.back_to_draft, name="draft"),
    path("<uuid:public_id>/comment/", views.comment, name="comment"),
    path("<uuid:public_id>/decide/", views.decide, name="decide"),
    path("<uuid:public_id>/consent/", views.consent, name="consent"),
    path("<uuid:public_id>/sign-off/", views.signoff_request, name="signoff_request"),
    path("<uuid:public_id>/publish/", views.publish, name="publish"),
    path("<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
]
