import calendar
import datetime
from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch

from accounts.models import Membership
from core.history import events_of, history, link_events, record_events
from meetings.models import Decision, Material, Meeting
from visits.models import ActionItem

PAST_PAGE = 30


def _listed(district):
    return (
        Meeting.objects.filter(district=district)
        .select_related("facilitator__user")
        .annotate(decision_count=Count("decisions", distinct=True))
    )


def meeting_list(*, district, today, page=None):
    """The upcoming meetings (soonest first) and a page of the past ones (latest first)."""
    upcoming = list(_listed(district).filter(date__gte=today).order_by("date", "start_time", "pk"))
    past = Paginator(_listed(district).filter(date__lt=today).order_by("-date", "-pk"), PAST_PAGE)
    return {"upcoming": upcoming, "past": past.get_page(page)}


def meeting_page(meeting):
    """The meeting with its attendees (`attendee_list`) and decisions (`decision_list`, each with
    the records it links to), in a fixed number of queries."""
    meeting = (
        Meeting.objects.filter(pk=meeting.pk)
        .select_related("facilitator__user")
        .prefetch_related(
            Prefetch(
                "attendees",
                queryset=Membership.objects.select_related("user").order_by(
                    "user__full_name", "user__email"
                ),
                to_attr="attendee_list",
            ),
            Prefetch(
                "materials",
                queryset=Material.objects.order_by("created_at", "pk"),
                to_attr="material_list",
            ),
            Prefetch(
                "follow_ups",
                queryset=ActionItem.objects.select_related(
                    "campus", "department", "assignee"
                ).order_by("due_date", "pk"),
                to_attr="follow_up_list",
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "goal__plan",
                    "competency__plan",
                    "theory",
                    "campus_plan__campus",
                    "finding",
                    "recommendation",
                ).order_by("order", "pk"),
                to_attr="decision_list",
            ),
        )
        .get()
    )
    return meeting


def meeting_history(meeting):
    """Changes to the meeting, who attends it, its decisions, materials and follow-ups."""
    return history(
        [
            record_events(meeting),
            link_events(Meeting, "attendees").filter(meeting_id=meeting.pk),
            link_events(Meeting, "follow_ups").filter(meeting_id=meeting.pk),
            events_of(Decision).filter(meeting_id=meeting.pk),
            events_of(Material).filter(meeting_id=meeting.pk),
        ]
    )


def meeting_month(*, district, year, month, today):
    """Weeks of the month (Monday first, all seven days: retreats fall on Saturdays), each day
    with its meetings."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    meetings = Meeting.objects.filter(
        district=district, date__gte=weeks[0][0], date__lte=weeks[-1][-1]
    ).order_by("date", "start_time", "pk")
    by_day = defaultdict(list)
    for meeting in meetings:
        by_day[meeting.date].append(meeting)
    first = datetime.date(year, month, 1)
    return {
        "month": first,
        "previous": (first - datetime.timedelta(days=1)).replace(day=1),
        "next": (first + datetime.timedelta(days=31)).replace(day=1),
        "weeks": [
            [
                {
                    "day": day,
                    "in_month": day.month == month,
                    "today": day == today,
                    "meetings": by_day[day],
                }
                for day in week
            ]
            for week in weeks
        ],
        "meeting_count": sum(1 for m in meetings if m.date.month == month),
    }
