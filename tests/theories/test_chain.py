"""The rules that judge each link of a theory (theories.chain.judge_chain), at their boundaries."""

import datetime
from decimal import Decimal

import pytest

from theories.chain import ActionFact, ChainFacts, MeasureFact, judge_chain

TODAY = datetime.date(2026, 12, 7)


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def link(facts, which):
    chain = judge_chain(facts, TODAY)
    return {"if": chain.if_link, "then": chain.then_link, "so_that": chain.so_that_link}[which]


# IF


def test_an_if_with_no_action_and_no_learning_has_no_data():
    assert link(ChainFacts(), "if").status == "no_data"


@pytest.mark.parametrize(
    ("due_date", "status"), [(days_ago(0), "not_yet"), (days_ago(1), "not_moving")]
)
def test_an_if_stops_moving_the_day_after_an_action_falls_due_undone(due_date, status):
    facts = ChainFacts(actions=(ActionFact(done=False, has_evidence=False, due_date=due_date),))
    assert link(facts, "if").status == status


def test_a_done_action_without_evidence_is_not_evidence_yet():
    facts = ChainFacts(actions=(ActionFact(done=True, has_evidence=False, due_date=None),))
    assert link(facts, "if").status == "not_yet"


@pytest.mark.parametrize(("age", "status"), [(365, "moving"), (366, "not_moving")])
def test_an_if_whose_newest_evidence_is_over_a_year_old_is_not_moving(age, status):
    done = ActionFact(done=True, has_evidence=True, due_date=None, evidence_on=days_ago(age))
    result = link(ChainFacts(actions=(done,)), "if")
    assert (result.status, result.latest) == (status, days_ago(age))


def test_a_past_due_action_outweighs_recent_evidence():
    done = ActionFact(done=True, has_evidence=True, due_date=None, evidence_on=days_ago(3))
    late = ActionFact(done=False, has_evidence=False, due_date=days_ago(10))
    assert link(ChainFacts(actions=(done, late)), "if").status == "not_moving"


@pytest.mark.parametrize(
    ("session", "status"), [(days_ago(0), "moving"), (days_ago(-1), "not_yet")]
)
def test_professional_learning_moves_the_if_once_a_session_is_held(session, status):
    result = link(ChainFacts(offerings=1, session_dates=(session,)), "if")
    assert result.status == status
    assert result.latest == (session if status == "moving" else None)


# THEN


def observed(**days):
    """{visit date: (seen, observed)} from keyword ages: d30=(3, 5)."""
    return {days_ago(int(age[1:])): counts for age, counts in days.items()}


def then(days, look_fors=1):
    latest = max(days, default=None)
    return link(ChainFacts(look_fors=look_fors, observed_days=days, last_observed=latest), "then")


def test_a_then_with_no_look_for_or_no_observation_has_no_data():
    assert then(observed(d3=(5, 5)), look_fors=0).status == "no_data"
    assert then({}).status == "no_data"


@pytest.mark.parametrize(("count", "status"), [(4, "not_yet"), (5, "moving")])
def test_a_then_needs_five_recent_observations_to_be_judged(count, status):
    assert then(observed(d10=(count, count))).status == status


def test_observations_older_than_six_months_do_not_count_as_recent():
    result = then(observed(d182=(10, 10), d181=(1, 4)))
    assert result.status == "not_yet"
    assert result.latest == days_ago(181)


@pytest.mark.parametrize(("seen", "status"), [(5, "moving"), (4, "not_moving")])
def test_a_then_seen_in_half_the_recent_observations_is_moving(seen, status):
    assert then(observed(d10=(seen, 10))).status == status


@pytest.mark.parametrize(
    ("before", "status"),
    # 8 of 20 (40%) now against 7 of 20 (35%) or 15 of 40 (38%, rounded) six months earlier.
    [((7, 20), "moving"), ((15, 40), "not_moving")],
)
def test_a_then_rising_five_points_on_the_six_months_before_is_moving(before, status):
    assert then(observed(d10=(8, 20), d200=before)).status == status


# SO THAT


def measure(*values, up=True, cycle_days=92, baseline="40"):
    return MeasureFact(
        up=up,
        baseline=Decimal(baseline),
        baseline_date=days_ago(400),
        cycle_days=cycle_days,
        values=tuple((days_ago(age), Decimal(v)) for age, v in values),
    )


def so_that(*measures):
    return link(ChainFacts(measures=measures), "so_that")


def test_a_so_that_without_measures_has_no_data_and_without_values_is_not_yet():
    assert so_that().status == "no_data"
    assert so_that(measure()).status == "not_yet"
    assert so_that(measure((-1, "60"))).status == "not_yet"  # a value dated tomorrow


@pytest.mark.parametrize(
    ("values", "up", "status"),
    [
        (((30, "45"),), True, "moving"),
        (((30, "40"),), True, "not_moving"),  # no better than the baseline
        (((30, "35"),), False, "moving"),  # down is good
        (((60, "50"), (30, "48")), True, "not_moving"),  # fell since the value before
    ],
)
def test_a_measure_moves_when_its_latest_value_beats_the_one_before(values, up, status):
    assert so_that(measure(*values, up=up)).status == status


@pytest.mark.parametrize(("age", "status"), [(92, "moving"), (93, "not_moving")])
def test_a_measure_past_its_update_cycle_is_never_moving(age, status):
    result = so_that(measure((age, "60"), cycle_days=92))
    assert (result.status, result.latest) == (status, days_ago(age))


def test_a_so_that_moves_when_at_least_half_its_measures_move():
    better, flat = measure((30, "60")), measure((30, "40"))
    assert so_that(better, flat).status == "moving"
    assert so_that(better, flat, flat).status == "not_moving"
