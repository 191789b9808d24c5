"""Admin for the evaluation. It never shows an answer: responses list who, which window and the status only,
and cannot be opened, changed or added here."""

from django.contrib import admin

from .models import (
    EvaluationPlan,
    EvaluationQuestion,
    Indicator,
    IndicatorAgreement,
    IndicatorComment,
    PlanChange,
    PlanItem,
    Response,
    Survey,
    SurveyQuestion,
    SurveyWindow,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["name", "kind", "state"]
    readonly_fields = ["state"]
    extra = 0
    show_change_link = True


@admin.register(EvaluationPlan)
class EvaluationPlanAdmin(admin.ModelAdmin):
    list_display = ["programme", "minimum_group", "locked_at"]
    readonly_fields = ["locked_at", "locked_by", "milestone"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "kind", "state"]
    list_filter = ["state", "kind"]
    readonly_fields = ["state", "created_by"]


admin.site.register(EvaluationQuestion)
admin.site.register(PlanItem)


@admin.register(IndicatorComment)
class IndicatorCommentAdmin(admin.ModelAdmin):
    list_select_related = ["author", "indicator"]  # named after both


@admin.register(IndicatorAgreement)
class IndicatorAgreementAdmin(admin.ModelAdmin):
    list_select_related = ["person", "indicator"]  # named after both


@admin.register(PlanChange)
class PlanChangeAdmin(admin.ModelAdmin):
    list_display = ["summary", "plan", "actor", "created_at"]
    list_select_related = ["plan__programme", "actor"]  # a plan is named after its programme

    def has_change_permission(self, request, obj=None):
        return False


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    fields = ["position", "key", "text", "kind", "scale_min", "scale_max"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "model_version"]
    readonly_fields = ["model_version", "created_by"]
    inlines = [SurveyQuestionInline]


@admin.register(SurveyWindow)
class SurveyWindowAdmin(admin.ModelAdmin):
    list_display = ["cohort", "label", "survey", "opens_at", "closes_at"]
    list_filter = ["label"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Status only. No answers, no scores: not in the list, not on a page (there is no change page)."""

    list_display = ["public_id", "window", "respondent", "status", "submitted_at"]
    list_filter = ["status"]
    fields = ["window", "respondent", "status", "submitted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The list only; opening one response (which could show its fields) is refused.
        return obj is None and super().has_view_permission(request, obj)
