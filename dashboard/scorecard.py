"""The scorecard: each goal of a plan with its measures' trends, the theories serving it, their
actions' completion by owner and how fresh its data is, in a fixed number of queries."""

from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.charts import sparkline, trend_words
from core.models import Campus
from district_plan.models import Goal, Measure, MeasureResult
from district_plan.selectors import (
    all_students_group_id,
    attach_measures,
    freshness,
    measure_status,
)
from theories.models import Action, Strand, TheoryOfAction

GOAL_STATUSES = ("on_track", "behind", "needs_update", "no_data")

STATUS_LABELS = {
    "on_track": _("On track"),
    "behind": _("Behind"),
    "needs_update": _("Needs update"),
    "no_data": _("No data"),
}

# A goal that dozens of theories serve still fits a row, and the page a printed page or two.
THEORIES_NAMED = 5

STATUS_TONES = {"on_track": "ok", "behind": "bad", "needs_update": "warn", "no_data": "muted"}

# measure_status's tone for a measure short of where it should be by now.
_BEHIND_TONE = "bad"


def goal_status(measure_statuses):
    """A goal's status from its measures' (district_plan.selectors.MeasureStatus), honest
    first: a measure whose update cycle passed reads "needs update" even without any value
    (measure_status says so of the measure too), since what the goal lacks is a fresh number;
    with no measure, or none with a value, there is "no data"; one measure behind puts the
    goal behind; else it is on track (a target met counts as on track)."""
    statuses = list(measure_statuses)
    if not statuses:
        return "no_data"
    if any(status.needs_update for status in statuses):
        return "needs_update"
    if all(status.latest is None for status in statuses):
        return "no_data"
    if any(status.tone == _BEHIND_TONE for status in statuses):
        return "behind"
    return "on_track"


@dataclass
class Filters:
    strand: Strand | None = None
    owner: str = ""
    campus: Campus | None = None
    status: str = ""


@dataclass
class MeasureRow:
    measure: object
    status: object  # MeasureStatus
    latest: object  # the latest value (Decimal), or None
    target: object
    sparkline: str
    latest_on: object = None  # the latest value's date
    points: list = field(default_factory=list)  # [(date, value)] oldest first, no baseline
    words: str = ""  # the trend in words (core.charts.trend_words)


@dataclass
class GoalRow:
    goal: object
    status: str
    status_label: str
    tone: str
    measures: list
    theories: list
    owners: list
    freshness: dict

    @property
    def theories_shown(self):
        """The first theories, named in the row; the theories page lists them all."""
        return self.theories[:THEORIES_NAMED]

    @property
    def more_theories(self):
        return max(0, len(self.theories) - THEORIES_NAMED)


@dataclass
class Scorecard:
    plan: object
    rows: list
    counts: dict
    freshness: dict
    options: dict
    campus: Campus | None = None

    @property
    def count_list(self):
        """(key, label, tone, how many goals) for each status, in GOAL_STATUSES order."""
        return [
            (key, STATUS_LABELS[key], STATUS_TONES[key], self.counts[key]) for key in GOAL_STATUSES
        ]


class _Point:
    """A campus result read as a measure value, for measure_status."""

    def __init__(self, observed_on, value):
        self.observed_on, self.value = observed_on, value


def _owner_key(owner):
    return " ".join(owner.split()).casefold()


def _owners(actions):
    """The actions' completion grouped by their owner's words (spelling and spacing aside)."""
    grouped = {}
    for action in actions:
        key = _owner_key(action.owner)
        entry = grouped.setdefault(
            key,
            {"owner": " ".join(action.owner.split()) or gettext("No owner"), "done": 0, "total": 0},
        )
        entry["total"] += 1
        entry["done"] += action.status == Action.Status.DONE
    owners = sorted(
        grouped.values(), key=lambda entry: (-entry["total"], entry["owner"].casefold())
    )
    for entry in owners:
        entry["percent"] = round(100 * entry["done"] / entry["total"])
    return owners


