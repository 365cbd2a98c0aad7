"""The calendar feed: the visits of a district (and what the apps above add, such as meetings,
through core.hooks.calendar_events) as an iCalendar file, for one member's secret
address, and the rule that a new password makes a new address."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event

from core import hooks
from visits.models import Visit
from visits.services import calendar_feeds_retire

PAST_DAYS = 60
MAX_EVENTS = 2000


def feed_is_live(feed):
    """A feed answers only while its person may still sign in and is an active member of the
    district."""
    return (
        feed.user.is_active
        and feed.user.memberships.filter(district=feed.district, is_active=True).exists()
    )


def visits_calendar(*, district):
    """The district's visits from PAST_DAYS ago on. The icalendar library escapes what people
    typed (a carriage return in a focus stays text, never a new line) and folds long lines."""
    calendar = Calendar()
    calendar.add("prodid", "-//District planning//Visits//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", gettext("%(district)s visits") % {"district": district.name})
    stamp = timezone.now()
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    visits = (
        Visit.objects.filter(district=district, date__gte=since)
        .select_related("campus")
        .order_by("date", "pk")[:MAX_EVENTS]
    )
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.pk}@{district.slug}")
        event.add("dtstamp", stamp)
        event.add("dtstart", visit.date)
        event.add("dtend", visit.date + datetime.timedelta(days=1))
        event.add("summary", gettext("Visit: %(campus)s") % {"campus": visit.campus.name})
        event.add("description", visit.focus or visit.get_status_display())
        calendar.add_component(event)
    for answer in hooks.calendar_events.ask_all(district=district, since=since, limit=MAX_EVENTS):
        for happening in answer:
            event = Event()
            event.add("uid", happening.uid)
            event.add("dtstamp", stamp)
            event.add("dtstart", happening.start)
            event.add("dtend", happening.end)
            event.add("summary", happening.summary)
            if happening.description:
                event.add("description", happening.description)
            if happening.location:
                event.add("location", happening.location)
            calendar.add_component(event)
    return calendar.to_ical()


class NewAddressOnPasswordChange:
    """Listed with the password validators because `password_changed` is Django's one hook
    for every way a password changes (the password page, a reset, the admin, the
    changepassword command) and only then: not when a sign-in upgrades the stored hash.
    Someone who changes their password after losing a device also cuts off the calendar
    address that device had; the calendar page makes a new one."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk:
            calendar_feeds_retire(user=user)

    def get_help_text(self):
        return gettext("A new password also gives you a new calendar address.")
