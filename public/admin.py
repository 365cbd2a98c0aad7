from django.contrib import admin

from core.admin import VersionedAdmin
from public.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(VersionedAdmin):
    """For a support question about one message; the cabinet moderates in the app. A family's
    words, name and email are shown but never changed here."""

    list_display = ["__str__", "district", "status", "language", "created_at"]
    list_filter = ["district", "status", "language"]
    list_select_related = ["district"]
    readonly_fields = ["version", "message", "name", "email", "language", "created_at"]
