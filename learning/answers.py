"""Professional learning answers the theories' questions (theories.hooks)."""

from django.urls import reverse

from learning import selectors
from theories import hooks

hooks.learning_delivered.answer(selectors.learning_delivered)


@hooks.theory_learning.answer
def theory_learning(*, district, theory):
    offerings = selectors.theory_learning(theory=theory)
    if offerings:
        base = reverse("learning:index", args=[district.slug])
        for offering in offerings:
            offering.url = f"{base}{offering.pk}/"
    return offerings
