from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("licences/", views.licences, name="licences"),
    path("visuals/", views.visuals_page, name="visuals"),
    path("packs/", views.packs_page, name="packs"),
    path("packs/stage/<slug:stage>.zip", views.stage_pack, name="stage_pack"),
    path("packs/workshop-<int:number>.zip", views.workshop_pack, name="workshop_pack"),
    path("packs/run-your-own-cohort.zip", views.facilitator_pack, name="facilitator_pack"),
    path("feed.atom", views.feed, name="feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("programme/<slug:slug>/", views.manage, name="manage"),
    path("programme/<slug:slug>/new/<str:kind>/", views.item_new, name="new"),
    path("items/<slug:slug>/", views.item, name="item"),
    path("items/<slug:slug>/download/", views.download, name="download"),
    path("items/<slug:slug>/edit/", views.item_edit, name="edit"),
    path("items/<slug:slug>/publish/", views.item_publish, name="publish"),
    path("items/<slug:slug>/withdraw/", views.item_withdraw, name="withdraw"),
]
