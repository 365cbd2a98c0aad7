from django.contrib import admin

from core.admin import VersionedAdmin
from theories.models import Action, Strand, TheoryOfAction


@admin.register(Strand, TheoryOfAction, Action)
class TheoryPartAdmin(VersionedAdmin):
    list_display = ["__str__", "district"]
    list_filter = ["district"]
    list_select_related = ["district"]
