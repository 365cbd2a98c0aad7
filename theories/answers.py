"""Theories answer the plan's questions (district_plan.hooks)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comments import registry as comments_registry
from comments.registry import members_named
from core.history import events_of, link_events
from core.selectors import count_of
from district_plan import hooks
from district_plan.models import Goal, Measure, MeasureValue
from district_plan.selectors import action_current_q, needs_update_q, with_last_observed
from theories.models import Action, TheoryOfAction
from theories.selectors import theories_with_parts

THEORY_ORDER = ("strand__order", "strand_id", "order", "pk")


@hooks.plan_theories.answer
def plan_theories(*, district):
    return theories_with_parts(district, links=())


# How many of a goal's theories the plan page names; the rest are a link to the theories page
# filtered to the goal (a goal of the large demo is served by over sixty).
GOAL_THEORIES_NAMED = 5


@dataclass
class GoalTheories:
    count: int
    named: list


@hooks.goal_theories.answer
def goal_theories(*, goal_ids):
    """The first theories serving each goal and how many serve it, in one query of plain rows
    (building a model per link cost more than the rest of the plan page)."""
    serving = {}
    links = (
        TheoryOfAction.goals.through.objects.filter(goal_id__in=goal_ids)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("goal_id"),
                order_by=[F(f"theoryofaction__{name}") for name in THEORY_ORDER],
            ),
            serving=Window(Count("pk"), partition_by=F("goal_id")),
        )
        .filter(place__lte=GOAL_THEORIES_NAMED)
        .order_by("goal_id", "place")
        .values_list(
            "goal_id",
            "serving",
            "theoryofaction_id",
            "theoryofaction__strand_id",
            "theoryofaction__short_name",
            "theoryofaction__if_clause",
        )
    )
    for goal_id, count, pk, strand_id, short_name, if_clause in links:
        named = serving.setdefault(goal_id, GoalTheories(count=count, named=[])).named
        named.append(
            TheoryOfAction(pk=pk, strand_id=strand_id, short_name=short_name, if_clause=if_clause)
        )
    return serving


@dataclass
class _Gaps:
    """The records the plan's gaps are counted and listed from (hooks.plan_gap_counts,
    hooks.plan_theory_gap_list)."""

    goals: QuerySet  # the plan's goals no theory serves
    live: QuerySet  # the theories in scope that are not retired, with has_measure, has_action
    actions: QuerySet  # every action of the theories in scope
    past_due: QuerySet  # the live theories' actions not done whose due date has passed
    measures: QuerySet  # the theories' measures, with last_observed


def _gaps(*, district, plan, own, current, today):
    links = TheoryOfAction.goals.through.objects
    theories = TheoryOfAction.objects.filter(district=district)
    if own:
        serving = Exists(links.filter(theoryofaction_id=OuterRef("pk"), goal__plan=plan))
        if current:
            serving |= ~Exists(links.filter(theoryofaction_id=OuterRef("pk")))
        theories = theories.filter(serving)
    goals = Goal.objects.none()
    if plan is not None:
        goals = Goal.objects.filter(plan=plan).exclude(Exists(links.filter(goal_id=OuterRef("pk"))))
    actions = Action.objects.filter(theory__in=theories)
    return _Gaps(
        goals=goals,
        live=theories.exclude(status=TheoryOfAction.Status.RETIRED).annotate(
            has_measure=Exists(Measure.objects.filter(theory=OuterRef("pk"))),
            has_action=Exists(Action.objects.filter(theory=OuterRef("pk"))),
        ),
        actions=actions,
        past_due=actions.exclude(theory__status=TheoryOfAction.Status.RETIRED).exclude(
            action_current_q(today)
        ),
        measures=with_last_observed(Measure.objects.filter(theory__in=theories)),
    )


@hooks.plan_gap_counts.answer
def plan_gap_counts(*, district, plan, own, current, today):
    gaps = _gaps(district=district, plan=plan, own=own, current=current, today=today)
    return {
        "goals": count_of(gaps.goals),
        "theories_without_measures": count_of(gaps.live.filter(has_measure=False)),
        "theories_without_actions": count_of(gaps.live.filter(has_action=False)),
        "actions_past_due": count_of(gaps.past_due),
        "measures_needing_update": count_of(gaps.measures.filter(needs_update_q(today))),
        "measures": count_of(gaps.measures),
        "actions": count_of(gaps.actions),
        "actions_current": count_of(gaps.actions.filter(action_current_q(today))),
    }


def _theory_entries(what, theories):
    theories = theories.only("pk", "short_name", "if_clause").order_by(*THEORY_ORDER)
    return [(what, theory.label, f"theory-{theory.pk}", "theories") for theory in theories]


@hooks.plan_theory_gap_list.answer
def plan_theory_gap_list(*, district, plan, own, current, today, kind):
    gaps = _gaps(district=district, plan=plan, own=own, current=current, today=today)
    by_theory = (*(f"theory__{field}" for field in THEORY_ORDER[:-1]), "theory_id", "order", "pk")
    if kind == "goals":
        what = gettext("Goal with no theory of action")
        goals = gaps.goals.only("pk", "title").order_by("order", "pk")
        return [(what, goal.title, f"goal-{goal.pk}", "plan") for goal in goals]
    if kind == "theories-without-measures":
        return _theory_entries(
            gettext("Theory with no measure"), gaps.live.filter(has_measure=False)
        )
    if kind == "theories-without-actions":
        return _theory_entries(gettext("Theory with no action"), gaps.live.filter(has_action=False))
    if kind == "actions-past-due":
        actions = gaps.past_due.only("pk", "theory_id", "description", "due_date")
        return [
            (
                gettext("Action past due since %(date)s")
                % {"date": formats.date_format(action.due_date, "SHORT_DATE_FORMAT")},
                str(action),
                f"theory-{action.theory_id}",
                "theories",
            )
            for action in actions.order_by(*by_theory)
        ]
    if kind == "measures-needing-update":
        what = gettext("Measure needs an update")
        stale = gaps.measures.filter(needs_update_q(today)).only("pk", "theory_id", "name")
        return [
            (what, measure.name, f"theory-{measure.theory_id}", "theories")
            for measure in stale.order_by(*by_theory)
        ]
    return []


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


# Comments (comments.registry): a theory and its actions tell the member their owner names.
comments_registry.register(
    TheoryOfAction,
    kind="theory",
    label=_("theory of action"),
    url=lambda theory: reverse("theories:theory", args=[theory.district.slug, theory.pk]),
    owners=lambda theory: members_named(theory.district_id, theory.owner),
)
comments_registry.register(
    Action,
    kind="action",
    label=_("action"),
    url=lambda action: (
        reverse("theories:theory", args=[action.district.slug, action.theory_id])
        + f"#action-{action.pk}"
    ),
    owners=lambda action: members_named(action.district_id, action.owner),
)
