from django.contrib import admin

from core.admin import VersionedAdmin
from visits import services
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

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, so a reassignment or a moved date here is emailed and reminded
        # as it is from the app's pages. The form has already checked and locked the version.
        updated = services.action_item_update(
            item=obj,
            expected_version=form.cleaned_data["opened_version"],
            user=request.user,
            data={
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name != "opened_version"
            },
        )
        obj.version = updated.version
