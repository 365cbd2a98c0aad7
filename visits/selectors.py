import calendar
import datetime
import operator
from collections import Counter, defaultdict
from functools import reduce

from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from accounts.selectors import members_with_bindings
from core.numbers import whole_number
from core.roles import (
    bound_to_campuses,
    bound_to_departments,
    may_update_action_item,
    sees_every_private_note,
)
from core.selectors import count_of
from visits import hooks
from visits.models import ActionItem, LookFor, Observation, Visit, VisitProgram


def school_year_start(today):
    """July 1 of the school year `today` falls in."""
    return datetime.date(today.year if today.month >= 7 else today.year - 1, 7, 1)


def programs_for_district(district):
    return list(
        VisitProgram.objects.filter(district=district)
        .annotate(campus_count=Count("campuses", distinct=True))
        .order_by("-start_date")
    )


def calendar_month(*, district, year, month, today=None):
    """Weeks of the month (Monday first), each day with its visits."""
    today = today or timezone.localdate()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    visits = (
        Visit.objects.filter(district=district, date__gte=weeks[0][0], date__lte=weeks[-1][-1])
        .select_related("campus", "program")
        .order_by("date", "pk")
    )
    by_day = defaultdict(list)
    for visit in visits:
        by_day[visit.date].append(visit)
    return {
        "month": datetime.date(year, month, 1),
        "previous": (datetime.date(year, month, 1) - datetime.timedelta(days=1)).replace(day=1),
        "next": (datetime.date(year, month, 28) + datetime.timedelta(days=4)).replace(day=1),
        "weeks": [
            [
                {
                    "day": day,
                    "in_month": day.month == month,
                    "today": day == today,
                    "visits": by_day[day],
                }
                for day in week[:5]
            ]
            for week in weeks
        ],
        "visit_count": sum(1 for v in visits if v.date.month == month),
    }


def upcoming_visits(*, district, today=None, limit=6):
    today = today or timezone.localdate()
    return list(
        Visit.objects.filter(district=district, date__gte=today)
        .select_related("campus")
        .order_by("date", "pk")[:limit]
    )


def visible_observations(queryset, membership):
    """A private note is for the team of the visit it was written on (and whoever wrote it),
    and the district's admins; not for every member who may run visits elsewhere."""
    if sees_every_private_note(membership):
        return queryset
    on_the_team = Visit.team.through.objects.filter(
        visit_id=OuterRef("visit_id"), user_id=membership.user_id
    )
    return queryset.filter(
        Q(private=False) | Q(observer_id=membership.user_id) | Exists(on_the_team)
    )


def visit_page(*, visit, membership):
    observations = list(
        visible_observations(
            Observation.objects.filter(visit=visit)
            .select_related("observer")
            .order_by("created_at"),
            membership,
        )
    )
    # The look-fors seen, read even when there is no observation yet (a prefetch skips its
    # query then), so the page asks the same number of questions of every visit.
    seen = defaultdict(list)
    links = (
        Observation.look_fors.through.objects.filter(observation__visit=visit)
        .select_related("lookfor")
        .order_by("lookfor__order", "lookfor__pk")
    )
    for link in links:
        seen[link.observation_id].append(link.lookfor)
    for observation in observations:
        observation.look_for_list = seen[observation.pk]
    items = ActionItem.objects.select_related("campus", "department", "assignee").order_by(
        "due_date", "pk"
    )
    return {
        "visit": visit,
        "observations": observations,
        "action_items": list(items.filter(visit=visit)),
        "to_review": list(
            items.filter(campus_id=visit.campus_id, visit__date__lt=visit.date)
            .exclude(status=ActionItem.Status.DONE)
            .select_related("visit")
        ),
    }


def _shows(membership):
    """What each tab of the actions list lists; its count and its list both come from here."""
    return {
        "mine": _mine(membership),
        "open": ~Q(status=ActionItem.Status.DONE),
        "all": Q(),
    }


