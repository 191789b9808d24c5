from django.urls import path, register_converter

from . import views


class ItemSlugConverter:
    """Item slugs carry their kind before a dot: ``lens.systems``, ``factors.uk-government-2025``."""

    regex = r"[a-z][a-z_]*\.[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ItemSlugConverter, "item")

app_name = "content"

urlpatterns = [
    path("model/", views.model_home, name="model"),
    path("model/lenses/<slug:name>/", views.lens_detail, name="lens"),
    path("model/attribution/", views.attribution, name="attribution"),
    path("model/versions/", views.version_list, name="versions"),
    path("model/versions/new/", views.version_new, name="version_new"),
    path("model/pending/", views.pending, name="pending"),
    path("model/versions/<slug:slug>/", views.version_detail, name="version"),
    path("model/versions/<slug:slug>/changes/", views.version_diff, name="version_diff"),
    path("model/versions/<slug:version_slug>/lenses/<slug:name>/", views.lens_detail, name="version_lens"),
    path("model/versions/<slug:version_slug>/attribution/", views.attribution, name="version_attribution"),
    path("model/visuals/", views.visuals_index, name="visuals"),
    path("model/versions/<slug:slug>/visuals/", views.visuals_index, name="version_visuals"),
    path("model/versions/<slug:slug>/visuals/<slug:visual>/", views.visual_detail, name="visual"),
    path(
        "model/versions/<slug:slug>/visuals/<slug:visual>.<slug:fmt>",
        views.visual_download,
        name="visual_file",
    ),
    path("model/versions/<slug:slug>/edit/", views.version_edit, name="version_edit"),
    path("model/versions/<slug:slug>/publish/", views.version_publish, name="version_publish"),
    path("model/versions/<slug:slug>/items/new/", views.item_new, name="item_new"),
    path("model/versions/<slug:slug>/items/<item:item_slug>/", views.item_detail, name="item"),
    path("model/versions/<slug:slug>/items/<item:item_slug>/edit/", views.item_edit, name="item_edit"),
    path("model/versions/<slug:slug>/items/<item:item_slug>/retire/", views.item_retire, name="item_retire"),
    path(
        "model/versions/<slug:slug>/items/<item:item_slug>/include/", views.item_include, name="item_include"
    ),
    path("model/items/<item:item_slug>/v<int:number>/verify/", views.item_verify, name="item_verify"),
    path("model/items/<item:item_slug>/v<int:number>/delete/", views.item_delete, name="item_delete"),
    path("model/items/<item:item_slug>/licence/", views.licence_edit, name="licence"),
]
