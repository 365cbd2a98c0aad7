from django.contrib import admin

from accounts.models import Membership
from core.models import Campus, Department, District
from core.roles import Role


def admin_district_ids(user):
    return set(
        Membership.objects.filter(user=user, role=Role.ADMIN).values_list("district_id", flat=True)
    )


class DistrictScopedAdmin(admin.ModelAdmin):
    """Superusers see everything; a staff user who is a district admin sees and edits only
    the rows of the districts they administer, without needing Django model permissions."""

    district_path = "district"

    def _scope(self, request):
        if not hasattr(request, "_admin_district_ids"):
            request._admin_district_ids = admin_district_ids(request.user)
        return request._admin_district_ids

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.district_path}__in": self._scope(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.name == "district":
            kwargs["queryset"] = District.objects.filter(pk__in=self._scope(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _allowed(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if not (request.user.is_active and request.user.is_staff and self._scope(request)):
            return False
        if obj is None:
            return True
        district_id = obj.pk if isinstance(obj, District) else obj.district_id
        return district_id in self._scope(request)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)


@admin.register(District)
class DistrictAdmin(DistrictScopedAdmin):
    district_path = "pk"
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Campus)
class CampusAdmin(DistrictScopedAdmin):
    list_display = ["name", "district", "level", "grade_span", "region", "cohort"]
    list_filter = ["district", "level", "cohort"]
    search_fields = ["name", "region", "state_school_id", "nces_id"]
    list_select_related = ["district"]


@admin.register(Department)
class DepartmentAdmin(DistrictScopedAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]
    search_fields = ["name"]
    list_select_related = ["district"]
