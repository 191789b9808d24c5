from django.urls import path

from . import portfolio_views, views

app_name = "home"

urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/<slug:slug>/portfolio/", portfolio_views.portfolio_page, name="portfolio"),
    path("programmes/<slug:slug>/portfolio.csv", portfolio_views.portfolio_csv, name="portfolio_csv"),
]
