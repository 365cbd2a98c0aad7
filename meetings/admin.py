from django.contrib import admin

from core.admin import DistrictScopedAdmin, VersionedAdmin
from meetings.models import Decision, Material, Meeting


@admin.register(Meeting, Decision)
class MeetingPartAdmin(VersionedAdmin):
    list_display = ["__str__", "district"]
    list_filter = ["district"]
    list_select_related = ["district"]


@admin.register(Material)
class MaterialAdmin(DistrictScopedAdmin):
    list_display = ["__str__", "meeting", "district"]
    list_filter = ["district"]
    list_select_related = ["district", "meeting"]
