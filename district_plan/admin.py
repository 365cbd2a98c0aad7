from django.contrib import admin

from core.admin import VersionedAdmin
from district_plan.models import Competency, FocusArea, Goal, Measure, Partner, Plan, Strategy


@admin.register(Plan)
class PlanAdmin(VersionedAdmin):
    list_display = ["title", "district", "status", "adopted_on"]
    list_filter = ["district", "status"]
    search_fields = ["title"]
    list_select_related = ["district"]


@admin.register(Competency, Goal, FocusArea, Strategy, Partner, Measure)
class PlanItemAdmin(VersionedAdmin):
    list_display = ["__str__", "district"]
    list_filter = ["district"]
    list_select_related = ["district"]
