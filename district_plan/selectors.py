"""Reads for the plan: the page, honest status, data freshness, coherence, snapshots."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from comments.selectors import open_comments_of
from core import hooks as core_hooks
from core.charts import (
    campus_spread_chart,
    group_series_chart,
    measure_chart,
    paired_bar_chart,
    year_label,
)
from core.csv_import import heading_key
from core.history import events_of, history, latest_change_marker, link_events, record_events
from core.models import Campus, District
from core.numbers import plain, spread_of
from core.roles import Capability, can
from core.selectors import count_of
from district_plan import hooks
from district_plan.likeness import Profile, most_alike, shares_of
from district_plan.models import (
    DEFAULT_STUDENT_GROUPS,
    CampusGoal,
    CampusPlan,
    CampusPlanSnapshot,
    CampusPlanTheory,
    CampusStrategy,
    Competency,
    FocusArea,
    Goal,
    GroupEnrollment,
    Measure,
    MeasureResult,
    MeasureValue,
    Partner,
    PerformanceObjective,
    Plan,
    PlanSnapshot,
    Strategy,
    StudentGroup,
)
from district_plan.result_csv import ALL_STUDENTS

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


def action_current_q(today):
    """action_is_current as a filter on actions."""
    return Q(status="done") | Q(due_date__isnull=True) | Q(due_date__gte=today)


def with_last_observed(measures):
    """`measures` annotated with `last_observed`: the date of the newest value, else the
    baseline date, from which measure_status counts the update cycle."""
    newest = (
        MeasureValue.objects.filter(measure=OuterRef("pk"))
        .order_by("-observed_on")
        .values("observed_on")[:1]
    )
    return measures.annotate(last_observed=Coalesce(Subquery(newest), "baseline_date"))


def needs_update_q(today):
    """measure_status's "needs update" as a filter on measures annotated by with_last_observed:
    the update cycle passed without a value."""
    return reduce(
        or_,
        (
            Q(update_cycle=cycle, last_observed__lt=today - timedelta(days=days))
            for cycle, days in Measure.CYCLE_DAYS.items()
        ),
    )


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
    """Gives each goal and theory its `measure_list` from one query, and each goal its
    `measure_rows` (measure, status); returns {measure id: MeasureStatus}."""
    wanted = Q(goal_id__in=[goal.pk for goal in goals])
    if theories:
        wanted |= Q(theory__isnull=False)
    measures = (
        Measure.objects.filter(district=district)
        .filter(wanted)
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
    for theory in theories:
        theory.measure_list = by_theory[theory.pk]
    for goal in goals:
        goal.measure_list = by_goal[goal.pk]
        goal.measure_rows = [(m, statuses[m.pk]) for m in goal.measure_list]
    return statuses


def plan_progress(*, plan, today, chart_width, chart_height, palette=()):
    """The plan's goals with their measures' statuses and charts (`chart_rows`, drawn in the
    first colour of `palette` when given), and its data freshness: what the board summary and the public page show, without the links between
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
                    colour=palette[0] if palette else None,
                ),
            )
            for measure, status in goal.measure_rows
        ]
    actions = hooks.plan_actions.ask(district=plan.district_id)
    return {"goals": goals, "freshness": freshness(list(statuses.values()), actions, today)}


def plan_page(*, plan, today=None):
    """Everything the plan page shows but its gaps (plan_gaps), in a fixed number of queries:
    each goal with its measures (`measure_rows`), the theories serving it (`serving`,
    hooks.goal_theories; None when none does) and what the apps above annotate
    (hooks.goal_annotations)."""
    today = today or timezone.localdate()
    # Each goal's and competency's open comments, for their links, in the queries that read them.
    competencies = list(
        Competency.objects.filter(plan=plan)
        .annotate(open_comments=open_comments_of(Competency))
        .order_by("order", "pk")
    )
    annotations = {}
    for extra in hooks.goal_annotations.ask_all():
        annotations |= extra
    goals = list(
        Goal.objects.filter(plan=plan)
        .select_related("origin")
        .annotate(open_comments=open_comments_of(Goal), **annotations)
        .order_by("order", "pk")
    )
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

    attach_measures(district=plan.district_id, goals=goals, theories=(), today=today)
    serving = hooks.goal_theories.ask(goal_ids=[goal.pk for goal in goals])
    uptake = goal_uptake(goals=goals)
    # One question for every goal and competency of the page, however many there are.
    decided = core_hooks.decisions_about.ask(
        district_id=plan.district_id,
        about={"goal": [g.pk for g in goals], "competency": [c.pk for c in competencies]},
    )
    for goal in goals:
        goal.serving = serving.get(goal.pk)
        goal.uptake = uptake.get(goal.pk)
        goal.decided = decided.get(("goal", goal.pk), ())
    for competency in competencies:
        competency.decided = decided.get(("competency", competency.pk), ())

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
    }


# The kinds of gap the coherence panel counts, in the order it lists them; the apps above count
# and list them (hooks.plan_gap_counts, hooks.plan_theory_gap_list) but for the plan's own
# measures, counted here.
GAP_KINDS = {
    "goals": _("Goals with no theory of action"),
    "theories-without-measures": _("Theories with no measure"),
    "theories-without-actions": _("Theories with no action"),
    "actions-past-due": _("Actions past due"),
    "measures-needing-update": _("Measures that need an update"),
}

