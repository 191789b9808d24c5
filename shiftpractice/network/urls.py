from django.urls import path

from . import member_views, views

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

urlpatterns += [
    path("directory/", member_views.directory, name="directory"),
    path("directory/me/", member_views.my_profile, name="my_profile"),
    path("directory/<uuid:public_id>/", member_views.member, name="member"),
    path("directory/<uuid:public_id>/message/", member_views.message, name="message"),
    path("directory/<uuid:public_id>/block/", member_views.block, name="block"),
    path("events/", member_views.event_list, name="events"),
    path("events/<uuid:public_id>/", member_views.event, name="event"),
    path("events/<uuid:public_id>/event.ics", member_views.event_ics, name="event_ics"),
    path("events/<uuid:public_id>/people/", member_views.event_people, name="event_people"),
    path("programme/<slug:slug>/events/new/", member_views.event_edit, name="event_new"),
    path("programme/<slug:slug>/events/<uuid:public_id>/edit/", member_views.event_edit, name="event_edit"),
    path("digest/", member_views.digest_preview, name="digest"),
    path("digest/choice/", member_views.my_digest, name="my_digest"),
    path("unsubscribe/<str:token>/", member_views.unsubscribe, name="unsubscribe"),
]
