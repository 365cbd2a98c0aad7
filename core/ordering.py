from django.db import transaction

from core.history import acting_as


@transaction.atomic
def move_in_order(*, siblings, item, offset, user):
    """Moves `item` by `offset` places among `siblings` (a queryset it belongs to) and
    renumbers them 0..n-1. Moving past either end leaves it at that end.

    The new positions are rows like any other, so the move is in the history of every item
    it renumbered."""
    ordered = list(siblings.select_for_update().order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    changed = []
    for position, sibling in enumerate(ordered):
        if sibling.order != position:
            sibling.order = position
            changed.append(sibling)
    with acting_as(user):
        type(item)._default_manager.bulk_update(changed, ["order"])
    return target


def next_order(siblings):
    last = siblings.order_by("-order").values_list("order", flat=True).first()
    return 0 if last is None else last + 1
