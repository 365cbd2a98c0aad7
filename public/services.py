from django.db import transaction

from core.history import acting_as
from core.models import District


@transaction.atomic
def publication_set(*, district, user, plan_published, public_shows_names):
    """Publishes or unpublishes the district's plan page; the change is in the district's
    history with who made it."""
    with acting_as(user):
        District.objects.filter(pk=district.pk).update(
            plan_published=plan_published, public_shows_names=public_shows_names
        )
    return District.objects.get(pk=district.pk)
