from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from core.models import Campus, Department, District
from core.roles import Role


def admin_district_ids(user):
    return set(
        Membership.objects.filter(user=user, role=Role.ADMIN).values_list("district_id", flat=True)
    )


def scoped_choices(model, district_ids):
    """The rows of `model` a district admin of `district_ids` may pick in a form: their
    districts, the people who are members of them, and rows that belong to them. Anything
    else offers nothing, so a new relation cannot leak another district's rows by default."""
    if model is District:
        return District.objects.filter(pk__in=district_ids)
    if model is get_user_model():
        return model._default_manager.filter(
            pk__in=Membership.objects.filter(district__in=district_ids).values("user")
        )
    try:
        model._meta.get_field("district")
    except FieldDoesNotExist:
        return model._default_manager.none()
    return model._default_manager.filter(district__in=district_ids)


class DistrictScopedAdmin(admin.ModelAdmin):
    """Superusers see everything; a staff user who is a district admin sees and edits only
    the rows of the districts they administer, without needing Django model permissions.
    Every foreign key and many-to-many choice (select, raw id or autocomplete) is limited to
    those districts too, and list filters offer only values present in the admin's rows."""

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
        if not request.user.is_superuser:
            kwargs["queryset"] = scoped_choices(db_field.related_model, self._scope(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            kwargs["queryset"] = scoped_choices(db_field.related_model, self._scope(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        # A plain related filter lists every row of the related table, other districts' too.
        return [
            (name, admin.RelatedOnlyFieldListFilter)
            if isinstance(name, str) and self._is_relation(name)
            else name
            for name in filters
        ]

    def _is_relation(self, name):
        try:
            return self.model._meta.get_field(name).is_relation
        except FieldDoesNotExist:
            return False

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


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the editor opened, so a save over someone else's newer change, or
    a post that names no version, is refused as the app's own forms refuse it."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        opened = cleaned.get("opened_version")
        if not opened or opened < 1:
            raise forms.ValidationError(
                _(
                    "This form did not say which version it was opened at. Reload the page and "
                    "make your change again."
                ),
                code="missing_version",
            )
        # Locked until the admin's save commits, so nobody saves in between.
        stored = (
            type(self.instance)
            ._default_manager.select_for_update()
            .values_list("version", flat=True)
            .get(pk=self.instance.pk)
        )
        if opened != stored:
            raise forms.ValidationError(
                _(
                    "Someone else changed this record since you opened it. Reload the page to "
                    "see their change, then make yours again."
                ),
                code="stale_version",
            )
        return cleaned


class VersionedAdmin(DistrictScopedAdmin):
    form = VersionedAdminForm
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        # As in core.versioning: a save that changes nothing keeps the version.
        if change and form.has_changed():
            obj.version = form.cleaned_data["opened_version"] + 1
        super().save_model(request, obj, form, change)


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