def actions_by_owner(*, district, membership, show="all", today=None):
    """The items a tab lists: open ones grouped by owner, and the done ones apart, each sorted
    by due date (undated last), with how many items every tab lists."""
    today = today or timezone.localdate()
    shows = _shows(membership)
    everything = ActionItem.objects.filter(district=district)
    tab_counts = everything.aggregate(
        **{name: Count("pk", filter=q) if q else Count("pk") for name, q in shows.items()}
    )
    items = (
        everything.filter(shows[show])
        .select_related("campus", "department", "assignee", "visit")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    groups, done = defaultdict(list), []
    for item in items:
        item.overdue = (
            item.status != ActionItem.Status.DONE
            and item.due_date is not None
            and item.due_date < today
        )
        if item.status == ActionItem.Status.DONE:
            done.append(item)
        else:
            groups[item.owner_label].append(item)
    ordered = sorted(groups.items(), key=lambda kv: (-sum(i.overdue for i in kv[1]), kv[0]))
    counts = Counter()
    for _, group in ordered:
        counts["open"] += len(group)
        counts["overdue"] += sum(item.overdue for item in group)
    return {
        "groups": ordered,
        "done": done,
        "items": [item for _, group in ordered for item in group] + done,
        "counts": counts,
        "tab_counts": tab_counts,
    }


def _owner(key):
    """The items of the owner group `key` names (ActionItem.owner_key: "campus-12" for that
    campus's leadership team, "department-4"), as a Q; None for a key that names no group."""
    kind, _, pk = str(key).partition("-")
    pk = whole_number(pk)
    if pk is None or kind not in ActionItem.Owner.values:
        return None
    if kind == ActionItem.Owner.CAMPUS:
        return Q(owner=kind, campus_id=pk)
    return Q(owner=kind, department_id=pk)


def action_groups(*, district, membership, show="all", today=None):
    """The owner groups a tab lists, each counted without reading its items: `key` (see
    _owner), `label`, and how many of its items are `open`, `overdue` and `done`; those with
    overdue items first, then those with open ones, each by name. With the tab's `counts`
    (open, overdue) and how many items every tab lists (`tab_counts`)."""
    today = today or timezone.localdate()
    shows = _shows(membership)
    everything = ActionItem.objects.filter(district=district)
    tab_counts = everything.aggregate(
        **{name: Count("pk", filter=q) if q else Count("pk") for name, q in shows.items()}
    )
    done = Q(status=ActionItem.Status.DONE)
    campus = Q(owner=ActionItem.Owner.CAMPUS)
    rows = (
        everything.filter(shows[show])
        .order_by()
        .values(
            "owner",
            "department_id",
            "department__name",
            campus_pk=Case(When(campus, then=F("campus_id"))),
            campus_name=Case(When(campus, then=F("campus__name"))),
        )
        .annotate(
            open=Count("pk", filter=~done),
            overdue=Count("pk", filter=~done & Q(due_date__lt=today)),
            done=Count("pk", filter=done),
        )
    )
    groups = []
    for row in rows:
        if row["owner"] == ActionItem.Owner.CAMPUS:
            key = f"campus-{row['campus_pk']}"
            label = gettext("%(campus)s leadership team") % {"campus": row["campus_name"]}
        else:
            key, label = f"department-{row['department_id']}", row["department__name"]
        groups.append(
            {"key": key, "label": label} | {n: row[n] for n in ("open", "overdue", "done")}
        )
    groups.sort(key=lambda g: (-g["overdue"], not g["open"], g["label"]))
    return {
        "groups": groups,
        "counts": {n: sum(g[n] for g in groups) for n in ("open", "overdue")},
        "tab_counts": tab_counts,
    }


def group_items(*, district, membership, show="all", keys=(), today=None):
    """The items of the owner groups `keys` name in a tab, read in one query: {key: (open
    items, done items)}, each sorted by due date (undated last), open items marked
    `overdue`."""
    today = today or timezone.localdate()
    owners = {key: q for key in keys if (q := _owner(key)) is not None}
    if not owners:
        return {}
    items = (
        ActionItem.objects.filter(district=district)
        .filter(_shows(membership)[show])
        .filter(reduce(operator.or_, owners.values()))
        .select_related("campus", "department", "assignee", "visit")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    found = {key: ([], []) for key in owners}
    for item in mark_overdue(items, today):
        found[item.owner_key][item.status == ActionItem.Status.DONE].append(item)
    return found


def attach_origins(*, district, items):
    """Gives each item no visit raised its `origin` (visits.hooks.Origin: the meeting it is a
    follow-up of), or None; in one question whatever the number of items."""
    unraised = [item.pk for item in items if item.visit_id is None]
    found = hooks.follow_up_origins.ask(district=district, item_ids=unraised) if unraised else {}
    for item in items:
        item.origin = found.get(item.pk)
    return items


def mark_overdue(items, today=None):
    """Marks each item `overdue`: not done, and its due date passed."""
    today = today or timezone.localdate()
    for item in items:
        item.overdue = (
            item.status != ActionItem.Status.DONE
            and item.due_date is not None
            and item.due_date < today
        )
    return items


def district_members(district):
    """The district's memberships, read once with what each is bound to, so the assignee rule
    can run over all of them for every item of a page without asking again."""
    return list(members_with_bindings(district=district))


def assignee_choices(*, members, item):
    """The people an item may be assigned to: the members who may update it."""
    return [m.user for m in members if may_update_action_item(m, item)]


def attach_assignee_choices(*, items, members):
    """Gives each item `assignee_choices` ((pk, name) of who may be assigned it) and, when its
    assignee is not among them, `assignee_kept`: "left" the district or "cannot" act on it.
    Items with the same owner share one list."""
    member_ids = {m.user_id for m in members}
    by_owner = {}
    for item in items:
        key = (item.owner, item.campus_id, item.department_id)
        if key not in by_owner:
            choices = [
                (u.pk, u.get_full_name()) for u in assignee_choices(members=members, item=item)
            ]
            by_owner[key] = (choices, {pk for pk, _ in choices})
        item.assignee_choices, offered = by_owner[key]
        item.assignee_kept = None
        if item.assignee_id and item.assignee_id not in offered:
            item.assignee_kept = "cannot" if item.assignee_id in member_ids else "left"


def new_item_assignee_choices(*, visit, members):
    """Before its owner is chosen, a new item of the visit may go to whoever may update it
    when owned by the campus or by any department; the save checks the owner chosen."""
    owners = [ActionItem(district_id=visit.district_id, campus_id=visit.campus_id, owner="campus")]
    # Only a department someone leads can widen the list; those are read with the members.
    led = set().union(*(m.bound_department_ids() for m in members))
    owners += [
        ActionItem(
            district_id=visit.district_id,
            campus_id=visit.campus_id,
            owner="department",
            department_id=pk,
        )
        for pk in sorted(led)
    ]
    return [m.user for m in members if any(may_update_action_item(m, item) for item in owners)]


def _mine(membership):
    if bound_to_campuses(membership):
        return Q(owner="campus", campus__in=membership.campuses.all())
    if bound_to_departments(membership):
        return Q(department__in=membership.departments.all())
    return Q(assignee_id=membership.user_id)


def trends(*, district, today=None):
    """Problems of practice and look-fors that recur across campuses, and by month."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    problem_rows = (
        Visit.problems.through.objects.filter(visit__district=district, visit__date__gte=since)
        .values("problemofpractice__name")
        .annotate(
            campuses=Count("visit__campus", distinct=True), visits=Count("visit", distinct=True)
        )
        .order_by("-campuses", "-visits", "problemofpractice__name")
    )
    look_for_rows = (
        Observation.look_fors.through.objects.filter(
            observation__visit__district=district, observation__visit__date__gte=since
        )
        .values("lookfor__text")
        .annotate(
            campuses=Count("observation__visit__campus", distinct=True),
            seen=Count("observation", distinct=True),
        )
        .order_by("-campuses", "-seen", "lookfor__text")
    )
    by_month = (
        Visit.problems.through.objects.filter(visit__district=district, visit__date__gte=since)
        .annotate(month=TruncMonth("visit__date"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    look_fors_by_month = (
        Observation.look_fors.through.objects.filter(
            observation__visit__district=district, observation__visit__date__gte=since
        )
        .annotate(month=TruncMonth("observation__visit__date"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    return {
        "look_fors_by_month": [(row["month"], row["count"]) for row in look_fors_by_month],
        "problems": list(problem_rows[:12]),
        "look_fors": list(look_for_rows[:12]),
        "problems_by_month": [(row["month"], row["count"]) for row in by_month],
        "since": since,
    }


def implementation_evidence(*, district, theory_ids=None):
    """For each theory, how many observations saw its expected practice (a look-for tied to
    its THEN was ticked) out of the observations made where such a look-for was on the list."""
    seen = (
        Observation.look_fors.through.objects.filter(
            lookfor__district=district, lookfor__theory__isnull=False
        )
        .values("lookfor__theory")
        .annotate(
            seen=Count("observation", distinct=True),
            campuses=Count("observation__visit__campus", distinct=True),
        )
    )
    possible = (
        LookFor.objects.filter(district=district, theory__isnull=False)
        .values("theory")
        .annotate(observations=Count("program__visits__observations", distinct=True))
    )
    if theory_ids is not None:
        seen = seen.filter(lookfor__theory__in=theory_ids)
        possible = possible.filter(theory__in=theory_ids)
    evidence = {
        row["theory"]: {"seen": 0, "campuses": 0, "observations": row["observations"]}
        for row in possible
    }
    for row in seen:
        entry = evidence.setdefault(row["lookfor__theory"], {"observations": 0})
        entry |= {"seen": row["seen"], "campuses": row["campuses"]}
    for entry in evidence.values():
        total = entry["observations"]
        entry["percent"] = round(100 * entry["seen"] / total) if total else None
    return evidence


def program_detail(*, program):
    visits = list(program.visits.select_related("campus").order_by("date", "pk"))
    rounds = defaultdict(list)
    for visit in visits:
        rounds[visit.round].append(visit)
    return {
        "program": program,
        "rounds": sorted(rounds.items()),
        "blackouts": list(program.blackouts.all()),
        "look_fors": list(program.look_fors.select_related("theory", "focus_area")),
        "campuses": list(program.campuses.order_by("name")),
    }


def theory_evidence_detail(*, theory):
    """For one theory: by campus and by month, how often its expected practice was seen."""
    observations = Observation.objects.filter(visit__program__look_fors__theory=theory).distinct()
    seen_ids = set(
        Observation.look_fors.through.objects.filter(lookfor__theory=theory).values_list(
            "observation_id", flat=True
        )
    )
    by_campus, by_month = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for obs_id, campus, day in observations.values_list("pk", "visit__campus__name", "visit__date"):
        hit = obs_id in seen_ids
        for bucket in (by_campus[campus], by_month[day.replace(day=1)]):
            bucket[0] += hit
            bucket[1] += 1
    look_fors = (
        LookFor.objects.filter(theory=theory)
        .select_related("program")
        .annotate(
            seen=count_of(Observation.objects.filter(look_fors=OuterRef("pk"))),
            observed=count_of(Observation.objects.filter(visit__program=OuterRef("program"))),
        )
        .order_by("program__name", "order", "pk")
    )
    return {
        "by_campus": sorted(by_campus.items(), key=lambda kv: (-kv[1][1], kv[0])),
        "by_month": sorted(by_month.items()),
        "look_fors": list(look_fors),
    }


def then_observations(*, district, theory_ids, since, today):
    """For each of `theory_ids`: how many look-fors are tied to its THEN; by visit day from
    `since` to `today`, how many observations ticked one of them out of those made where one was
    on the list; and the newest such observation's visit date. Four queries however many
    theories."""
    look_fors = (
        LookFor.objects.filter(district=district, theory__in=theory_ids)
        .order_by()
        .values("theory")
        .annotate(count=Count("pk"))
    )
    listed = Observation.objects.filter(
        district=district, visit__program__look_fors__theory__in=theory_ids
    ).order_by()
    observed = (
        listed.filter(visit__date__gte=since, visit__date__lte=today)
        .values("visit__program__look_fors__theory", "visit__date")
        .annotate(count=Count("pk", distinct=True))
    )
    seen = (
        Observation.look_fors.through.objects.filter(
            lookfor__district=district,
            lookfor__theory__in=theory_ids,
            observation__visit__date__gte=since,
            observation__visit__date__lte=today,
        )
        .order_by()
        .values("lookfor__theory", "observation__visit__date")
        .annotate(count=Count("observation", distinct=True))
    )
    latest = (
        listed.filter(visit__date__lte=today)
        .values("visit__program__look_fors__theory")
        .annotate(latest=Max("visit__date"))
    )
    found = {
        row["theory"]: {"look_fors": row["count"], "days": {}, "latest": None} for row in look_fors
    }
    seen_on = {
        (row["lookfor__theory"], row["observation__visit__date"]): row["count"] for row in seen
    }
    for row in observed:
        theory, day = row["visit__program__look_fors__theory"], row["visit__date"]
        found[theory]["days"][day] = (seen_on.get((theory, day), 0), row["count"])
    for row in latest:
        found[row["visit__program__look_fors__theory"]]["latest"] = row["latest"]
    return found


def attention(*, district, membership, today=None, limit=5):
    """What the home page lists first: overdue action items and the next visits, narrowed to
    the member's own campuses or departments when they answer for some."""
    today = today or timezone.localdate()
    overdue = (
        ActionItem.objects.filter(district=district, due_date__lt=today)
        .exclude(status=ActionItem.Status.DONE)
        .select_related("campus", "department")
        .order_by("due_date", "pk")
    )
    visits = Visit.objects.filter(district=district, date__gte=today).select_related("campus")
    if bound_to_campuses(membership) or bound_to_departments(membership):
        overdue = overdue.filter(_mine(membership))
    if bound_to_campuses(membership):
        visits = visits.filter(campus__in=membership.campuses.all())
    overdue_list = list(overdue[: limit + 1])
    return {
        "overdue_items": overdue_list[:limit],
        "more_overdue": len(overdue_list) > limit,
        "next_visits": list(visits.order_by("date", "pk")[:3]),
    }


def open_action_items_of(*, district, user):
    """The action items of the district assigned to `user` and not done yet, soonest due first."""
    return list(
        ActionItem.objects.filter(district=district, assignee=user)
        .exclude(status=ActionItem.Status.DONE)
        .select_related("campus", "department")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def reassign_choices(*, members, items, exclude_user):
    """The members who may take over every one of `items`: active, not `exclude_user`, and
    allowed to update each item (the rule that decides who may be assigned one)."""
    return [
        m.user
        for m in members
        if m.is_active
        and m.user.is_active
        and m.user_id != exclude_user.pk
        and all(may_update_action_item(m, i) for i in items)
    ]


# How many of a campus's open action items and look-fors its page lists; the rest are a link.
CAMPUS_ITEMS, CAMPUS_LOOK_FORS = 8, 10


def campus_visits(*, campus, today):
    """What the visits know of one campus, for its page, in five queries however many visits it
    had: its next planned visits and its latest ones; its open action items (overdue first, then
    by due date) with how many are open and overdue; and, over the last twelve months, how often
    each look-for was seen in its observations beside the district's rate."""
    visits = Visit.objects.filter(campus=campus).select_related("program")
    upcoming = visits.filter(status=Visit.Status.PLANNED, date__gte=today).order_by("date", "pk")
    latest = visits.exclude(status=Visit.Status.PLANNED).order_by("-date", "-pk")
    open_items = ActionItem.objects.filter(campus=campus).exclude(status=ActionItem.Status.DONE)
    overdue = Q(due_date__lt=today)
    counts = open_items.aggregate(open=Count("pk"), overdue=Count("pk", filter=overdue))
    items = mark_overdue(
        open_items.select_related("campus", "department", "assignee").order_by(
            Case(When(overdue, then=0), default=1), F("due_date").asc(nulls_last=True), "pk"
        )[:CAMPUS_ITEMS],
        today,
    )
    since = today - datetime.timedelta(days=365)
    in_year = Q(visit__date__gte=since, visit__date__lte=today)
    observed = Observation.objects.filter(in_year, district_id=campus.district_id).aggregate(
        district=Count("pk"), campus=Count("pk", filter=Q(visit__campus=campus))
    )
    seen = (
        Observation.look_fors.through.objects.filter(
            observation__district_id=campus.district_id,
            observation__visit__date__gte=since,
            observation__visit__date__lte=today,
        )
        .values("lookfor_id", "lookfor__text")
        .annotate(
            district=Count("observation", distinct=True),
            campus=Count("observation", filter=Q(observation__visit__campus=campus), distinct=True),
        )
        .filter(campus__gt=0)
        .order_by("-campus", "lookfor__text")[:CAMPUS_LOOK_FORS]
    )
    look_fors = [
        {
            "text": row["lookfor__text"],
            "campus_rate": _share(row["campus"], observed["campus"]),
            "district_rate": _share(row["district"], observed["district"]),
        }
        for row in seen
    ]
    return {
        "upcoming": list(upcoming[:3]),
        "latest": list(latest[:5]),
        "items": list(items),
        "open_count": counts["open"],
        "overdue_count": counts["overdue"],
        "observed": observed,
        "look_fors": look_fors,
        "since": since,
    }


def _share(part, whole):
    return round(100 * part / whole) if whole else None


def observations_marker(*, district):
    """The id of the district's newest observation, 0 before the first: observations are only
    ever added, so it moves with each one (theories.hooks.observations_marker)."""
    newest = (
        Observation.objects.filter(district=district).order_by("-pk").values_list("pk", flat=True)
    )
    return newest.first() or 0
