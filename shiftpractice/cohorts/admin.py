from django.contrib import admin
from django.db import models

from shiftpractice.content import selectors as content_selectors
from shiftpractice.core.text import render_markdown

from .models import Attendance, Cohort, Invitation, Membership, Workshop, WorkshopMaterial


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "start_date", "end_date", "capacity", "status"]
    list_filter = ["programme", "status"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        # Pin a new cohort to today's model, so a version published later for another programme
        # does not change the prompts this cohort answers.
        if obj.model_version_id is None:
            obj.model_version = content_selectors.current_version()
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cohort", "role"]
    list_filter = ["role", "cohort"]
    autocomplete_fields = ["user"]


# Links typed without a scheme are web addresses: assume https (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class MaterialInline(admin.TabularInline):
    model = WorkshopMaterial
    extra = 0
    formfield_overrides = HTTPS_URLS


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "number", "starts_at", "ends_at"]
    list_filter = ["programme", "cohorts"]
    filter_horizontal = ["cohorts", "facilitators"]
    readonly_fields = ["agenda_html"]
    inlines = [MaterialInline]
    formfield_overrides = HTTPS_URLS

    def save_model(self, request, obj, form, change):
        # The admin bypasses workshop_save, so render the agenda the same way here.
        obj.agenda_html = render_markdown(obj.agenda)
        super().save_model(request, obj, form, change)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["workshop", "user", "status", "recorded_by"]
    list_select_related = ["workshop", "user", "recorded_by"]
    list_filter = ["status", "workshop"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "cohort", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["cohort", "role"]
    readonly_fields = ["token_hash", "accepted_at", "accepted_by"]

    def has_add_permission(self, request):
        # An invitation needs a token emailed to someone: leads send them from the cohort's page.
        return False


@admin.register(WorkshopMaterial)
class WorkshopMaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "workshop", "url"]
    search_fields = ["title"]
    formfield_overrides = HTTPS_URLS
