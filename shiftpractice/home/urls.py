from django.urls import path

from . import portfolio_views, views

app_name = "home"

# Mounted at the root: home owns the home page. The portfolio composes projects and measures, so its code sits
# here, above them, but it is a page of one programme and lives beside the programme's other pages under
# /programmes/<slug>/ (the one page of an app outside its own prefix: tests/test_url_layout.py).
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/<slug:slug>/portfolio/", portfolio_views.portfolio_page, name="portfolio"),
    path("programmes/<slug:slug>/portfolio.csv", portfolio_views.portfolio_csv, name="portfolio_csv"),
]
