"""No lost updates.

Editable records carry a `version`. A save names the version the editor started from; if the
stored version has moved on, `EditConflict` is raised with the stored record so the page can
show both and let the person choose. The history of every save is kept by the database
(core.history), not here.
"""

from decimal import Decimal

from django.db import models, transaction

from core.history import acting_as, last_change


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    def changed(self, name):
        """Whether the field differs from what was read from the database (always, for a
        record not read from it). Plausibility rules check only what an edit changes, so a
        record that was fine when written stays editable as the years pass."""
        loaded = getattr(self, "_loaded", None)
        if loaded is None or name not in loaded:
            return True
        return loaded[name] != getattr(self, name)


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


def _display(instance, name):
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(sorted(str(o) for o in getattr(instance, name).all()))
    if field.choices:
        return getattr(instance, f"get_{name}_display")()
    return _plain(getattr(instance, name))


@transaction.atomic
def versioned_create(*, instance, user, m2m=None):
    instance.full_clean()
    with acting_as(user):
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
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
    if before == after:
        return current
    current.version += 1
    with acting_as(user):
        current.save()
        for name, values in m2m.items():
            getattr(current, name).set(values)
    return current


@transaction.atomic
def versioned_delete(*, instance, user):
    with acting_as(user):
        instance.delete()


def conflict_rows(*, form, current):
    """(label, theirs, mine) for each field where the stored record and the submitted form
    differ, for the page that lets the second editor choose."""
    rows = []
    stored = {f.name for f in current._meta.get_fields()}
    for name, field in form.fields.items():
        # A form's own fields (a new problem of practice to add, a file to replace an
        # attachment with) are not part of the record.
        if name == "version" or name not in stored or name not in form.cleaned_data:
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
