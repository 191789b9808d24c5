"""The two addresses crawlers look for at the site's root: ``/sitemap.xml`` (the library's sitemap, the site's only
public pages besides the front door) and ``/robots.txt`` pointing at it (tests/test_url_layout.py lists them)."""

from django.urls import path

from . import views

app_name = "library_root"

urlpatterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
]
