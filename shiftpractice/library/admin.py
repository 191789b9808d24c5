from django.contrib import admin

from .models import LibraryItem, LibraryTag


@admin.register(LibraryItem)
class LibraryItemAdmin(admin.ModelAdmin):
    """Staff see what the library holds; leads write it on the library's own pages, where it is checked,
    sanitised, indexed and audited."""

    list_display = ["title", "kind", "status", "programme", "model_version", "published_at"]
    list_select_related = ["programme", "model_version"]
    list_filter = ["kind", "status", "licence"]
    search_fields = ["title", "slug", "attribution"]
    raw_id_fields = ["programme", "model_version", "created_by"]
    readonly_fields = ["source_key", "search_text", "body_html", "file_type", "size", "filename"]


@admin.register(LibraryTag)
class LibraryTagAdmin(admin.ModelAdmin):
    list_display = ["item", "facet", "value"]
    list_select_related = ["item"]
    list_filter = ["facet"]
    raw_id_fields = ["item"]
