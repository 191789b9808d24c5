from django.contrib import admin

from .models import DataImport, DataPoint, DataPointChange, Measure, Phase, ProgrammeChartSettings


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


@admin.register(DataPoint)
class DataPointAdmin(admin.ModelAdmin):
    list_display = ["measure", "period", "value", "numerator", "denominator", "excluded"]
    raw_id_fields = ["measure", "updated_by"]
    list_select_related = ["measure"]


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


admin.site.register(ProgrammeChartSettings)
