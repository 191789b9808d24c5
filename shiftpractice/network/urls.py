from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("take-part/", views.take_part, name="take_part"),
    path("take-part/<slug:slug>/<str:kind>/", views.approach_form, name="form"),
    path("take-part/<slug:slug>/<str:kind>/sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("programme/<slug:slug>/approaches/", views.approach_list, name="list"),
    path("programme/<slug:slug>/approaches.csv", views.approach_csv, name="csv"),
    path("programme/<slug:slug>/approaches/<uuid:public_id>/", views.approach_detail, name="approach"),
    path("programme/<slug:slug>/open-call/", views.open_call, name="open_call"),
]