# The cache key moves with every change of the district, the date and the language, so an
# entry is never stale; the timeout only lets entries of past days go.
GAPS_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Gaps:
    """What the coherence panel shows: how many gaps of each kind (`kinds`, opened one at a
    time by gap_list), the broken links the apps above see (`contributed`, already counted:
    hooks.plan_coherence_issues) and the data freshness. `plan_id` names the plan whose own
    gaps these are; None for the district's (the current plan and every theory)."""

    counts: dict
    freshness: dict
    contributed: list
    has_plan: bool
    plan_id: int | None = None

    @property
    def total(self):
        return len(self.contributed) + sum(self.counts.values())

    @property
    def kinds(self):
        return [
            (kind, label, self.counts[kind])
            for kind, label in GAP_KINDS.items()
            if self.counts[kind]
        ]


def _count_gaps(*, district, plan, own, current, today):
    """The numbers behind Gaps in one query whatever the size: the plan's own measures counted
    here, the rest by the apps above (hooks.plan_gap_counts)."""
    goal_measures = with_last_observed(
        Measure.objects.filter(goal__plan=plan) if plan is not None else Measure.objects.none()
    )
    counted = {
        "goal_measures": count_of(goal_measures),
        "goal_measures_needing_update": count_of(goal_measures.filter(needs_update_q(today))),
        **hooks.plan_gap_counts.ask(
            district=district, plan=plan, own=own, current=current, today=today
        ),
    }
    found = District.objects.filter(pk=district.pk).values(**counted).get()
    found = {name: number or 0 for name, number in found.items()}
    counts = {kind: found.get(kind.replace("-", "_"), 0) for kind in GAP_KINDS}
    counts["measures-needing-update"] += found["goal_measures_needing_update"]
    measures = found["goal_measures"] + found.get("measures", 0)
    fresh = measures - counts["measures-needing-update"]
    actions, current_actions = found.get("actions", 0), found.get("actions_current", 0)
    total = measures + actions
    contributed = []
    if plan is not None:
        for issues in hooks.plan_coherence_issues.ask_all(plan=plan):
            contributed.extend(tuple(issue) for issue in issues)
    return {
        "counts": counts,
        "freshness": {
            "measures_fresh": fresh,
            "measures": measures,
            "actions_current": current_actions,
            "actions": actions,
            "percent": round(100 * (fresh + current_actions) / total) if total else None,
        },
        "contributed": contributed,
        "has_plan": plan is not None,
    }


def _cached_gaps(*, district, scope, today, count):
    """Counting reads every theory, action and measure in scope; the numbers change only when
    the district's records do (core.history.latest_change_marker, as the public page's
    cache), the day turns or the reader's language differs (the contributed issues are
    sentences), so they are counted once per change for every page that shows them."""
    key = ":".join(
        (
            "plan-gaps",
            str(district.pk),
            scope,
            today.isoformat(),
            get_language() or "",
            str(latest_change_marker(district)),
        )
    )
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, GAPS_SECONDS)
    return found


def district_gaps(*, district, plans=None, today=None):
    """The gaps of the district's current plan and of all its theories (home, theories)."""
    today = today or timezone.localdate()

    def count():
        plan = current_plan(plans if plans is not None else plans_for_district(district))
        return _count_gaps(district=district, plan=plan, own=False, current=True, today=today)

    return Gaps(**_cached_gaps(district=district, scope="district", today=today, count=count))


def plan_gaps(*, district, plan, current, today=None):
    """The plan's own gaps (the plan page): its goals and measures, the theories serving its
    goals and, on the district's current plan, those serving no goal yet, so a new draft
    starts from its own."""
    today = today or timezone.localdate()
    scope = f"plan-{plan.pk}-{'current' if current else 'other'}"

    def count():
        return _count_gaps(district=district, plan=plan, own=True, current=current, today=today)

    found = _cached_gaps(district=district, scope=scope, today=today, count=count)
    return Gaps(**found, plan_id=plan.pk)


def gap_list(*, district, plan, own, current, kind, today=None):
    """Every gap of one kind (GAP_KINDS) in the scope of district_gaps (`own` False) or
    plan_gaps, as (what, which, anchor, page) tuples: the plan's measures here, the rest from
    the apps above (hooks.plan_theory_gap_list)."""
    today = today or timezone.localdate()
    entries = []
    if kind == "measures-needing-update" and plan is not None:
        stale = (
            with_last_observed(Measure.objects.filter(goal__plan=plan))
            .filter(needs_update_q(today))
            .order_by("goal__order", "goal_id", "order", "pk")
            .only("pk", "name")
        )
        label = gettext("Measure needs an update")
        entries = [(label, measure.name, f"measure-{measure.pk}", "plan") for measure in stale]
    return entries + list(
        hooks.plan_theory_gap_list.ask(
            district=district, plan=plan, own=own, current=current, today=today, kind=kind
        )
    )


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


