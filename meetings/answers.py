"""What meetings answer for the apps below them (see core.hooks)."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comments import registry as comments_registry
from core import hooks
from meetings.models import LINKS, Decision, Meeting
from visits import hooks as visit_hooks


@hooks.decisions_about.answer
def decisions_about(*, district_id, about):
    about = {kind: set(ids) for kind, ids in about.items()}
    wanted = Q()
    for kind, ids in about.items():
        if kind not in LINKS:
            raise ValueError(f"A decision does not link to {kind}.")
        if ids:
            wanted |= Q(**{f"{kind}_id__in": ids})
    if not wanted:
        return {}
    decisions = (
        Decision.objects.filter(wanted, district_id=district_id)
        .select_related("meeting", "district")
        .order_by("meeting__date", "meeting_id", "order", "pk")
    )
    answer = defaultdict(list)
    for decision in decisions:
        meeting, slug = decision.meeting, decision.district.slug
        decided = hooks.Decided(
            text=decision.text,
            meeting=meeting.title,
            date=meeting.date,
            url=reverse("meetings:meeting", args=[slug, meeting.pk]) + f"#decision-{decision.pk}",
            effect=decision.get_effect_display(),
        )
        for kind, ids in about.items():
            pk = getattr(decision, f"{kind}_id")
            if pk is not None and pk in ids:
                answer[(kind, pk)].append(decided)
    return dict(answer)


@visit_hooks.follow_up_origins.answer
def follow_up_origins(*, district, item_ids):
    rows = Meeting.follow_ups.through.objects.filter(
        actionitem_id__in=item_ids, meeting__district=district
    ).values_list("actionitem_id", "meeting_id", "meeting__title", "meeting__date")
    return {
        item_id: visit_hooks.Origin(
            title=title,
            date=date,
            url=reverse("meetings:meeting", args=[district.slug, meeting_id]),
        )
        for item_id, meeting_id, title, date in rows
    }


# A meeting's length is not recorded; one with a start time is shown for an hour.
MEETING_HOURS = 1


@hooks.calendar_events.answer
def meeting_events(*, district, since, limit):
    events = []
    meetings = Meeting.objects.filter(district=district, date__gte=since).order_by("date", "pk")
    for meeting in meetings[:limit]:
        if meeting.start_time:
            start = timezone.make_aware(datetime.datetime.combine(meeting.date, meeting.start_time))
            end = start + datetime.timedelta(hours=MEETING_HOURS)
        else:
            start, end = meeting.date, meeting.date + datetime.timedelta(days=1)
        events.append(
            hooks.CalendarEvent(
                uid=f"meeting-{meeting.pk}@{district.slug}",
                start=start,
                end=end,
                summary=gettext("Meeting: %(title)s") % {"title": meeting.title},
                description=meeting.get_kind_display()
                + (f"\n\n{meeting.agenda}" if meeting.agenda else ""),
                location=meeting.place,
            )
        )
    return events


comments_registry.register(
    Meeting,
    kind="meeting",
    label=_("meeting"),
    url=lambda meeting: reverse("meetings:meeting", args=[meeting.district.slug, meeting.pk]),
    owners=lambda meeting: [meeting.facilitator.user_id] if meeting.facilitator_id else [],
    related=("facilitator",),
)
