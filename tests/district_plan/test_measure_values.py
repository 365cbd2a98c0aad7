"""A measure value recorded for a date that already has one asks before replacing it; recorded
values can be corrected and deleted, and each of those is in the measure's history."""

import datetime

import pytest
from django.urls import reverse

from district_plan.models import MeasureValue
from tests.factories import GoalFactory, MeasureFactory, MeasureValueFactory, PlanFactory
from tests.helpers import travel_to

TODAY = datetime.date(2026, 11, 17)
DAY = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


def url(name, *args):
    return reverse(f"plan:{name}", args=["lakeside", *args])


@pytest.fixture
def measure(personas):
    return MeasureFactory(goal=GoalFactory(plan=PlanFactory(district=personas.district)))


@pytest.fixture
def recorded(measure, personas):
    return MeasureValueFactory(
        measure=measure, observed_on=DAY, value=52, note="Fall count", recorded_by=personas.admin
    )


def test_a_second_value_for_the_same_date_asks_before_replacing(as_member, personas, recorded):
    client = as_member(personas.cabinet)
    page = client.post(
        url("measure", recorded.measure_id),
        {"observed_on": DAY.isoformat(), "value": "61", "note": "Recount"},
    ).text
    assert "A value is already recorded for this date" in page
    assert "52 %" in page
    assert "Fall count" in page
    assert 'name="replace" value="1"' in page
    stored = MeasureValue.objects.get()
    assert (stored.value, stored.note) == (52, "Fall count")

    client.post(
        url("measure", recorded.measure_id),
        {"observed_on": DAY.isoformat(), "value": "61", "note": "Recount", "replace": "1"},
    )
    stored = MeasureValue.objects.get()
    assert (stored.value, stored.note) == (61, "Recount")


def test_a_value_for_a_new_date_is_recorded_at_once(as_member, personas, recorded):
    response = as_member(personas.cabinet).post(
        url("measure", recorded.measure_id), {"observed_on": TODAY.isoformat(), "value": "70"}
    )
    assert response.status_code == 302
    assert MeasureValue.objects.count() == 2


def test_a_recorded_value_is_corrected_and_the_history_shows_both(as_member, personas, recorded):
    client = as_member(personas.cabinet)
    assert "Fall count" in client.get(url("measure_value_edit", recorded.pk)).text
    response = client.post(
        url("measure_value_edit", recorded.pk), {"value": "53.5", "note": "Fall count, corrected"}
    )
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert (recorded.value, recorded.note) == (53.5, "Fall count, corrected")
    history = client.get(url("measure_history", recorded.measure_id)).text
    assert "<td>52</td><td>53.5</td>" in history
    assert f"Changed</strong> by {personas.cabinet.get_full_name()}" in history


def test_a_recorded_value_is_deleted_after_confirmation(as_member, personas, recorded):
    client = as_member(personas.cabinet)
    confirm = client.get(url("measure_value_delete", recorded.pk)).text
    assert "Delete this value?" in confirm
    assert MeasureValue.objects.exists()
    client.post(url("measure_value_delete", recorded.pk))
    assert not MeasureValue.objects.exists()
    history = client.get(url("measure_history", recorded.measure_id)).text
    assert f"Deleted</strong> by {personas.cabinet.get_full_name()}" in history


def test_only_editors_correct_or_delete_values(as_member, personas, recorded):
    board = as_member(personas.board)
    assert board.post(url("measure_value_edit", recorded.pk), {"value": "1"}).status_code == 403
    assert board.post(url("measure_value_delete", recorded.pk)).status_code == 403
    assert MeasureValue.objects.get().value == 52