@dataclass(frozen=True)
class ResultCell:
    """One result as a reader sees it: its value, or masked (a group under the district's
    smallest size, to a reader who is not in the cabinet); `small` tells the cabinet it is."""

    value: object
    masked: bool
    small: bool


def _cell(result, *, smallest, sees_small):
    if result is None:
        return None
    small = result.students is not None and result.students < smallest
    masked = small and not sees_small
    return ResultCell(value=None if masked else plain(result.value), masked=masked, small=small)


def measure_results(*, measure, district, membership):
    """A measure's results by student group, for its page, in three queries whatever their
    number: the district's series (each group's value on each date) and every campus's results
    on the latest date any campus has, one row a campus (read as plain rows: a large district
    has over a thousand)."""
    sees_small = can(membership, Capability.EDIT_PLAN)
    smallest = district.smallest_group_shown
    results = MeasureResult.objects.filter(measure=measure)
    district_wide = list(
        results.filter(campus__isnull=True)
        .select_related("group")
        .order_by("observed_on", "group__order", "group_id")
    )
    latest = results.filter(campus__isnull=False).aggregate(latest=Max("observed_on"))["latest"]
    rows = list(
        results.filter(campus__isnull=False, observed_on=latest).values_list(
            "campus_id", "campus__name", "group_id", "value", "students"
        )
    )
    groups = list(
        StudentGroup.objects.filter(
            Q(pk__in={r.group_id for r in district_wide}) | Q(pk__in={r[2] for r in rows})
        ).order_by("order", "pk")
    )
    dates = sorted({r.observed_on for r in district_wide})
    by_key = {(r.group_id, r.observed_on): r for r in district_wide}
    series = [
        (
            group,
            [
                _cell(by_key.get((group.pk, day)), smallest=smallest, sees_small=sees_small)
                for day in dates
            ],
        )
        for group in groups
        if any((group.pk, day) in by_key for day in dates)
    ]
    by_campus = {}
    for campus_id, name, group_id, value, students in rows:
        cells = by_campus.setdefault(campus_id, (name, {}))[1]
        cells[group_id] = _Row(value=value, students=students)
    campuses = [
        (
            {"pk": campus_id, "name": name},
            [
                _cell(cells.get(group.pk), smallest=smallest, sees_small=sees_small)
                for group in groups
            ],
        )
        for campus_id, (name, cells) in sorted(by_campus.items(), key=lambda i: i[1][0].lower())
    ]
    return {
        "groups": groups,
        "dates": dates,
        "series": series,
        "latest": latest,
        "campuses": campuses,
        "smallest": smallest,
        "sees_small": sees_small,
        "series_chart": series_chart(
            measure=measure,
            dates=dates,
            series=series,
            smallest=smallest,
            chart_id="results-groups",
        ),
        "campus_chart": _campus_chart(
            measure=measure,
            groups=groups,
            campuses=campuses,
            series=series,
            dates=dates,
            latest=latest,
            smallest=smallest,
        ),
    }


def _masked_note(cells, smallest):
    if any(cell is not None and cell.masked for cell in cells):
        return gettext("Results for fewer than %(smallest)s students are not shown.") % {
            "smallest": smallest
        }
    return ""


def _shown(cell):
    return None if cell is None or cell.masked else cell.value


def series_chart(*, measure, dates, series, smallest, chart_id, width=440, palette=()):
    """The chart of a measure's district-wide results, one line per student group, drawn from
    the cells the reader sees (a masked cell has no value to draw)."""
    return group_series_chart(
        title=gettext("%(measure)s by student group, district-wide") % {"measure": measure.name},
        dates=dates,
        series=[(group.name, [_shown(cell) for cell in cells]) for group, cells in series],
        unit=measure.unit,
        target=measure.target,
        note=_masked_note([cell for _group, cells in series for cell in cells], smallest),
        chart_id=chart_id,
        width=width,
        palette=palette,
    )


def _campus_chart(*, measure, groups, campuses, series, dates, latest, smallest):
    """Every campus's result for the first group (All students, unless the district ordered its
    groups otherwise) on the latest date, with the district's for that group and the target."""
    index, group = next(
        ((i, g) for i, g in enumerate(groups) if any(cells[i] for _c, cells in campuses)),
        (None, None),
    )
    if group is None:
        return ""
    return _campus_strip(
        measure=measure,
        group=group,
        cells=[(campus["name"], cells[index]) for campus, cells in campuses],
        district=_district_value(series, dates, group, latest),
        day=latest,
        smallest=smallest,
        chart_id="results-campuses",
    )


def _district_value(series, dates, group, day):
    """The district-wide value the reader sees for `group` on `day`, or None."""
    for series_group, cells in series:
        if series_group.pk == group.pk and day in dates:
            return _shown(cells[dates.index(day)])
    return None


def _campus_strip(
    *, measure, group, cells, district, day, smallest, chart_id, width=440, palette=()
):
    """The strip chart of the campuses' results for one group: `cells` are (campus name,
    ResultCell) pairs, of which only the values the reader sees are drawn."""
    return campus_spread_chart(
        title=gettext("%(measure)s, %(group)s, by campus, %(day)s")
        % {"measure": measure.name, "group": group.name, "day": year_label(day)},
        values=[(name, cell.value) for name, cell in cells if _shown(cell) is not None],
        district=district,
        target=measure.target,
        up=measure.direction == Measure.Direction.UP,
        unit=measure.unit,
        note=_masked_note([cell for _name, cell in cells], smallest),
        chart_id=chart_id,
        width=width,
        palette=palette,
    )


