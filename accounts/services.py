from django.db import transaction


@transaction.atomic
def user_language_set(*, user, language):
    """Keeps the language a person picked, for what is written to them without a request."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
