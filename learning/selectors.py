import datetime

from django.db.models import Case, Count, F, Max, Min, Prefetch, Sum, Value, When
from django.utils import timezone

from core.history import events_of, history, link_events, record_events
from learning.models import Offering, Participant, Participation, Session, StaffRole
from theories.models import TheoryOfAction
from visits.models import Observation

# The follow-up compares how often each look-for was seen in the months before an offering's
# first session with how often since.
MONTHS_BEFORE = 6

THEORY_ORDER = ("strand__order", "strand_id", "order", "pk")


def _totals(offering_ids):
    """{offering id: people counted across its sessions}, in one query."""
    rows = (
        Participation.objects.filter(session__offering__in=offering_ids)
        .order_by()
        .values("session__offering")
        .annotate(total=Sum("count"))
    )
    return {row["session__offering"]: row["total"] for row in rows}


def offerings_list(*, district):
    """The district's offerings, latest sessions first, with the span of their sessions, the
    theories they serve and how many took part, in a fixed number of queries."""
    offerings = list(
        Offering.objects.filter(district=district)
        .annotate(
            session_count=Count("sessions"),
            first_date=Min("sessions__date"),
            last_date=Max("sessions__date"),
        )
        .select_related("facilitator__user")
        .prefetch_related(
            Prefetch(
                "theories",
                queryset=TheoryOfAction.objects.order_by(*THEORY_ORDER),
                to_attr="theory_list",
            )
        )
        .order_by(F("last_date").desc(nulls_last=True), "title", "pk")
    )
    totals = _totals([o.pk for o in offerings])
    for offering in offerings:
        offering.total = totals.get(offering.pk, 0)
    return offerings


def _months_before(day, months):
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, 1)


def follow_up(*, offering, first_date, today=None):
    """Each follow-up look-for with how often it was seen, out of the observations made where
    it was on the list, in the MONTHS_BEFORE months before the first session and since: two
    queries however many observations."""
    today = today or timezone.localdate()
    look_fors = list(offering.look_fors.select_related("program").order_by("program_id", "order"))
    if not look_fors or first_date is None:
        return {"look_fors": look_fors, "rows": [], "start": None}
    start = _months_before(first_date, MONTHS_BEFORE)
    end = max(today, start)
    period = Case(When(visit__date__lt=first_date, then=Value("before")), default=Value("since"))
    totals = {
        (row["visit__program"], row["period"]): row["n"]
        for row in Observation.objects.filter(
            visit__program__in={lf.program_id for lf in look_fors},
            visit__date__gte=start,
            visit__date__lte=end,
        )
        .order_by()
        .values("visit__program", period=period)
        .annotate(n=Count("pk"))
    }
    seen_period = Case(
        When(observation__visit__date__lt=first_date, then=Value("before")),
        default=Value("since"),
    )
    seen = {
        (row["lookfor"], row["period"]): row["n"]
        for row in Observation.look_fors.through.objects.filter(
            lookfor__in=look_fors,
            observation__visit__date__gte=start,
            observation__visit__date__lte=end,
        )
        .order_by()
        .values("lookfor", period=seen_period)
        .annotate(n=Count("observation"))
    }
    rows = []
    for look_for in look_fors:
        row = {"look_for": look_for}
        for name in ("before", "since"):
            total = totals.get((look_for.program_id, name), 0)
            hits = seen.get((look_for.pk, name), 0)
            row[name] = {
                "seen": hits,
                "observations": total,
                "percent": round(100 * hits / total) if total else None,
            }
        row["periods"] = [row["before"], row["since"]]
        rows.append(row)
    return {"look_fors": look_fors, "rows": rows, "start": start}


def offering_page(*, offering, today=None):
    """What the offering's page shows: its sessions with their participation (and names when
    kept), totals by staff role and by campus, and the follow-up."""
    sessions = list(
        offering.sessions.order_by("date", "pk").prefetch_related(
            Prefetch(
                "participation",
                queryset=Participation.objects.select_related("campus").order_by(
                    "campus__name", "staff_role", "pk"
                ),
                to_attr="lines",
            ),
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("campus").order_by("name", "pk"),
                to_attr="names",
            ),
        )
    )
    labels = dict(StaffRole.choices)
    by_role = dict.fromkeys(StaffRole.values, 0)
    by_campus = {}
    for session in sessions:
        session.total = 0
        for line in session.lines:
            line.role_label = labels[line.staff_role]
            session.total += line.count
            by_role[line.staff_role] += line.count
            by_campus[line.campus.name] = by_campus.get(line.campus.name, 0) + line.count
        for person in session.names:
            person.role_label = labels[person.staff_role]
    first = sessions[0].date if sessions else None
    return {
        "sessions": sessions,
        "total": sum(by_role.values()),
        "by_role": [(labels[role], count) for role, count in by_role.items()],
        "by_campus": sorted(by_campus.items()),
        "follow_up": follow_up(offering=offering, first_date=first, today=today),
        "theories": list(offering.theories.select_related("strand").order_by(*THEORY_ORDER)),
    }


def theory_learning(*, theory):
    """The professional learning delivered for `theory`: each offering serving it with its
    sessions' dates and how many took part, in three queries however many there are."""
    offerings = list(
        Offering.objects.filter(theories=theory)
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("date", "pk"), to_attr="dates")
        )
        .order_by("title", "pk")
    )
    totals = _totals([o.pk for o in offerings])
    for offering in offerings:
        offering.total = totals.get(offering.pk, 0)
    return offerings


def learning_delivered(*, district, theory_ids):
    """For each of `theory_ids` served by professional learning: how many offerings serve it
    and their sessions' dates, in one query however many theories."""
    links = (
        Offering.theories.through.objects.filter(
            offering__district=district, theoryofaction_id__in=theory_ids
        )
        .order_by()
        .values_list("theoryofaction_id", "offering_id", "offering__sessions__date")
    )
    offerings, dates = {}, {}
    for theory, offering, day in links:
        offerings.setdefault(theory, set()).add(offering)
        if day is not None:
            dates.setdefault(theory, []).append(day)
    return {
        theory: {"offerings": len(served), "session_dates": sorted(dates.get(theory, ()))}
        for theory, served in offerings.items()
    }


def offering_history(offering):
    """Changes to the offering, its links, its sessions and their participation."""
    session_ids = events_of(Session).filter(offering_id=offering.pk).values("pgh_obj_id")
    return history(
        [
            record_events(offering),
            link_events(Offering, "theories").filter(offering_id=offering.pk),
            link_events(Offering, "look_fors").filter(offering_id=offering.pk),
            events_of(Session).filter(offering_id=offering.pk),
            events_of(Participation).filter(session_id__in=session_ids),
            events_of(Participant).filter(session_id__in=session_ids),
        ]
    )
