"""Reads for the plan: the page, honest status, data freshness, coherence, snapshots."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from district_plan.models import (
    Competency,
    FocusArea,
    Goal,
    Measure,
    MeasureValue,
    Partner,
    Plan,
    Strategy,
)


def plans_for_district(district):
    return list(Plan.objects.filter(district=district).order_by("-start_year", "-pk"))


def current_plan(plans):
    """The plan people mean by "the plan": the newest one that is not archived."""
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
    today = today or datetime.date.today()
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
        label, tone = "Needs update", "warn"
    elif latest is None:
        label, tone = "No value yet", "muted"
    elif progress >= 1:
        label, tone = "Target met", "ok"
    elif progress >= expected - 0.1:
        label, tone = "On track", "ok"
    else:
        label, tone = "Behind", "bad"
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


def _measure_prefetch():
    return Prefetch(
        "measures",
        queryset=Measure.objects.order_by("order", "pk").prefetch_related(
            Prefetch("values", queryset=MeasureValue.objects.order_by("observed_on"))
        ),
    )


def plan_page(*, plan, theories, today=None):
    """Everything the plan page shows, in a fixed number of queries.

    `theories` are the district's theories with their measures and actions prefetched
    (theories.selectors.theories_with_parts); the plan page uses them for coherence.
    """
    today = today or datetime.date.today()
    competencies = list(Competency.objects.filter(plan=plan).order_by("order", "pk"))
    goals = list(
        Goal.objects.filter(plan=plan)
        .order_by("order", "pk")
        .prefetch_related(_measure_prefetch(), "theories")
    )
    focus_areas = list(
        FocusArea.objects.filter(plan=plan)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "strategies",
                queryset=Strategy.objects.select_related("department").order_by("order", "pk"),
            ),
            Prefetch("partners", queryset=Partner.objects.order_by("name")),
        )
    )
    partners = list(
        Partner.objects.filter(plan=plan).order_by("order", "pk").prefetch_related("focus_areas")
    )

    statuses = {}
    for goal in goals:
        goal.measure_rows = []
        for measure in goal.measures.all():
            status = measure_status(measure, list(measure.values.all()), today)
            statuses[measure.pk] = status
            goal.measure_rows.append((measure, status))
    for theory in theories:
        for measure in theory.measures.all():
            statuses.setdefault(
                measure.pk, measure_status(measure, list(measure.values.all()), today)
            )
    actions = [action for theory in theories for action in theory.actions.all()]

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
        "freshness": freshness(list(statuses.values()), actions, today),
        "coherence": coherence(goals=goals, theories=theories, statuses=statuses, today=today),
    }


def coherence(*, goals, theories, statuses, today):
    """The broken links of the plan, each with where it is fixed."""
    issues = []
    for goal in goals:
        if not goal.theories.all():
            issues.append(("Goal with no theory of action", str(goal), f"goal-{goal.pk}", "plan"))
    for theory in theories:
        if theory.status == "retired":
            continue
        label = str(theory)
        if not theory.measures.all():
            issues.append(("Theory with no measure", label, f"theory-{theory.pk}", "theories"))
        if not theory.actions.all():
            issues.append(("Theory with no action", label, f"theory-{theory.pk}", "theories"))
        for action in theory.actions.all():
            if not action_is_current(action, today):
                issues.append(
                    (
                        f"Action past due since {action.due_date:%b %-d, %Y}",
                        str(action),
                        f"theory-{theory.pk}",
                        "theories",
                    )
                )
    measures = [m for goal in goals for m in goal.measures.all()]
    measures += [m for theory in theories for m in theory.measures.all()]
    for measure in measures:
        if statuses[measure.pk].needs_update:
            where = "plan" if measure.goal_id else "theories"
            anchor = f"measure-{measure.pk}" if measure.goal_id else f"theory-{measure.theory_id}"
            issues.append(("Measure needs an update", str(measure), anchor, where))
    return issues


def district_coherence(*, district, theories, today=None):
    """Coherence and freshness for the district's current plan and all its theories."""
    today = today or datetime.date.today()
    plan = current_plan(plans_for_district(district))
    goals = []
    if plan is not None:
        goals = list(
            Goal.objects.filter(plan=plan)
            .order_by("order", "pk")
            .prefetch_related(_measure_prefetch(), "theories")
        )
    statuses = {}
    for measure in [m for g in goals for m in g.measures.all()] + [
        m for t in theories for m in t.measures.all()
    ]:
        statuses[measure.pk] = measure_status(measure, list(measure.values.all()), today)
    actions = [action for theory in theories for action in theory.actions.all()]
    return {
        "plan": plan,
        "coherence": coherence(goals=goals, theories=theories, statuses=statuses, today=today),
        "freshness": freshness(list(statuses.values()), actions, today),
    }
