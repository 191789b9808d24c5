from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("programme/<slug:slug>/", views.report_list, name="list"),
    path("programme/<slug:slug>/new/", views.report_create, name="create"),
    path("<uuid:public_id>/", views.report, name="report"),
    path("<uuid:public_id>/report.pdf", views.draft_pdf, name="draft_pdf"),
    path("<uuid:public_id>/aggregates.csv", views.data_csv, name="draft_csv"),
    path("<uuid:public_id>/aggregates.xlsx", views.data_xlsx, name="draft_xlsx"),
    path("<uuid:public_id>/write/<str:key>/", views.write, name="write"),
    path("<uuid:public_id>/publish/", views.publish, name="publish"),
    path("<uuid:public_id>/v<int:number>/", views.version, name="version"),
    path("<uuid:public_id>/v<int:number>/report.pdf", views.version_pdf, name="version_pdf"),
    path("<uuid:public_id>/v<int:number>/aggregates.csv", views.data_csv, name="version_csv"),
    path("<uuid:public_id>/v<int:number>/aggregates.xlsx", views.data_xlsx, name="version_xlsx"),
]
