from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core.ordering import move_in_order, next_order
from core.versioning import versioned_create, versioned_delete, versioned_update
from theories.models import Action, Strand, TheoryOfAction


def strand_create(*, district, user, name, name_es=""):
    strand = Strand(
        district=district,
        name=name,
        name_es=name_es,
        order=next_order(Strand.objects.filter(district=district)),
    )
    return versioned_create(instance=strand, user=user)


def strand_update(*, strand, expected_version, user, name, name_es=""):
    return versioned_update(
        instance=strand,
        expected_version=expected_version,
        user=user,
        data={"name": name, "name_es": name_es},
    )


@transaction.atomic
def strand_delete(*, strand, user):
    if strand.theories.exists():
        raise ValidationError(gettext("Move or delete this strand's theories first."))
    versioned_delete(instance=strand, user=user)


def strand_move(*, strand, offset, user):
    return move_in_order(
        siblings=Strand.objects.filter(district=strand.district_id),
        item=strand,
        offset=offset,
        user=user,
    )


def theory_create(*, district, user, strand, goals=(), focus_areas=(), **fields):
    theory = TheoryOfAction(
        district=district,
        strand=strand,
        order=next_order(TheoryOfAction.objects.filter(strand=strand)),
        **fields,
    )
    return versioned_create(
        instance=theory, user=user, m2m={"goals": goals, "focus_areas": focus_areas}
    )


def theory_update(*, theory, expected_version, user, data, goals=None, focus_areas=None):
    m2m = {}
    if goals is not None:
        m2m["goals"] = goals
    if focus_areas is not None:
        m2m["focus_areas"] = focus_areas
    with transaction.atomic():
        moving = "strand" in data and data["strand"].pk != theory.strand_id
        if moving:
            data = {
                **data,
                "order": next_order(TheoryOfAction.objects.filter(strand=data["strand"])),
            }
        return versioned_update(
            instance=theory, expected_version=expected_version, user=user, data=data, m2m=m2m
        )


def theory_delete(*, theory, user):
    versioned_delete(instance=theory, user=user)


def theory_move(*, theory, offset, user):
    return move_in_order(
        siblings=TheoryOfAction.objects.filter(strand=theory.strand_id),
        item=theory,
        offset=offset,
        user=user,
    )


def action_create(*, theory, user, **fields):
    action = Action(
        district_id=theory.district_id,
        theory=theory,
        order=next_order(Action.objects.filter(theory=theory)),
        **fields,
    )
    return versioned_create(instance=action, user=user)


def action_update(*, action, expected_version, user, data):
    return versioned_update(
        instance=action, expected_version=expected_version, user=user, data=data
    )


def action_delete(*, action, user):
    versioned_delete(instance=action, user=user)


@transaction.atomic
def theories_import(*, district, user, strands):
    """Creates the strands (reusing ones of the same name) and theories of a pasted
    document, all or nothing, with the actions each was given. `strands` is
    [(name, [{problem, if_clause, then_clause, so_that, actions: [description, ...]}, ...])]."""
    existing = {s.name.lower(): s for s in Strand.objects.filter(district=district)}
    created = 0
    for name, statements in strands:
        strand = existing.get(name.lower())
        if strand is None:
            strand = strand_create(district=district, user=user, name=name)
            existing[name.lower()] = strand
        for statement in statements:
            fields = {name: value for name, value in statement.items() if name != "actions"}
            theory = theory_create(district=district, user=user, strand=strand, **fields)
            for description in statement.get("actions", ()):
                action_create(theory=theory, user=user, description=description)
            created += 1
    return created
