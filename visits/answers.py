"""Visits answer what theories, member and campus pages ask (theories.hooks, accounts.hooks,
core.hooks)."""

import datetime

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import hooks as accounts_hooks
from comments import registry as comments_registry
from core import hooks as core_hooks
from core.folds import fold_url
from core.selectors import count_of
from theories import hooks as theories_hooks
from visits import selectors
from visits.models import ActionItem, Observation, Visit

theories_hooks.implementation_evidence.answer(selectors.implementation_evidence)
theories_hooks.theory_evidence_detail.answer(selectors.theory_evidence_detail)
theories_hooks.then_observations.answer(selectors.then_observations)
theories_hooks.observations_marker.answer(selectors.observations_marker)
accounts_hooks.open_action_items_of.answer(selectors.open_action_items_of)


@core_hooks.campus_sections.answer
def campus_section(*, campus, membership, today):
    return core_hooks.CampusSection(
        order=10,
        template="visits/_campus_section.html",
        context=selectors.campus_visits(campus=campus, today=today),
    )


@core_hooks.campus_columns.answer
def campus_columns(*, today):
    visits = Visit.objects.filter(campus=OuterRef("pk"))
    items = ActionItem.objects.filter(campus=OuterRef("pk")).exclude(status=ActionItem.Status.DONE)
    latest = visits.exclude(status=Visit.Status.PLANNED).order_by("-date").values("date")[:1]
    upcoming = (
        visits.filter(status=Visit.Status.PLANNED, date__gte=today).order_by("date").values("date")
    )
    # The campus page's look-for rates cover the same twelve months (selectors.campus_visits);
    # both counts come from one pass over the campus's observations.
    saw_look_fors = Exists(Observation.look_fors.through.objects.filter(observation=OuterRef("pk")))
    seen_rate = (
        Observation.objects.filter(
            visit__campus=OuterRef("pk"),
            visit__date__gte=today - datetime.timedelta(days=365),
            visit__date__lte=today,
        )
        .order_by()
        .values("visit__campus")
        .annotate(
            rate=Cast(
                Round(
                    ExpressionWrapper(
                        100.0 * Count("pk", filter=Q(saw_look_fors)) / Count("pk"),
                        output_field=FloatField(),
                    )
                ),
                IntegerField(),
            )
        )
        .values("rate")
    )
    return [
        core_hooks.CampusColumn("last_visit", _("Last visit"), Subquery(latest), "date"),
        core_hooks.CampusColumn("next_visit", _("Next visit"), Subquery(upcoming[:1]), "date"),
        core_hooks.CampusColumn(
            "open_items", _("Open action items"), Coalesce(count_of(items), 0), "number"
        ),
        core_hooks.CampusColumn(
            "overdue_items",
            _("Overdue action items"),
            Coalesce(count_of(items.filter(due_date__lt=today)), 0),
            "number",
        ),
        core_hooks.CampusColumn(
            "look_fors_seen", _("Look-fors seen, last 12 months"), Subquery(seen_rate), "percent"
        ),
    ]


def _item_in_list(item):
    """The item on the action items list, its owner's group open: every member reads the list,
    while the item's own page is for those who update it."""
    return fold_url(
        reverse("actions:index", args=[item.district.slug]),
        item.owner_key,
        params=[("show", "all")],
        anchor=f"item-{item.pk}",
    )


# Comments (comments.registry): an action item tells its assignee.
comments_registry.register(
    ActionItem,
    kind="action-item",
    label=_("action item"),
    url=_item_in_list,
    owners=lambda item: [item.assignee_id] if item.assignee_id else [],
)


@core_hooks.items_due.answer
def action_items_due(*, district, user, until):
    """The member's open action items due by `until`, overdue ones included."""
    items = (
        ActionItem.objects.filter(district=district, assignee=user, due_date__lte=until)
        .exclude(status=ActionItem.Status.DONE)
        .order_by("due_date", "pk")
    )
    return [
        core_hooks.DueItem(
            item.description, item.due_date, reverse("actions:item", args=[district.slug, item.pk])
        )
        for item in items
    ]