def _campus_points(*, district, campus, measure_ids, sees_small):
    """{measure id: [(date, value)]}: the campus's All students results, oldest first, but for
    those hidden from this reader (a group too small to show beyond the cabinet)."""
    group_id = all_students_group_id(district.pk)
    if group_id is None or not measure_ids:
        return {}
    points = defaultdict(list)
    results = MeasureResult.objects.filter(
        campus=campus, measure_id__in=measure_ids, group_id=group_id
    ).order_by("observed_on")
    smallest = district.smallest_group_shown
    for result in results:
        if not result.masked_for(smallest=smallest, sees_small=sees_small):
            points[result.measure_id].append((result.observed_on, result.value))
    return points


THEORY_FIELDS = (
    "pk",
    "strand_id",
    "strand__name",
    "strand__order",
    "short_name",
    "if_clause",
    "owner",
    "status",
    "progress",
    "order",
)


def _theories_by_goal(goals):
    """{goal id: [theory]} for the theories serving the goals, each with its strand and its
    actions (`action_list`: owner, status and due date), in three queries."""
    through = TheoryOfAction.goals.through
    links = list(
        through.objects.filter(goal_id__in=[goal.pk for goal in goals]).values_list(
            "goal_id", "theoryofaction_id"
        )
    )
    # Only what the rows show: a large plan has hundreds of theories serving its goals.
    theories = {
        theory.pk: theory
        for theory in TheoryOfAction.objects.filter(pk__in={pk for _goal, pk in links})
        .select_related("strand")
        .only(*THEORY_FIELDS)
    }
    actions = Action.objects.filter(theory_id__in=list(theories)).values_list(
        "theory_id", "owner", "status", "due_date", named=True
    )
    for theory in theories.values():
        theory.action_list = []
    for action in actions:
        theories[action.theory_id].action_list.append(action)
    by_goal = defaultdict(list)
    for goal_id, theory_id in links:
        by_goal[goal_id].append(theories[theory_id])
    # The order the theories page lists them in.
    for serving in by_goal.values():
        serving.sort(key=lambda t: (t.strand.order, t.strand_id, t.order, t.pk))
    return by_goal, list(theories.values())


def _shown_theories(theories, filters):
    """The theories of a goal the filters keep: those in the strand; those the owner owns or
    owns an action of."""
    if filters.strand is not None:
        theories = [t for t in theories if t.strand_id == filters.strand.pk]
    if filters.owner:
        wanted = _owner_key(filters.owner)
        theories = [
            t
            for t in theories
            if _owner_key(t.owner) == wanted
            or any(_owner_key(a.owner) == wanted for a in t.action_list)
        ]
    return theories


def filter_options(*, district, plan):
    """The filter menus' choices, in five queries: the district's strands, the owners of the
    theories serving the plan's goals and of their actions, the campuses with a result of one
    of the plan's measures (none: no campus menu) and the statuses."""
    serving = TheoryOfAction.objects.filter(goals__plan=plan)
    owners = {}
    named = [
        *serving.order_by().values_list("owner", flat=True).distinct(),
        *Action.objects.filter(theory__in=serving.values("pk"))
        .order_by()
        .values_list("owner", flat=True)
        .distinct(),
    ]
    # The query's order is the database's whim; sorted, the capitalised spelling of a name is
    # the one the menu shows, every time.
    for owner in sorted(named):
        if owner.strip():
            owners.setdefault(_owner_key(owner), " ".join(owner.split()))
    # The measures' ids first: each campus is then a few probes of the results' index, where
    # joining the measures and goals read a large district's results whole.
    measure_ids = list(Measure.objects.filter(goal__plan=plan).values_list("pk", flat=True))
    with_results = MeasureResult.objects.filter(campus=OuterRef("pk"), measure_id__in=measure_ids)
    return {
        "strands": list(Strand.objects.filter(district=district).order_by("order", "pk")),
        "owners": sorted(owners.values(), key=str.casefold),
        "campuses": list(
            Campus.objects.filter(Exists(with_results), district=district)
            .order_by("name", "pk")
            .only("pk", "name")
        ),
        "statuses": [(key, STATUS_LABELS[key]) for key in GOAL_STATUSES],
    }


