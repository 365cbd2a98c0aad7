"""Reads for the plan: the page, honest status, data freshness, coherence, snapshots."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.charts import measure_chart
from core.history import events_of, history, link_events, record_events
from district_plan import hooks
from district_plan.models import (
    Competency,
    FocusArea,
    Goal,
    Measure,
    MeasureValue,
    Partner,
    Plan,
    PlanSnapshot,
    Strategy,
)

PLAN_PARTS = (Competency, Goal, FocusArea, Partner, PlanSnapshot)


def plans_for_district(district):
    """The district's plans, newest first, each with the id of its latest adoption snapshot
    and what the apps above annotate (hooks.plan_annotations: Discovery adds the number of
    findings that no improvement pathway answers yet)."""
    latest = (
        PlanSnapshot.objects.filter(plan=OuterRef("pk"), kind=PlanSnapshot.Kind.ADOPTED)
        .order_by("-taken_at")
        .values("pk")[:1]
    )
    annotations = {}
    for extra in hooks.plan_annotations.ask_all():
        annotations |= extra
    return list(
        Plan.objects.filter(district=district)
        .annotate(latest_snapshot_id=Subquery(latest), **annotations)
        .order_by("-start_year", "-pk")
    )


def current_plan(plans):
    """The plan people mean by "the plan": the adopted plan whose school years hold today, so
    a draft of the next plan does not replace it before the board adopts it; else the newest
    one that is not archived."""
    today = timezone.localdate()
    for plan in plans:
        if plan.status == Plan.Status.ADOPTED and plan.first_day <= today <= plan.last_day:
            return plan
    for plan in plans:
        if plan.status != Plan.Status.ARCHIVED:
            return plan
    return plans[0] if plans else None


@dataclass
class MeasureStatus:
    """Where a measure stands, told honestly: a missed update cycle is "needs update"."""

    latest: MeasureValue | None
    needs_update: bool
    progress: float | None  # share of the way from baseline to target, 0..1+
    expected: float  # share of the time from baseline date to target date that has passed
    label: str
    tone: str

    @property
    def progress_percent(self):
        return None if self.progress is None else round(self.progress * 100)


def measure_status(measure, values, today=None):
    today = today or timezone.localdate()
    latest = values[-1] if values else None
    last_date = latest.observed_on if latest else measure.baseline_date
    needs_update = today - last_date > measure.cycle_length
    span = (measure.target_date - measure.baseline_date).days or 1
    expected = min(1.0, max(0.0, (today - measure.baseline_date).days / span))
    progress = None
    if latest is not None:
        distance = measure.target - measure.baseline
        progress = float((latest.value - measure.baseline) / distance) if distance else 1.0
    if needs_update:
        label, tone = _("Needs update"), "warn"
    elif latest is None:
        label, tone = _("No value yet"), "muted"
    elif progress >= 1:
        label, tone = _("Target met"), "ok"
    elif progress >= expected - 0.1:
        label, tone = _("On track"), "ok"
    else:
        label, tone = _("Behind"), "bad"
    return MeasureStatus(latest, needs_update, progress, expected, label, tone)


def action_is_current(action, today):
    """An action is up to date when it is done or its due date has not passed."""
    return action.status == "done" or action.due_date is None or action.due_date >= today


def freshness(measure_statuses, actions, today):
    fresh = sum(1 for status in measure_statuses if not status.needs_update)
    current = sum(1 for action in actions if action_is_current(action, today))
    total = len(measure_statuses) + len(actions)
    return {
        "measures_fresh": fresh,
        "measures": len(measure_statuses),
        "actions_current": current,
        "actions": len(actions),
        "percent": round(100 * (fresh + current) / total) if total else None,
    }


def _values_prefetch():
    return Prefetch("values", queryset=MeasureValue.objects.order_by("observed_on"))


def attach_measures(*, district, goals, theories, today):
    """Gives each goal and theory its `measure_list` from one query, links goals to the
    theories that serve them (`theory_list`), and returns {measure id: MeasureStatus}."""
    goal_ids = [goal.pk for goal in goals]
    measures = (
        Measure.objects.filter(district=district)
        .filter(Q(goal_id__in=goal_ids) | Q(theory__isnull=False))
        .order_by("order", "pk")
        .prefetch_related(_values_prefetch())
    )
    by_goal, by_theory, statuses = defaultdict(list), defaultdict(list), {}
    for measure in measures:
        statuses[measure.pk] = measure_status(measure, list(measure.values.all()), today)
        if measure.goal_id:
            by_goal[measure.goal_id].append(measure)
        else:
            by_theory[measure.theory_id].append(measure)
    theories_by_goal = defaultdict(list)
    for theory in theories:
        theory.measure_list = by_theory[theory.pk]
        for goal in theory.goal_list:
            theories_by_goal[goal.pk].append(theory)
    for goal in goals:
        goal.measure_list = by_goal[goal.pk]
        goal.theory_list = theories_by_goal[goal.pk]
        goal.measure_rows = [(m, statuses[m.pk]) for m in goal.measure_list]
    return statuses


def plan_progress(*, plan, today, chart_width, chart_height):
    """The plan's goals with their measures' statuses and charts (`chart_rows`), and its data
    freshness: what the board summary and the public page show, without the links between
    theories and goals that the plan page checks (prefetching those costs more than the whole
    rest for hundreds of theories)."""
    goals = list(Goal.objects.filter(plan=plan).order_by("order", "pk"))
    statuses = attach_measures(district=plan.district_id, goals=goals, theories=(), today=today)
    for goal in goals:
        goal.chart_rows = [
            (
                measure,
                status,
                measure_chart(
                    measure=measure,
                    values=list(measure.values.all()),
                    chart_id=f"measure-{measure.pk}",
                    width=chart_width,
                    height=chart_height,
                ),
            )
            for measure, status in goal.measure_rows
        ]
    actions = hooks.plan_actions.ask(district=plan.district_id)
    return {"goals": goals, "freshness": freshness(list(statuses.values()), actions, today)}


def plan_page(*, plan, theories, current=True, today=None):
    """Everything the plan page shows, in a fixed number of queries.

    `theories` are the district's theories with their actions and goals prefetched
    (theories.selectors.theories_with_parts); the plan page uses them for coherence.
    `current`: the plan is the one the district means by "the plan" (current_plan).
    """
    today = today or timezone.localdate()
    competencies = list(Competency.objects.filter(plan=plan).order_by("order", "pk"))
    goals = list(Goal.objects.filter(plan=plan).select_related("origin").order_by("order", "pk"))
    focus_areas = list(
        FocusArea.objects.filter(plan=plan)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "strategies",
                queryset=Strategy.objects.select_related("department").order_by("order", "pk"),
            )
        )
    )
    partners = list(
        Partner.objects.filter(plan=plan).order_by("order", "pk").prefetch_related("focus_areas")
    )
    partners_by_area = defaultdict(list)
    for partner in partners:
        for area in partner.focus_areas.all():
            partners_by_area[area.pk].append(partner)
    for area in focus_areas:
        area.partner_list = partners_by_area[area.pk]

    statuses = attach_measures(
        district=plan.district_id, goals=goals, theories=theories, today=today
    )
    # The plan's own theories: those serving one of its goals, and, for the district's current
    # plan, those serving no goal yet. Another plan's theories are not counted here, so a new
    # draft starts with its own (empty) counts.
    goal_ids = {goal.pk for goal in goals}
    own = [
        theory
        for theory in theories
        if any(g.pk in goal_ids for g in theory.goal_list) or (current and not theory.goal_list)
    ]
    own_measures = [m for goal in goals for m in goal.measure_list]
    own_measures += [m for theory in own for m in theory.measure_list]
    own_statuses = {m.pk: statuses[m.pk] for m in own_measures}
    actions = [action for theory in own for action in theory.action_list]

    by_band = {}
    for competency in competencies:
        by_band.setdefault(competency.get_grade_band_display(), []).append(competency)

    return {
        "plan": plan,
        "learner_profile": list(by_band.items()),
        "competencies": competencies,
        "goals": goals,
        "focus_areas": focus_areas,
        "partners": partners,
        "freshness": freshness(list(own_statuses.values()), actions, today),
        "coherence": coherence(
            goals=goals,
            theories=own,
            statuses=own_statuses,
            today=today,
            plan=plan,
        ),
    }


def coherence(*, goals, theories, statuses, today, plan=None):
    """The broken links of the plan, each with where it is fixed: those the apps above see
    first (hooks.plan_coherence_issues), then goals, theories and measures."""
    issues = []
    if plan is not None:
        for contributed in hooks.plan_coherence_issues.ask_all(plan=plan):
            issues.extend(contributed)
    for goal in goals:
        if not goal.theory_list:
            issues.append(
                (gettext("Goal with no theory of action"), str(goal), f"goal-{goal.pk}", "plan")
            )
    for theory in theories:
        if theory.status == "retired":
            continue
        label = str(theory)
        if not theory.measure_list:
            issues.append(
                (gettext("Theory with no measure"), label, f"theory-{theory.pk}", "theories")
            )
        if not theory.action_list:
            issues.append(
                (gettext("Theory with no action"), label, f"theory-{theory.pk}", "theories")
            )
        for action in theory.action_list:
            if not action_is_current(action, today):
                issues.append(
                    (
                        gettext("Action past due since %(date)s")
                        % {"date": formats.date_format(action.due_date, "SHORT_DATE_FORMAT")},
                        str(action),
                        f"theory-{theory.pk}",
                        "theories",
                    )
                )
    measures = [m for goal in goals for m in goal.measure_list]
    measures += [m for theory in theories for m in theory.measure_list]
    for measure in measures:
        if statuses[measure.pk].needs_update:
            where = "plan" if measure.goal_id else "theories"
            anchor = f"measure-{measure.pk}" if measure.goal_id else f"theory-{measure.theory_id}"
            issues.append((gettext("Measure needs an update"), str(measure), anchor, where))
    return issues


def district_coherence(*, district, theories, plans=None, today=None):
    """Coherence and freshness for the district's current plan and all its theories.

    `theories` need their actions and goals prefetched."""
    today = today or timezone.localdate()
    plan = current_plan(plans if plans is not None else plans_for_district(district))
    goals = list(Goal.objects.filter(plan=plan).order_by("order", "pk")) if plan else []
    statuses = attach_measures(district=district, goals=goals, theories=theories, today=today)
    actions = [action for theory in theories for action in theory.action_list]
    return {
        "plan": plan,
        "coherence": coherence(
            goals=goals,
            theories=theories,
            statuses=statuses,
            today=today,
            plan=plan,
        ),
        "freshness": freshness(list(statuses.values()), actions, today),
        "statuses": statuses,
    }


def plan_history(plan):
    """Changes to the plan and to everything under it: its learner profile, goals, focus areas
    with their strategies, partners, the goals' measures and values, and the theories of action
    linked to its goals or focus areas with their actions and measures. Parts deleted since are
    found through their own history, so their deletion is listed too."""
    goal_ids = events_of(Goal).filter(plan_id=plan.pk).values("pgh_obj_id")
    area_ids = events_of(FocusArea).filter(plan_id=plan.pk).values("pgh_obj_id")
    measure_ids = events_of(Measure).filter(goal_id__in=goal_ids).values("pgh_obj_id")
    return history(
        [
            record_events(plan),
            *(events_of(model).filter(plan_id=plan.pk) for model in PLAN_PARTS),
            events_of(Strategy).filter(focus_area_id__in=area_ids),
            link_events(Partner, "focus_areas").filter(focusarea_id__in=area_ids),
            events_of(Measure).filter(pgh_obj_id__in=measure_ids),
            events_of(MeasureValue).filter(measure_id__in=measure_ids),
            *(
                events
                for answer in hooks.plan_history_events.ask_all(
                    plan=plan, goal_ids=goal_ids, area_ids=area_ids
                )
                for events in answer
            ),
        ]
    )


def measure_history(measure):
    return history([record_events(measure), events_of(MeasureValue).filter(measure_id=measure.pk)])
