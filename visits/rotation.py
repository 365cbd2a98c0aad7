"""The weekly rotation: one campus a week, every campus in turn before any repeats.

Pure functions on dates and campus ids, so the fairness rules can be checked exhaustively.
A *slot* is one week of the program that is not blacked out; the n-th slot goes to campus
n mod N, so each round (N consecutive slots) visits every campus exactly once, in the same order.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext


@dataclass(frozen=True)
class Slot:
    date: datetime.date
    campus: int
    round: int


class RotationError(ValueError):
    pass


def week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def _blacked_out(day, blackouts):
    """A week is out when any of its weekdays falls in a blackout."""
    monday = week_start(day)
    friday = monday + datetime.timedelta(days=4)
    return any(start <= friday and end >= monday for start, end in blackouts)


def visit_days(*, weekday, start, end, blackouts=()):
    """The program's visit days: its weekday in every week that is not blacked out."""
    day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
    days = []
    while day <= end:
        if not _blacked_out(day, blackouts):
            days.append(day)
        day += datetime.timedelta(days=7)
    return days


def generate_rotation(*, campuses, weekday, start, end, blackouts=(), first_round=0, offset=0):
    """Slots for the campuses in the given order; `offset` starts part-way through a round
    (used when regenerating the rest of a rotation)."""
    if not campuses:
        return []
    count = len(campuses)
    return [
        Slot(
            date=day,
            campus=campuses[(offset + n) % count],
            round=first_round + (offset + n) // count,
        )
        for n, day in enumerate(
            visit_days(weekday=weekday, start=start, end=end, blackouts=blackouts)
        )
    ]


def move(slots, index, new_date, *, start, end, blackouts=()):
    """Moves slot `index` to `new_date`, keeping the rotation fair.

    Within its own week the date simply changes. Into another week, it swaps with the visit
    of that week, which is only allowed inside the same round so no campus is visited twice
    before every campus had its turn. Returns the new list of slots."""
    if not start <= new_date <= end:
        raise RotationError(gettext("That date is outside the program."))
    if new_date.weekday() > 4:
        raise RotationError(gettext("Visits happen on school days, Monday to Friday."))
    if _blacked_out(new_date, blackouts):
        raise RotationError(gettext("That week is blacked out for this program."))
    moving = slots[index]
    target_week = week_start(new_date)
    result = list(slots)
    if week_start(moving.date) == target_week:
        result[index] = Slot(new_date, moving.campus, moving.round)
        return result
    other = next((i for i, s in enumerate(slots) if week_start(s.date) == target_week), None)
    if other is None:
        raise RotationError(gettext("No visit is planned that week to trade places with."))
    if slots[other].round != moving.round:
        raise RotationError(
            gettext(
                "That week belongs to another round of the rotation; move within this round so "
                "every campus is visited before any is visited again."
            )
        )
    result[index] = Slot(new_date, moving.campus, moving.round)
    result[other] = Slot(moving.date, slots[other].campus, slots[other].round)
    return result
