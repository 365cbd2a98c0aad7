"""No lost updates, and a history of every change.

Editable records carry a `version`. A save names the version the editor started from; if the
stored version has moved on, `EditConflict` is raised with the stored record so the page can
show both and let the person choose. Every create, change and delete writes a HistoryEntry.
"""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.text import capfirst

from core.models import HistoryEntry

# Bookkeeping fields that are not worth a line in anyone's history.
_SKIP = {"id", "district", "version", "created_at", "updated_at", "order"}


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class EditConflict(Exception):
    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else.")
        self.current = current


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if isinstance(value, bool | int | float | str) else str(value)


def _label(model, name):
    field = model._meta.get_field(name)
    return capfirst(str(getattr(field, "verbose_name", name)))


def _display(instance, name):
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(sorted(str(o) for o in getattr(instance, name).all()))
    if field.choices:
        return getattr(instance, f"get_{name}_display")()
    return _plain(getattr(instance, name))


def record_history(*, instance, user, action, changes=()):
    HistoryEntry.objects.create(
        district_id=instance.district_id,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=instance.pk,
        object_label=str(instance)[:300],
        action=action,
        changes=list(changes),
        user=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def versioned_create(*, instance, user, m2m=None):
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    fields = [f.name for f in instance._meta.concrete_fields if f.name not in _SKIP]
    changes = [
        {"field": name, "label": _label(type(instance), name), "old": "", "new": value}
        for name in [*fields, *(m2m or {})]
        if (value := _display(instance, name)) not in ("", None)
    ]
    record_history(
        instance=instance, user=user, action=HistoryEntry.Action.CREATED, changes=changes
    )
    return instance


@transaction.atomic
def versioned_update(*, instance, expected_version, user, data, m2m=None):
    """Saves `data` (field -> value) onto the stored record if nobody saved it since
    `expected_version`; otherwise raises EditConflict with the stored record.

    A save that changes nothing keeps the version, so it cannot cause a conflict for others.
    """
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:
        raise EditConflict(current)
    m2m = m2m or {}
    before = {name: _display(current, name) for name in [*data, *m2m]}
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean()
    after = {name: _display(current, name) for name in data}
    after |= {name: ", ".join(sorted(str(o) for o in values)) for name, values in m2m.items()}
    changes = [
        {"field": name, "label": _label(model, name), "old": before[name], "new": after[name]}
        for name in before
        if before[name] != after[name] and name not in _SKIP
    ]
    if not changes:
        return current
    current.version += 1
    current.save()
    for name, values in m2m.items():
        getattr(current, name).set(values)
    record_history(instance=current, user=user, action=HistoryEntry.Action.CHANGED, changes=changes)
    return current


@transaction.atomic
def versioned_delete(*, instance, user):
    record_history(instance=instance, user=user, action=HistoryEntry.Action.DELETED)
    instance.delete()


def history_for(instance, limit=200):
    return (
        HistoryEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=instance.pk,
            district_id=instance.district_id,
        )
        .select_related("user")
        .order_by("-created_at", "-pk")[:limit]
    )


def conflict_rows(*, form, current):
    """(label, theirs, mine) for each field where the stored record and the submitted form
    differ, for the page that lets the second editor choose."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        theirs = _display(current, name)
        value = form.cleaned_data[name]
        if hasattr(value, "all") or isinstance(value, list | tuple):
            mine = ", ".join(sorted(str(o) for o in value))
        elif getattr(field, "choices", None) and not hasattr(value, "pk"):
            mine = dict(field.choices).get(value, value)
        else:
            mine = _plain(value)
        if str(theirs) != str(mine):
            rows.append((field.label, theirs, mine))
    return rows


def last_change(instance):
    return history_for(instance, limit=1).first()


def conflict_context(*, form, conflict):
    """What a form page shows the second editor: both versions side by side, and the form
    re-armed with the stored version so that saving again deliberately keeps theirs out."""
    data = form.data.copy()
    data["version"] = conflict.current.version
    form.data = data
    return {
        "conflict": conflict_rows(form=form, current=conflict.current),
        "conflict_change": last_change(conflict.current),
    }
