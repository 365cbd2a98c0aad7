"""What may be commented on: the apps above core register their records here.

`comments` sits beside core and knows no domain app; a domain app registers each model members
may comment on, from its AppConfig.ready (or its answers.py), with one call:

    register(TheoryOfAction, kind="theory", label=_("theory of action"),
             url=lambda theory: reverse(...), owners=lambda theory: [...user ids...])

`kind` names the record in the comments page's URL (/d/<district>/comments/<kind>/<pk>/);
`url(record)` is the record's own page; `owners(record)` the ids of the users told about each
new comment on it (a theory's owner, an action item's assignee). Every registered model has a
`district` foreign key, which keeps a record of another district a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.db.models.functions import Lower


@dataclass(frozen=True)
class Commentable:
    kind: str
    model: type
    label: object
    url: Callable
    owners: Callable
    related: tuple = ()


_BY_KIND = {}
_BY_MODEL = {}


def register(model, *, kind, label, url, owners=lambda record: (), related=()):
    """Lets members comment on `model`'s records. Registering the same kind again replaces it
    (a test's reload), a second model under one kind is refused."""
    if kind in _BY_KIND and _BY_KIND[kind].model is not model:
        raise ImproperlyConfigured(f"Two models are registered for comments as {kind!r}.")
    entry = Commentable(kind, model, label, url, owners, ("district", *related))
    _BY_KIND[kind] = entry
    _BY_MODEL[model] = entry
    return entry


def for_kind(kind):
    """The registration of `kind`, or None."""
    return _BY_KIND.get(kind)


def for_model(model):
    """The registration of `model` (a record's class), or None."""
    return _BY_MODEL.get(model._meta.concrete_model)


def registered():
    return list(_BY_KIND.values())


def members_named(district_id, text):
    """Ids of the district's active members a free-text owner ("María López", or an email)
    names: a theory's or an action's owner is written, not chosen from a list."""
    from accounts.models import Membership  # accounts sits beside core, like this app

    text = (text or "").strip()
    if not text:
        return []
    return list(
        Membership.objects.filter(district_id=district_id, is_active=True, user__is_active=True)
        .annotate(name=Lower("user__full_name"), address=Lower("user__email"))
        .filter(Q(name=text.lower()) | Q(address=text.lower()))
        .values_list("user_id", flat=True)
    )
