"""Honest status: a missed update cycle reads "needs update", never "on track"."""

import datetime
from decimal import Decimal

from district_plan.models import Measure, MeasureValue
from district_plan.selectors import freshness, measure_status

TODAY = datetime.date(2026, 11, 25)


def measure(**kw):
    defaults = {
        "name": "Readers",
        "unit": "%",
        "direction": "up",
        "baseline": Decimal(40),
        "baseline_date": datetime.date(2025, 1, 1),
        "target": Decimal(80),
        "target_date": datetime.date(2029, 1, 1),
        "update_cycle": "quarterly",
    }
    return Measure(**(defaults | kw))


def value(days_ago, amount):
    return MeasureValue(
        observed_on=TODAY - datetime.timedelta(days=days_ago), value=Decimal(amount)
    )


def test_a_value_within_the_cycle_that_keeps_pace_is_on_track():
    status = measure_status(measure(), [value(30, 60)], TODAY)
    assert (status.label, status.needs_update) == ("On track", False)


def test_a_missed_cycle_needs_an_update_even_when_the_last_value_was_good():
    status = measure_status(measure(), [value(120, 79)], TODAY)
    assert (status.label, status.tone) == ("Needs update", "warn")


def test_no_value_since_a_baseline_older_than_the_cycle_needs_an_update():
    assert measure_status(measure(), [], TODAY).label == "Needs update"


def test_no_value_yet_on_a_fresh_measure_is_said_plainly():
    fresh = measure(baseline_date=TODAY - datetime.timedelta(days=10))
    assert measure_status(fresh, [], TODAY).label == "No value yet"


def test_behind_the_straight_path_to_the_target():
    status = measure_status(measure(), [value(10, 42)], TODAY)
    assert status.label == "Behind"


def test_down_is_good_measures_count_progress_downwards():
    absent = measure(direction="down", baseline=Decimal(18), target=Decimal(10))
    assert measure_status(absent, [value(5, 9)], TODAY).label == "Target met"
    assert measure_status(absent, [value(5, 19)], TODAY).label == "Behind"


def test_freshness_is_the_share_of_measures_and_actions_up_to_date():
    class Act:
        def __init__(self, status, due):
            self.status, self.due_date = status, due

    statuses = [
        measure_status(measure(), [value(10, 60)], TODAY),
        measure_status(measure(), [], TODAY),
    ]
    actions = [
        Act("done", TODAY - datetime.timedelta(days=9)),
        Act("in_progress", TODAY - datetime.timedelta(days=1)),
        Act("not_started", None),
    ]
    result = freshness(statuses, actions, TODAY)
    assert result == {
        "measures_fresh": 1,
        "measures": 2,
        "actions_current": 2,
        "actions": 3,
        "percent": 60,
    }
