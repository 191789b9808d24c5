from django.contrib import admin

from .models import Milestone, Programme


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["leads"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "due_date", "status"]
    list_filter = ["status", "programme"]
