"""Rotation properties, checked over many generated programs."""

import datetime
from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from visits.rotation import RotationError, generate_rotation, move, week_start

START = datetime.date(2026, 8, 3)


@st.composite
def programs(draw):
    campuses = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=12, unique=True))
    weekday = draw(st.integers(0, 4))
    weeks = draw(st.integers(1, 80))
    start = START + datetime.timedelta(days=draw(st.integers(0, 6)))
    end = start + datetime.timedelta(weeks=weeks)
    blackouts = []
    for _ in range(draw(st.integers(0, 5))):
        first = start + datetime.timedelta(days=draw(st.integers(0, weeks * 7)))
        blackouts.append((first, first + datetime.timedelta(days=draw(st.integers(0, 10)))))
    return campuses, weekday, start, end, blackouts


def rounds_are_fair(slots, campuses):
    by_round = {}
    for slot in slots:
        by_round.setdefault(slot.round, []).append(slot.campus)
    complete = [r for r in by_round.values() if len(r) == len(campuses)]
    return all(Counter(r) == Counter(campuses) for r in complete) and all(
        len(set(r)) == len(r) for r in by_round.values()
    )


@settings(max_examples=200, deadline=None)
@given(programs())
def test_every_campus_in_turn_on_the_weekday_skipping_blackouts(program):
    campuses, weekday, start, end, blackouts = program
    slots = generate_rotation(
        campuses=campuses, weekday=weekday, start=start, end=end, blackouts=blackouts
    )
    assert all(s.date.weekday() == weekday and start <= s.date <= end for s in slots)
    assert len({week_start(s.date) for s in slots}) == len(slots)  # one visit a week
    for s in slots:
        monday = week_start(s.date)
        assert not any(
            b0 <= monday + datetime.timedelta(days=4) and b1 >= monday for b0, b1 in blackouts
        )
    # The same order every round, and nobody visited twice before everyone once.
    assert [s.campus for s in slots] == [campuses[i % len(campuses)] for i in range(len(slots))]
    assert rounds_are_fair(slots, campuses)


@settings(max_examples=200, deadline=None)
@given(programs(), st.data())
def test_moving_a_visit_keeps_the_rotation_fair(program, data):
    campuses, weekday, start, end, blackouts = program
    slots = generate_rotation(
        campuses=campuses, weekday=weekday, start=start, end=end, blackouts=blackouts
    )
    assume(slots)
    index = data.draw(st.integers(0, len(slots) - 1))
    new_date = data.draw(st.dates(start, end))
    try:
        moved = move(slots, index, new_date, start=start, end=end, blackouts=blackouts)
    except RotationError:
        return
    assert moved[index].date == new_date
    assert moved[index].campus == slots[index].campus
    assert Counter(s.campus for s in moved) == Counter(s.campus for s in slots)
    assert len({week_start(s.date) for s in moved}) == len(moved)
    assert rounds_are_fair(moved, campuses)


def test_a_move_across_rounds_is_refused_with_a_reason():
    slots = generate_rotation(
        campuses=[1, 2], weekday=1, start=START, end=START + datetime.timedelta(weeks=6)
    )
    with pytest.raises(RotationError, match="another round"):
        move(slots, 0, slots[3].date, start=START, end=START + datetime.timedelta(weeks=6))


def test_a_move_into_a_blackout_is_refused():
    end = START + datetime.timedelta(weeks=6)
    holiday = (START + datetime.timedelta(weeks=2), START + datetime.timedelta(weeks=2, days=4))
    slots = generate_rotation(
        campuses=[1, 2, 3], weekday=1, start=START, end=end, blackouts=[holiday]
    )
    with pytest.raises(RotationError, match="blacked out"):
        move(
            slots,
            0,
            holiday[0] + datetime.timedelta(days=1),
            start=START,
            end=end,
            blackouts=[holiday],
        )
