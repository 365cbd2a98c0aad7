from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core.models import District, HistoryEntry

_FIELDS = {
    "plan_published": "Public plan page",
    "public_shows_names": "Staff names on the public page",
}


def _on_off(value):
    return "On" if value else "Off"


@transaction.atomic
def publication_set(*, district, user, plan_published, public_shows_names):
    """Publishes or unpublishes the district's plan page, and records who did it."""
    current = District.objects.select_for_update().get(pk=district.pk)
    wanted = {"plan_published": plan_published, "public_shows_names": public_shows_names}
    changes = [
        {
            "field": name,
            "label": label,
            "old": _on_off(getattr(current, name)),
            "new": _on_off(value),
        }
        for name, label in _FIELDS.items()
        if getattr(current, name) != (value := wanted[name])
    ]
    if not changes:
        return current
    District.objects.filter(pk=district.pk).update(**wanted)
    HistoryEntry.objects.create(
        district=current,
        content_type=ContentType.objects.get_for_model(District),
        object_id=current.pk,
        object_label=str(current)[:300],
        action=HistoryEntry.Action.CHANGED,
        changes=changes,
        user=user if user is not None and user.is_authenticated else None,
    )
    current.refresh_from_db()
    return current
