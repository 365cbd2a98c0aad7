"""Theories answer the plan's questions (district_plan.hooks)."""

from django.db.models import Q

from core.history import events_of, link_events
from district_plan import hooks
from district_plan.models import Measure, MeasureValue
from theories.models import Action, TheoryOfAction
from theories.selectors import theories_with_parts


@hooks.plan_theories.answer
def plan_theories(*, district):
    return theories_with_parts(district, measures=False, links=("goals",))


@hooks.plan_actions.answer
def plan_actions(*, district):
    return Action.objects.filter(district_id=district).only("status", "due_date")


@hooks.plan_history_events.answer
def plan_history_events(*, plan, goal_ids, area_ids):
    """The theories linked to the plan's goals or focus areas, with their actions and measures."""
    theory_ids = (
        TheoryOfAction.objects.filter(Q(goals__plan=plan) | Q(focus_areas__plan=plan))
        .values("pk")
        .distinct()
    )
    measure_ids = events_of(Measure).filter(theory_id__in=theory_ids).values("pgh_obj_id")
    return [
        link_events(TheoryOfAction, "goals").filter(goal_id__in=goal_ids),
        link_events(TheoryOfAction, "focus_areas").filter(focusarea_id__in=area_ids),
        events_of(Measure).filter(pgh_obj_id__in=measure_ids),
        events_of(MeasureValue).filter(measure_id__in=measure_ids),
        events_of(TheoryOfAction).filter(pgh_obj_id__in=theory_ids),
        events_of(Action).filter(theory_id__in=theory_ids),
    ]


@hooks.adopted_theories.answer
def adopted_theories(*, district):
    return list(
        TheoryOfAction.objects.filter(district=district, status=TheoryOfAction.Status.ADOPTED)
        .select_related("strand")
        .order_by("strand__order", "strand__pk", "order", "pk")
    )
