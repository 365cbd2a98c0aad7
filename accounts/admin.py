from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import F

from accounts.models import Membership, User
from core.admin import (
    VersionedAdmin,
    VersionedAdminForm,
    admin_district_ids,
    scoped_choices,
)


def _admin_scope(request):
    return admin_district_ids(request.user)


class MembershipForm(VersionedAdminForm):
    class Meta:
        model = Membership
        fields = ["user", "district", "role", "title", "campuses", "departments"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        membership = Membership(district=cleaned["district"], role=cleaned["role"])
        membership.clean_bindings(cleaned.get("campuses", []), cleaned.get("departments", []))
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["district", "campuses", "departments"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # A person's memberships in districts this admin does not run are not theirs to see.
        return queryset.filter(district__in=_admin_scope(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            kwargs["queryset"] = scoped_choices(db_field.related_model, _admin_scope(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            kwargs["queryset"] = scoped_choices(db_field.related_model, _admin_scope(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(VersionedAdmin):
    form = MembershipForm
    list_display = ["user", "district", "role", "title"]
    list_filter = ["district", "role"]
    search_fields = ["user__email", "user__full_name", "title"]
    list_select_related = ["user", "district"]
    autocomplete_fields = ["user", "campuses", "departments"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # A membership changed here moves on a version, as on the member page, so an admin
        # there still holding the older one is shown the change instead of overwriting it.
        changed = [obj.pk for obj, _fields in getattr(formset, "changed_objects", [])]
        if formset.model is Membership and changed:
            Membership.objects.filter(pk__in=changed).update(version=F("version") + 1)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # District admins manage the people of their own districts only.
        return queryset.filter(
            memberships__district__memberships__user=request.user,
            memberships__district__memberships__role="admin",
        ).distinct()

    def has_view_permission(self, request, obj=None):
        if super().has_view_permission(request, obj):
            return True
        return request.user.is_staff and bool(_admin_scope(request))

    def has_module_permission(self, request):
        return self.has_view_permission(request)
