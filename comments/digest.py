"""The digest email: a member's mentions, the comments on what they own or answering theirs,
and their work due, over the last day or week."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from comments import selectors
from comments.models import Notification
from core import hooks

DAYS = {"daily": 1, "weekly": 7}


@dataclass
class Digest:
    mentions: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    due: list = field(default_factory=list)

    @property
    def empty(self):
        return not (self.mentions or self.comments or self.due)


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def digest_for(membership, *, frequency, today):
    """What the member's digest of the period ending `today` (sent that morning) says: what
    was said to them over the last day or week, and what of theirs is due by the period's
    end, overdue work included."""
    days = DAYS[frequency]
    said = selectors.inbox_between(
        membership, since=_midnight(today - datetime.timedelta(days=days)), until=_midnight(today)
    )
    due = [
        item
        for answer in hooks.items_due.ask_all(
            district=membership.district,
            user=membership.user,
            until=today + datetime.timedelta(days=days - 1),
        )
        for item in answer
    ]
    return Digest(
        mentions=[line for line in said if line.reason == Notification.Reason.MENTION],
        comments=[line for line in said if line.reason != Notification.Reason.MENTION],
        due=sorted(due, key=lambda item: (item.due_date, item.description)),
    )