@dataclass(frozen=True)
class _Row:
    value: object
    students: object


def campus_results(*, campus, membership):
    """Each measure with results at `campus`, on the latest date it has, by student group beside
    the district's result for the same group and date: the campus page's results, in one query
    whatever their number."""
    sees_small = can(membership, Capability.EDIT_PLAN)
    smallest = campus.district.smallest_group_shown
    results = (
        MeasureResult.objects.filter(Q(campus=campus) | Q(campus__isnull=True))
        .filter(district_id=campus.district_id)
        .select_related("group", "measure")
        .order_by("measure__order", "measure_id", "group__order", "group_id")
    )
    latest, by_key = {}, {}
    for r in results:
        by_key[(r.measure_id, r.campus_id, r.group_id, r.observed_on)] = r
        if r.campus_id is not None and r.observed_on > latest.get(r.measure_id, date.min):
            latest[r.measure_id] = r.observed_on
    rows = defaultdict(list)
    measures = {}
    for (measure_id, campus_id, group_id, day), r in by_key.items():
        if campus_id is None or day != latest.get(measure_id):
            continue
        measures[measure_id] = r.measure
        district_result = by_key.get((measure_id, None, group_id, day))
        rows[measure_id].append(
            (
                r.group,
                _cell(r, smallest=smallest, sees_small=sees_small),
                _cell(district_result, smallest=smallest, sees_small=sees_small),
            )
        )
    return [
        {
            "measure": measures[pk],
            "observed_on": latest[pk],
            "rows": rows[pk],
            "chart": paired_bar_chart(
                title=gettext("%(measure)s at %(campus)s and district-wide, %(day)s")
                % {
                    "measure": measures[pk].name,
                    "campus": campus.name,
                    "day": year_label(latest[pk]),
                },
                rows=[(group.name, _shown(cell), _shown(other)) for group, cell, other in rows[pk]],
                names=(campus.name, gettext("District")),
                unit=measures[pk].unit,
                note=_masked_note([c for _g, *pair in rows[pk] for c in pair], smallest),
                chart_id=f"campus-results-{pk}",
            ),
        }
        for pk in sorted(measures, key=lambda pk: (measures[pk].order, pk))
    ]


def result_column_options(*, district, plan):
    """What the preview of a wide results file offers for each column: the district's measures
    and the student groups by name (its own, those it starts with, those the file adds)."""
    names = {heading_key(g.name): g.name for g in StudentGroup.objects.filter(district=district)}
    for name in (*DEFAULT_STUDENT_GROUPS, *plan.new_groups):
        names.setdefault(heading_key(name), name)
    return {
        "measures": list(Measure.objects.filter(district=district).order_by("name", "pk")),
        "group_names": list(names.values()),
    }


def campus_enrollment(*, campus, membership):
    """A campus's students by group in the latest school year the state counted them, each
    with its share of all the campus's students, in one query; None when none were counted.
    A group under the district's smallest size is masked as its results are."""
    sees_small = can(membership, Capability.EDIT_PLAN)
    smallest = campus.district.smallest_group_shown
    counts = list(
        GroupEnrollment.objects.filter(campus=campus, district_id=campus.district_id)
        .filter(
            school_year=Subquery(
                GroupEnrollment.objects.filter(campus=campus)
                .order_by("-school_year")
                .values("school_year")[:1]
            )
        )
        .select_related("group")
        .order_by("group__order", "group_id")
    )
    if not counts:
        return None
    everyone = next((e.students for e in counts if heading_key(e.group.name) == ALL_STUDENTS), None)
    rows = []
    for entry in counts:
        small = entry.students < smallest
        masked = small and not sees_small
        share = None
        if everyone and not masked:
            share = round(entry.students * 100 / everyone)
        rows.append(
            (
                entry.group,
                ResultCell(value=None if masked else entry.students, masked=masked, small=small),
                share,
            )
        )
    school_year = counts[0].school_year
    return {
        "school_year": f"{school_year}–{(school_year + 1) % 100:02d}",
        "rows": rows,
        "has_total": everyone is not None,
    }


# Campus plans

# An objective's honest status: no measure or no result yet, reached, better than its baseline,
# or not.
OBJECTIVE_STATUSES = {
    "no_data": _("No data yet"),
    "met": _("Target met"),
    "moving": _("Moving"),
    "not_moving": _("Not moving"),
}


@dataclass(frozen=True)
class ObjectiveStanding:
    status: str
    value: object
    observed_on: object
    masked: bool

    @property
    def label(self):
        return OBJECTIVE_STATUSES[self.status]


