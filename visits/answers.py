"""Visits answer what theories, member and campus pages ask (theories.hooks, accounts.hooks,
core.hooks)."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts import hooks as accounts_hooks
from core import hooks as core_hooks
from core.selectors import count_of
from theories import hooks as theories_hooks
from visits import selectors
from visits.models import ActionItem, Visit

theories_hooks.implementation_evidence.answer(selectors.implementation_evidence)
theories_hooks.theory_evidence_detail.answer(selectors.theory_evidence_detail)
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
    ]
