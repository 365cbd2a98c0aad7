from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext


@transaction.atomic
def user_language_set(*, user, language):
    """Keeps the language a person picked, for what is written to them without a request."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def membership_access_set(*, membership, active, by):
    """Switches a member's access to their district on or off; the history trigger keeps who
    did it. An admin may not switch themselves off: no one would be left to switch them on."""
    if not active and membership.user_id == by.pk:
        raise ValidationError(
            gettext("You cannot deactivate yourself. Ask another district admin to do it.")
        )
    if membership.is_active != active:
        membership.is_active = active
        membership.save(update_fields=["is_active"])
    return membership
