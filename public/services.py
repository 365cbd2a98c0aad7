from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core.history import acting_as
from core.models import District
from district_plan.documents import document_diff, plan_document, public_document
from district_plan.models import Plan, PlanSnapshot
from public import selectors


@transaction.atomic
def publication_set(*, district, user, plan_published, public_shows_names):
    """Publishes or unpublishes the district's plan page; the change is in the district's
    history with who made it."""
    with acting_as(user):
        District.objects.filter(pk=district.pk).update(
            plan_published=plan_published, public_shows_names=public_shows_names
        )
    return District.objects.get(pk=district.pk)


def _summary(sections, moved):
    """What this publication put on the public page, for the history (PlanSnapshot.summary)."""
    return {
        "sections": [
            {
                "section": section["name"],
                "added": section["added"],
                "removed": section["removed"],
                "changed": [title for title, _ in section["changed"]],
            }
            for section in sections
        ],
        "moved": bool(moved),
    }


@transaction.atomic
def plan_publish(*, plan, user, reviewed):
    """Puts the plan as it is now on the public page, if it is still exactly what the admin
    reviewed (`reviewed`: the fingerprint of the document they were shown); the snapshot, with
    a summary of what it put on the page, is in the plan's history."""
    # Locking the plan serialises two admins publishing at once.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ADOPTED:
        raise ValidationError(gettext("Only an adopted plan can be published."))
    document = public_document(plan)
    if selectors.fingerprint(document) != reviewed:
        raise ValidationError(
            gettext("The plan changed while you were reviewing it; review the changes again.")
        )
    published = selectors.published_document(plan) or {}
    summary = _summary(
        document_diff(published, document), selectors.moved_since(published, document)
    )
    with acting_as(user):
        return PlanSnapshot.objects.create(
            district_id=plan.district_id,
            plan=plan,
            kind=PlanSnapshot.Kind.PUBLISHED,
            adopted_on=plan.adopted_on,
            taken_by=user,
            data=plan_document(plan),
            public=document,
            summary=summary,
        )