def objective_standing(objective, result, *, smallest, sees_small):
    """Where a performance objective stands by its measure's latest result for all students at
    the campus (`result`, or None)."""
    if objective.measure_id is None or result is None:
        return ObjectiveStanding("no_data", None, None, False)
    cell = _cell(result, smallest=smallest, sees_small=sees_small)
    up = objective.measure.direction == Measure.Direction.UP
    value = result.value

    def better(a, b):
        return a >= b if up else a <= b

    if objective.target is not None and better(value, objective.target):
        status = "met"
    elif objective.baseline is not None and value != objective.baseline:
        status = "moving" if better(value, objective.baseline) else "not_moving"
    else:
        status = "not_moving" if objective.baseline is not None else "no_data"
    return ObjectiveStanding(status, cell.value, result.observed_on, cell.masked)


def all_students_group_id(district_id):
    """The group that counts every student: named so by default, else the district's first."""
    groups = list(StudentGroup.objects.filter(district_id=district_id).values_list("pk", "name"))
    named = [pk for pk, name in groups if name.casefold() == "all students"]
    return named[0] if named else (groups[0][0] if groups else None)


def _latest_campus_results(*, campus_ids, measure_ids, group_id):
    """(campus id, measure id) -> the latest result for the group, in one query."""
    if not measure_ids or group_id is None:
        return {}
    # Oldest first, so each key keeps its latest (a few years a campus: no DISTINCT ON, which
    # SQLite, `make run`'s database, lacks).
    results = MeasureResult.objects.filter(
        campus_id__in=campus_ids, measure_id__in=measure_ids, group_id=group_id
    ).order_by("observed_on")
    return {(r.campus_id, r.measure_id): r for r in results}


def campus_plans_of(campus):
    """A campus's plans, newest first."""
    return list(CampusPlan.objects.filter(campus=campus).order_by("-start_year"))


def current_campus_plan(plans):
    """The plan a campus works to: its newest approved one, else its newest draft."""
    live = [p for p in plans if p.status != CampusPlan.Status.ARCHIVED]
    approved = [p for p in live if p.status == CampusPlan.Status.APPROVED]
    return (approved or live or [None])[0]


def campus_plan_goals(*, campus_plan, membership):
    """The campus plan's goals with their objectives and where each stands (`standing`), and
    the objectives counted by standing; four queries."""
    sees_small = can(membership, Capability.EDIT_PLAN)
    smallest = campus_plan.district.smallest_group_shown
    goals = list(
        CampusGoal.objects.filter(campus_plan=campus_plan)
        .select_related("district_goal")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=PerformanceObjective.objects.select_related("measure").order_by(
                    "order", "pk"
                ),
            )
        )
        .order_by("order", "pk")
    )
    objectives = [o for g in goals for o in g.objectives.all()]
    measure_ids = {o.measure_id for o in objectives if o.measure_id}
    latest = _latest_campus_results(
        campus_ids=[campus_plan.campus_id],
        measure_ids=measure_ids,
        group_id=all_students_group_id(campus_plan.district_id) if measure_ids else None,
    )
    for objective in objectives:
        objective.standing = objective_standing(
            objective,
            latest.get((campus_plan.campus_id, objective.measure_id)),
            smallest=smallest,
            sees_small=sees_small,
        )
    return goals, _standing_counts(objectives)


def campus_plan_page(*, campus_plan, membership):
    """Everything a campus plan's page shows, in a fixed number of queries: its goals with
    their objectives and where each stands, the theories it takes up with the campus's
    strategies under each, and its own strategies."""
    goals, counts = campus_plan_goals(campus_plan=campus_plan, membership=membership)
    theories = list(campus_plan.theories.select_related("strand").order_by("strand__order", "pk"))
    strategies = list(
        CampusStrategy.objects.filter(campus_plan=campus_plan).order_by("order", "pk")
    )
    under = defaultdict(list)
    for strategy in strategies:
        under[strategy.theory_id].append(strategy)
    for theory in theories:
        theory.strategies_here = under.pop(theory.pk, [])
    # A strategy under a theory the plan no longer takes up stays listed with the campus's own.
    own = [s for key, items in under.items() for s in items]
    own.sort(key=lambda s: (s.order, s.pk))
    snapshot = (
        CampusPlanSnapshot.objects.filter(campus_plan=campus_plan)
        .only("pk", "approved_on", "campus_plan_id")
        .first()
    )
    return {
        "goals": goals,
        "theories": theories,
        "own_strategies": own,
        "strategy_count": len(strategies),
        "snapshot": snapshot,
        "objective_counts": counts,
    }


def _standing_counts(objectives):
    counts = dict.fromkeys(OBJECTIVE_STATUSES, 0)
    for objective in objectives:
        counts[objective.standing.status] += 1
    return [(OBJECTIVE_STATUSES[key], key, n) for key, n in counts.items() if n]


def campus_plan_list(*, district, status=None):
    """The district's campus plans for the cabinet's list: each with its campus and how many
    goals, objectives and strategies it has, in one query."""
    plans = (
        CampusPlan.objects.filter(district=district)
        .select_related("campus")
        .annotate(
            goal_count=count_of(CampusGoal.objects.filter(campus_plan=OuterRef("pk"))),
            strategy_count=count_of(CampusStrategy.objects.filter(campus_plan=OuterRef("pk"))),
        )
        .order_by("campus__name", "-start_year")
    )
    if status:
        plans = plans.filter(status=status)
    return plans


