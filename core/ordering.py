from django.db import transaction

from core.models import HistoryEntry
from core.versioning import record_history


@transaction.atomic
def move_in_order(*, siblings, item, offset, user):
    """Moves `item` by `offset` places among `siblings` (a queryset it belongs to) and
    renumbers them 0..n-1. Moving past either end leaves it at that end.

    The move is recorded in the item's history: the order shows in the plan, on the public
    page and in reports, and whatever caches them follows the history."""
    ordered = list(siblings.select_for_update().order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    changed = []
    for position, sibling in enumerate(ordered):
        if sibling.order != position:
            sibling.order = position
            changed.append(sibling)
    type(item)._default_manager.bulk_update(changed, ["order"])
    if target != index:
        record_history(
            instance=item,
            user=user,
            action=HistoryEntry.Action.CHANGED,
            changes=[{"field": "order", "label": "Position", "old": index + 1, "new": target + 1}],
        )
    return target


def next_order(siblings):
    last = siblings.order_by("-order").values_list("order", flat=True).first()
    return 0 if last is None else last + 1
