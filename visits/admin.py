from django.contrib import admin

from core.admin import VersionedAdmin
from visits.models import ActionItem, Visit


@admin.register(Visit)
class VisitAdmin(VersionedAdmin):
    list_display = ["__str__", "district", "date", "status"]
    list_filter = ["district", "status"]
    list_select_related = ["district", "campus"]


@admin.register(ActionItem)
class ActionItemAdmin(VersionedAdmin):
    list_display = ["__str__", "district", "due_date", "status"]
    list_filter = ["district", "status"]
    list_select_related = ["district"]