def goal_uptake(*, goals):
    """For each district goal (by id): how many live campus plans take it up, and where their
    objectives measured at the campus stand, counted by status. Two queries."""
    goal_ids = [g.pk for g in goals]
    objectives = list(
        PerformanceObjective.objects.filter(
            campus_goal__district_goal_id__in=goal_ids,
            campus_goal__campus_plan__status__in=[
                CampusPlan.Status.DRAFT,
                CampusPlan.Status.APPROVED,
            ],
        ).select_related("measure", "campus_goal__campus_plan")
    )
    plans = defaultdict(set)
    for goal_id, plan_id in CampusGoal.objects.filter(
        district_goal_id__in=goal_ids,
        campus_plan__status__in=[CampusPlan.Status.DRAFT, CampusPlan.Status.APPROVED],
    ).values_list("district_goal_id", "campus_plan_id"):
        plans[goal_id].add(plan_id)
    if not plans:
        return {}
    district_id = goals[0].district_id
    latest = _latest_campus_results(
        campus_ids={o.campus_goal.campus_plan.campus_id for o in objectives},
        measure_ids={o.measure_id for o in objectives if o.measure_id},
        group_id=all_students_group_id(district_id),
    )
    counts = defaultdict(lambda: dict.fromkeys(OBJECTIVE_STATUSES, 0))
    for o in objectives:
        result = latest.get((o.campus_goal.campus_plan.campus_id, o.measure_id))
        # Only the status is counted, never a value: masking does not apply.
        standing = objective_standing(o, result, smallest=0, sees_small=True)
        counts[o.campus_goal.district_goal_id][standing.status] += 1
    return {
        goal_id: {
            "plans": len(plan_ids),
            "standings": [
                (OBJECTIVE_STATUSES[key], key, n) for key, n in counts[goal_id].items() if n
            ],
        }
        for goal_id, plan_ids in plans.items()
    }


def campus_plan_history(campus_plan):
    """Changes to the campus plan and everything under it, deleted parts included."""
    goal_ids = events_of(CampusGoal).filter(campus_plan_id=campus_plan.pk).values("pgh_obj_id")
    return history(
        [
            record_events(campus_plan),
            events_of(CampusPlanTheory).filter(campus_plan_id=campus_plan.pk),
            events_of(CampusGoal).filter(campus_plan_id=campus_plan.pk),
            events_of(PerformanceObjective).filter(campus_goal_id__in=goal_ids),
            events_of(CampusStrategy).filter(campus_plan_id=campus_plan.pk),
            events_of(CampusPlanSnapshot).filter(campus_plan_id=campus_plan.pk),
        ]
    )


