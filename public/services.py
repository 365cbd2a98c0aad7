from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import District, HistoryEntry
from core.versioning import record_history
from district_plan.documents import document_diff, plan_document, public_document
from district_plan.models import Plan, PlanSnapshot
from public import selectors

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


def _summary(sections, moved):
    """One line per section for the history: what this publication put on the public page."""
    lines = []
    for section in sections:
        parts = [f"added {title}" for title in section["added"]]
        parts += [f"removed {title}" for title in section["removed"]]
        parts += [f"changed {title}" for title, _ in section["changed"]]
        lines.append(f"{section['name'].capitalize()}: {'; '.join(parts)}")
    if moved:
        lines.append("Items moved")
    return "\n".join(lines) or "Published again, unchanged"


@transaction.atomic
def plan_publish(*, plan, user, reviewed):
    """Puts the plan as it is now on the public page, if it is still exactly what the admin
    reviewed (`reviewed`: the fingerprint of the document they were shown), and records it."""
    # Locking the plan serialises two admins publishing at once.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ADOPTED:
        raise ValidationError("Only an adopted plan can be published.")
    document = public_document(plan)
    if selectors.fingerprint(document) != reviewed:
        raise ValidationError(
            "The plan changed while you were reviewing it; review the changes again."
        )
    published = selectors.published_document(plan) or {}
    summary = _summary(
        document_diff(published, document), selectors.moved_since(published, document)
    )
    snapshot = PlanSnapshot.objects.create(
        district_id=plan.district_id,
        plan=plan,
        kind=PlanSnapshot.Kind.PUBLISHED,
        adopted_on=plan.adopted_on,
        taken_by=user,
        data=plan_document(plan),
        public=document,
    )
    record_history(
        instance=plan,
        user=user,
        action=HistoryEntry.Action.CHANGED,
        changes=[{"field": "published", "label": "Public page", "old": "", "new": summary[:2000]}],
    )
    return snapshot