def scorecard(
    *,
    district,
    plan,
    today,
    filters=None,
    chart=True,
    language=None,
    sees_small=True,
    options=None,
):
    """The plan's scorecard: a GoalRow a goal the filters keep, the counts of their statuses,
    the plan's data freshness (its goals' measures and the actions of the theories serving
    them) and the filter menus' choices, in a dozen queries whatever the plan's size.

    With a campus, each measure reads the campus's All students results (those hidden from a
    reader who does not see small groups left out: `sees_small`); a measure without any reads
    "No data". Freshness stays the district's: it tells whether the plan's own numbers are
    kept up to date. `options`: filter_options already read (a page validating its filters
    against them; {} for a page without menus), else read here."""
    filters = filters or Filters()
    with translation.override(language) if language else nullcontext():
        return _scorecard(
            district=district,
            plan=plan,
            today=today,
            filters=filters,
            chart=chart,
            sees_small=sees_small,
            options=options,
        )


def _scorecard(*, district, plan, today, filters, chart, sees_small, options):
    goals = list(Goal.objects.filter(plan=plan).order_by("order", "pk"))
    statuses = attach_measures(district=district.pk, goals=goals, theories=(), today=today)
    by_goal, theories = _theories_by_goal(goals)
    campus_points = None
    if filters.campus is not None:
        campus_points = _campus_points(
            district=district,
            campus=filters.campus,
            measure_ids=list(statuses),
            sees_small=sees_small,
        )
    plan_actions = [action for theory in theories for action in theory.action_list]
    rows = []
    for goal in goals:
        serving = by_goal.get(goal.pk, [])
        shown = _shown_theories(serving, filters)
        if (filters.strand is not None or filters.owner) and not shown:
            continue
        measures = [
            _measure_row(m, statuses[m.pk], campus_points, today, chart) for m in goal.measure_list
        ]
        status = goal_status(row.status for row in measures)
        if filters.status and status != filters.status:
            continue
        actions = [action for theory in shown for action in theory.action_list]
        rows.append(
            GoalRow(
                goal=goal,
                status=status,
                status_label=str(STATUS_LABELS[status]),
                tone=STATUS_TONES[status],
                measures=measures,
                theories=shown,
                owners=_owners(actions),
                freshness=freshness([statuses[m.pk] for m in goal.measure_list], actions, today),
            )
        )
    counts = dict.fromkeys(GOAL_STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    return Scorecard(
        plan=plan,
        rows=rows,
        counts=counts,
        freshness=freshness(list(statuses.values()), plan_actions, today),
        options=options if options is not None else filter_options(district=district, plan=plan),
        campus=filters.campus,
    )


def _measure_row(measure, status, campus_points, today, chart):
    if campus_points is None:
        values = list(measure.values.all())
        baseline = (measure.baseline_date, measure.baseline)
    else:
        # A campus's results start where the campus was, not at the district's baseline.
        values = [_Point(day, value) for day, value in campus_points.get(measure.pk, [])]
        baseline = None
        status = measure_status(measure, values, today)
        if not values:
            # The campus has no result of this measure: the district's baseline and update
            # cycle say nothing of it, so it reads "No data", never "needs update".
            status.needs_update = False
            status.label, status.tone = _("No data"), "muted"
    latest = values[-1] if values else None
    points = [(value.observed_on, value.value) for value in values]
    words = trend_words(
        points=points,
        target=measure.target,
        direction=measure.direction,
        unit=measure.unit,
        baseline=baseline,
    )
    line = ""
    if chart:
        line = sparkline(
            points=points,
            target=measure.target,
            direction=measure.direction,
            unit=measure.unit,
            title=measure.name,
            chart_id=f"spark-{measure.pk}",
            baseline=baseline,
        )
    return MeasureRow(
        measure=measure,
        status=status,
        latest=latest.value if latest else None,
        target=measure.target,
        sparkline=line,
        latest_on=latest.observed_on if latest else None,
        points=points,
        words=words,
    )