def campus_plan_summaries(*, district, membership=None):
    """Each campus's current plan (newest approved, else newest draft) with its goals, their
    objectives and where each stands, and its strategies counted by status: a board summary's
    campus pages, in six queries whatever the number of campuses. Small groups are masked
    unless `membership` sees them (a PDF has no reader: it masks)."""
    sees_small = can(membership, Capability.EDIT_PLAN)
    smallest = district.smallest_group_shown
    live = (
        CampusPlan.objects.filter(district=district)
        .exclude(status=CampusPlan.Status.ARCHIVED)
        .select_related("campus")
        .order_by("campus__name", "campus_id", "-start_year")
    )
    by_campus = defaultdict(list)
    for plan in live:
        by_campus[plan.campus_id].append(plan)
    plans = [current_campus_plan(items) for items in by_campus.values()]
    goals = defaultdict(list)
    for goal in (
        CampusGoal.objects.filter(campus_plan__in=plans)
        .select_related("district_goal")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=PerformanceObjective.objects.select_related("measure").order_by(
                    "order", "pk"
                ),
            )
        )
        .order_by("order", "pk")
    ):
        goals[goal.campus_plan_id].append(goal)
    objectives = [(p, o) for p in plans for g in goals[p.pk] for o in g.objectives.all()]
    measure_ids = {o.measure_id for _, o in objectives if o.measure_id}
    latest = _latest_campus_results(
        campus_ids={p.campus_id for p in plans},
        measure_ids=measure_ids,
        group_id=all_students_group_id(district.pk) if measure_ids else None,
    )
    for plan, objective in objectives:
        objective.standing = objective_standing(
            objective,
            latest.get((plan.campus_id, objective.measure_id)),
            smallest=smallest,
            sees_small=sees_small,
        )
    statuses = defaultdict(dict)
    for plan_id, status, count in (
        CampusStrategy.objects.filter(campus_plan__in=plans)
        .values_list("campus_plan_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        statuses[plan_id][status] = count
    return [
        {
            "plan": plan,
            "goals": goals[plan.pk],
            "objective_counts": _standing_counts(
                [o for g in goals[plan.pk] for o in g.objectives.all()]
            ),
            "strategies": [
                (label, statuses[plan.pk].get(value, 0))
                for value, label in CampusStrategy.Status.choices
            ],
        }
        for plan in plans
    ]


@dataclass(frozen=True)
class GroupSpread:
    """A student group's results across campuses on one date, as anyone beyond the cabinet
    sees them: the Spread of the values shown (None when none is), how many campuses meet the
    target among them, and how many campuses' results are masked."""

    group: StudentGroup
    spread: object
    meeting: int
    masked: int


def results_beyond_cabinet(*, district, measures, campuses=True, chart_width=440, palette=()):
    """Each measure's results as the board and the public see them, small groups masked
    whoever reads (the board summary and the public page go beyond the cabinet), keyed by
    measure id: the district-wide series by student group with its chart and, with `campuses`,
    each group's spread across campuses on the latest date any campus has, with the chart of
    the first group's campuses. One query, three with `campuses`, whatever the number of
    measures and campuses."""
    smallest = district.smallest_group_shown
    ids = [measure.pk for measure in measures]
    if not ids:
        return {}
    district_wide = defaultdict(list)
    for result in (
        MeasureResult.objects.filter(measure_id__in=ids, campus__isnull=True)
        .select_related("group")
        .order_by("observed_on", "group__order", "group_id")
    ):
        district_wide[result.measure_id].append(result)
    at_campuses = defaultdict(list)
    latest = {}
    if campuses:
        # Each measure's newest date first, then its rows: a subquery per row would read every
        # campus's results again for each of a large district's thousands of rows.
        latest = dict(
            MeasureResult.objects.filter(measure_id__in=ids, campus__isnull=False)
            .values("measure_id")
            .annotate(latest=Max("observed_on"))
            .values_list("measure_id", "latest")
        )
    if latest:
        for row in (
            MeasureResult.objects.filter(campus__isnull=False)
            .filter(reduce(or_, (Q(measure_id=m, observed_on=d) for m, d in latest.items())))
            .values_list(
                "measure_id",
                "campus__name",
                "group_id",
                "value",
                "students",
                "observed_on",
                "group__name",
                "group__order",
            )
        ):
            at_campuses[row[0]].append(row)
    # The groups come with the rows, so the public page asks one question for its results.
    groups = {r.group_id: r.group for rows in district_wide.values() for r in rows}
    for rows in at_campuses.values():
        for row in rows:
            groups.setdefault(row[2], StudentGroup(pk=row[2], name=row[6], order=row[7]))
    groups = sorted(groups.values(), key=lambda group: (group.order, group.pk))
    found = {}
    for measure in measures:
        rows, campus_rows = district_wide[measure.pk], at_campuses[measure.pk]
        if not rows and not campus_rows:
            continue
        dates = sorted({r.observed_on for r in rows})
        by_key = {(r.group_id, r.observed_on): r for r in rows}
        series = [
            (
                group,
                [
                    _cell(by_key.get((group.pk, d)), smallest=smallest, sees_small=False)
                    for d in dates
                ],
            )
            for group in groups
            if any((group.pk, d) in by_key for d in dates)
        ]
        found[measure.pk] = {
            "dates": dates,
            "series": series,
            "series_chart": series_chart(
                measure=measure,
                dates=dates,
                series=series,
                smallest=smallest,
                chart_id=f"results-groups-{measure.pk}",
                width=chart_width,
                palette=palette,
            ),
            **_campus_spreads(
                measure, groups, campus_rows, series, dates, smallest, chart_width, palette
            ),
        }
    return found


def _campus_spreads(measure, groups, rows, series, dates, smallest, chart_width, palette=()):
    if not rows:
        return {"latest": None, "spreads": [], "campus_chart": ""}
    latest = rows[0][5]
    up = measure.direction == Measure.Direction.UP
    cells = defaultdict(list)
    for _measure, name, group_id, value, students, *_rest in rows:
        cells[group_id].append(
            (name, _cell(_Row(value=value, students=students), smallest=smallest, sees_small=False))
        )
    spreads = []
    for group in groups:
        if group.pk not in cells:
            continue
        shown = [cell.value for _name, cell in cells[group.pk] if not cell.masked]
        spreads.append(
            GroupSpread(
                group=group,
                spread=spread_of(shown),
                meeting=sum(
                    1 for v in shown if (v >= measure.target if up else v <= measure.target)
                ),
                masked=sum(1 for _name, cell in cells[group.pk] if cell.masked),
            )
        )
    chart = ""
    if spreads:
        first = spreads[0].group
        chart = _campus_strip(
            measure=measure,
            group=first,
            cells=cells[first.pk],
            district=_district_value(series, dates, first, latest),
            day=latest,
            smallest=smallest,
            chart_id=f"results-campuses-{measure.pk}",
            width=chart_width,
            palette=palette,
        )
    return {"latest": latest, "spreads": spreads, "campus_chart": chart}


# The group whose count is a campus's whole roll, and whose results the comparisons show, as
# the district names it (result_csv.ALL_STUDENTS is its heading key).
ALL_STUDENTS_GROUP = DEFAULT_STUDENT_GROUPS[0]


def alike_campuses(*, campus, limit, among=None):
    """The `limit` campuses of `campus`'s district most like it (likeness.most_alike: level,
    enrollment, each group's share of All students in its latest year of group counts), as
    dicts of pk, name, level (its label) and enrollment; `among` (ids, or a query of them)
    narrows the candidates. Two queries whatever the district's size."""
    district_id = campus.district_id
    candidates = Campus.objects.filter(district_id=district_id)
    if among is not None:
        candidates = candidates.filter(Q(pk__in=among) | Q(pk=campus.pk))
    campuses = {
        pk: {"pk": pk, "name": name, "level": level, "enrollment": enrollment}
        for pk, name, level, enrollment in candidates.order_by().values_list(
            "pk", "name", "level", "enrollment"
        )
    }
    # Each campus's latest year by a window over the district's counts: a subquery per row
    # took twice as long on the large demo.
    latest_year = Window(Max("school_year"), partition_by=[F("campus_id")])
    counts, total_group = defaultdict(dict), None
    rows = (
        GroupEnrollment.objects.filter(district_id=district_id)
        .annotate(latest_year=latest_year)
        .filter(school_year=F("latest_year"))
        .order_by()
        .values_list("campus_id", "group_id", "group__name", "students")
    )
    for campus_id, group_id, group_name, students in rows:
        counts[campus_id][group_id] = students
        if heading_key(group_name) == ALL_STUDENTS:
            total_group = group_id

    def profile(pk):
        known = campuses[pk]["enrollment"]
        return Profile(
            pk=pk,
            level=campuses[pk]["level"],
            enrollment=known if known is not None else counts[pk].get(total_group),
            shares=shares_of(counts[pk], total_group=total_group, enrollment=known),
        )

    alike = most_alike(profile(campus.pk), [profile(pk) for pk in campuses], limit=limit)
    labels = dict(Campus.Level.choices)
    return [campuses[p.pk] | {"level": labels.get(p.level, p.level)} for p in alike]


@dataclass(frozen=True)
class ComparedCell:
    """A campus's latest All students result for a measure, and whether it is better than the
    campus it is compared with (never said of a masked result, nor against one)."""

    cell: ResultCell
    observed_on: date
    better: bool


def comparable_campuses(*, campus, membership, limit=5, goal_measures=True):
    """`campus` beside the campuses most like it (alike_campuses), each with its latest All
    students result of every measure that has one at any of them (only the goals' measures
    when `goal_measures`), the results better than this campus's marked by each measure's
    direction. Three queries whatever the district's size."""
    sees_small = can(membership, Capability.EDIT_PLAN)
    smallest = campus.district.smallest_group_shown
    alike = alike_campuses(campus=campus, limit=limit)
    results = MeasureResult.objects.filter(
        district_id=campus.district_id,
        campus_id__in=[campus.pk, *(c["pk"] for c in alike)],
        group__name__iexact=ALL_STUDENTS_GROUP,
    )
    if goal_measures:
        results = results.filter(measure__goal__isnull=False)
    latest, measures = {}, {}
    for r in results.select_related("measure").order_by("observed_on"):
        latest[(r.measure_id, r.campus_id)] = r
        measures[r.measure_id] = r.measure
    measures = sorted(measures.values(), key=lambda m: (m.order, m.pk))

    def cells(campus_id):
        row = []
        for measure in measures:
            result = latest.get((measure.pk, campus_id))
            if result is None:
                row.append(None)
                continue
            cell = _cell(result, smallest=smallest, sees_small=sees_small)
            own = latest.get((measure.pk, campus.pk))
            own_cell = _cell(own, smallest=smallest, sees_small=sees_small)
            better = (
                campus_id != campus.pk
                and own_cell is not None
                and not (cell.masked or own_cell.masked)
                and (
                    result.value > own.value
                    if measure.direction == Measure.Direction.UP
                    else result.value < own.value
                )
            )
            row.append(ComparedCell(cell=cell, observed_on=result.observed_on, better=better))
        return row

    labels = dict(Campus.Level.choices)
    this = {
        "pk": campus.pk,
        "name": campus.name,
        "level": labels.get(campus.level, campus.level),
        "enrollment": campus.enrollment,
    }
    rows = []
    for item in [this, *alike]:
        row = cells(item["pk"])
        rows.append(
            item
            | {
                "this": item is this,
                "cells": row,
                "better": sum(1 for c in row if c is not None and c.better),
            }
        )
    return {"campus": campus, "measures": measures, "rows": rows, "smallest": smallest}


def measures_with_campus_results(*, district):
    """The district's measures that have a result at any campus, as (pk, name), in the plan's
    order: those the campus list can show a column of."""
    at_a_campus = MeasureResult.objects.filter(measure=OuterRef("pk"), campus__isnull=False)
    return list(
        Measure.objects.filter(Exists(at_a_campus), district=district)
        .order_by("order", "pk")
        .values_list("pk", "name")
    )


def latest_result_expressions(*, measure_id, smallest, sees_small):
    """Each campus's latest All students result of a measure, as expressions of the campus
    list's query: (the value, empty when hidden from this reader; whether it is hidden, a small
    group to a reader outside the cabinet, or None when nothing is)."""
    latest = MeasureResult.objects.filter(
        measure_id=measure_id, campus=OuterRef("pk"), group__name__iexact=ALL_STUDENTS_GROUP
    ).order_by("-observed_on")
    value = Subquery(latest.values("value")[:1])
    if sees_small:
        return value, None
    small = LessThan(Subquery(latest.values("students")[:1]), smallest)
    return Case(When(small, then=None), default=value), small
