from django.contrib import admin

from shiftpractice.projects.services.projects import project_activity

from .models import DataImport, DataPoint, DataPointChange, Measure, Phase, ProgrammeChartSettings
from .services import touch

# Edits here bypass the services, so they mark the measure's data as changed themselves (``touch``): the
# cached charts are keyed by it.


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "measure_type", "data_kind", "chart", "rule_set"]
    list_filter = ["measure_type", "data_kind"]
    search_fields = ["name", "project__title"]
    raw_id_fields = ["project", "created_by"]
    inlines = [PhaseInline]

    def save_model(self, request, obj, form, change):
        moved_from = form.initial.get("project") if change and "project" in form.changed_data else None
        super().save_model(request, obj, form, change)
        if moved_from:
            project_activity(moved_from)  # the project it left changed too (``touch`` moves the new one)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        touch(form.instance)  # phases edited inline

    def delete_model(self, request, obj):
        project_id = obj.project_id
        super().delete_model(request, obj)
        project_activity(project_id)

    def delete_queryset(self, request, queryset):
        project_ids = set(queryset.values_list("project_id", flat=True))
        super().delete_queryset(request, queryset)
        for project_id in project_ids:
            project_activity(project_id)


@admin.register(DataPoint)
class DataPointAdmin(admin.ModelAdmin):
    list_display = ["measure", "period", "value", "numerator", "denominator", "excluded"]
    raw_id_fields = ["measure", "updated_by"]
    list_select_related = ["measure"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        touch(obj.measure)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        touch(obj.measure)

    def delete_queryset(self, request, queryset):
        measures = list(Measure.objects.filter(pk__in=queryset.values("measure_id")))
        super().delete_queryset(request, queryset)
        for measure in measures:
            touch(measure)


@admin.register(DataPointChange)
class DataPointChangeAdmin(admin.ModelAdmin):
    list_display = ["measure", "period", "action", "changed_by", "changed_at"]
    raw_id_fields = ["measure", "changed_by", "source"]
    list_select_related = ["measure", "changed_by"]


@admin.register(DataImport)
class DataImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "measure", "status", "rows_total", "error_count", "created_at"]
    raw_id_fields = ["measure", "created_by"]
    list_select_related = ["measure"]


@admin.register(ProgrammeChartSettings)
class ProgrammeChartSettingsAdmin(admin.ModelAdmin):
    list_select_related = ["programme"]  # the settings are named after their programme
