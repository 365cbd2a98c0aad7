import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from district_plan.models import Measure, MeasureValue
from tests.factories import (
    GoalFactory,
    MeasureFactory,
    MeasureValueFactory,
    PlanFactory,
    StrandFactory,
    TheoryFactory,
)
from tests.helpers import travel_to

# The measures and due dates below are relative to this day, whatever day the suite runs.
TODAY = datetime.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


def url(name, *args):
    return reverse(f"plan:{name}", args=["lakeside", *args])


@pytest.fixture
def goal(personas):
    return GoalFactory(plan=PlanFactory(district=personas.district))


def measure_data(**changes):
    data = {
        "name": "Readers",
        "unit": "%",
        "direction": "up",
        "baseline": "40",
        "baseline_date": "2025-06-01",
        "target": "70",
        "target_date": "2028-06-01",
        "update_cycle": "yearly",
    }
    return data | changes


def test_add_a_measure_to_a_goal(as_member, personas, goal):
    response = as_member(personas.cabinet).post(
        url("measure_new") + f"?goal={goal.pk}", measure_data()
    )
    assert response.status_code == 302
    assert Measure.objects.get().goal == goal


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_date": "2024-01-01"}, "The target date must come after the baseline date."),
        ({"baseline": "forty"}, "Enter a number, such as 42 or 42.5."),
        ({"target": "30"}, "When up is good, the target must be above the baseline."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_measures_are_explained_and_not_saved(as_member, personas, goal, changes, message):
    response = as_member(personas.cabinet).post(
        url("measure_new") + f"?goal={goal.pk}", measure_data(**changes)
    )
    assert message in response.text
    assert not Measure.objects.exists()


def test_record_a_value_and_see_it_on_the_chart_and_in_history(as_member, personas, goal):
    measure = MeasureFactory(goal=goal)
    client = as_member(personas.cabinet)
    client.post(
        url("measure", measure.pk),
        {"observed_on": TODAY.isoformat(), "value": "55.5", "note": "Spring"},
    )
    page = client.get(url("measure", measure.pk)).text
    assert "55.5 %" in page
    assert "latest 55.5 %" in page  # the chart's text alternative
    history = client.get(url("measure_history", measure.pk)).text
    assert "Measure value: " in history
    assert "<td>55.5</td>" in history
    assert "<td>Spring</td>" in history


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"observed_on": "2026-13-40", "value": "5"}, "Enter a valid date."),
        (
            {"observed_on": (TODAY + datetime.timedelta(days=3)).isoformat(), "value": "5"},
            "cannot be dated in the future",
        ),
        ({"observed_on": TODAY.isoformat(), "value": "abc"}, "Enter a number"),
    ],
)
def test_bad_values_are_explained(as_member, personas, goal, data, message):
    measure = MeasureFactory(goal=goal)
    response = as_member(personas.cabinet).post(url("measure", measure.pk), data)
    assert message in response.text
    assert not MeasureValue.objects.exists()


def test_board_cannot_record_values(as_member, personas, goal):
    measure = MeasureFactory(goal=goal)
    response = as_member(personas.board).post(
        url("measure", measure.pk), {"observed_on": TODAY.isoformat(), "value": "5"}
    )
    assert response.status_code == 403


def upload(client, text):
    return client.post(
        url("measures_import"), {"file": SimpleUploadedFile("m.csv", text.encode(), "text/csv")}
    )


def export(client):
    return client.get(url("measures_export")).content.decode("utf-8-sig")


def test_export_then_import_the_same_file_changes_nothing(as_member, personas, goal):
    MeasureValueFactory(measure=MeasureFactory(goal=goal), observed_on=TODAY, value=50)
    client = as_member(personas.cabinet)
    response = upload(client, export(client))
    assert "Nothing to change" in response.text
    assert "1</strong> unchanged" in response.text


def test_bulk_update_dry_run_then_confirm(as_member, personas, goal):
    measure = MeasureFactory(goal=goal)
    MeasureValueFactory(measure=measure, observed_on=TODAY - datetime.timedelta(days=90), value=45)
    client = as_member(personas.cabinet)
    lines = export(client).strip().splitlines()
    header, row = lines[0], lines[1].split(",")
    changed = ",".join([*row[:-3], (TODAY - datetime.timedelta(days=90)).isoformat(), "47", ""])
    added = ",".join([*row[:-3], TODAY.isoformat(), "52", "fall"])
    rejected = ",".join(["999999", *row[1:-3], TODAY.isoformat(), "x", ""])
    response = upload(client, "\n".join([header, changed, added, rejected]))
    assert "1</strong> to add" in response.text
    assert "1</strong> to change" in response.text
    assert "No measure with id “999999” in this district." in response.text
    assert "is not a number" in response.text
    assert MeasureValue.objects.count() == 1
    token = response.context["confirm_form"].initial["token"]
    response = client.post(url("measures_import"), {"token": token}, follow=True)
    assert "1 added, 1 changed, 0 unchanged, 1 rejected" in response.text
    assert sorted(MeasureValue.objects.values_list("value", flat=True)) == [47, 52]


def test_a_file_that_is_not_the_export_is_explained(as_member, personas):
    response = upload(as_member(personas.cabinet), "name,score\na,1\n")
    assert "these columns are missing: measure_id, date, value" in response.text


def test_measure_of_another_district_is_rejected_in_a_bulk_update(as_member, personas, goal):
    foreign = MeasureFactory(goal=GoalFactory(plan=PlanFactory(district=personas.other_district)))
    response = upload(
        as_member(personas.cabinet), f"measure_id,date,value\n{foreign.pk},{TODAY},5\n"
    )
    assert f"No measure with id “{foreign.pk}” in this district." in response.text


@pytest.mark.parametrize("target_date", ["2040-06-01", "2020-06-01"])
def test_a_goal_measure_target_far_outside_the_plan_years_is_refused(
    as_member, personas, goal, target_date
):
    # The plan runs over the school years 2025-26 to 2027-28.
    response = as_member(personas.cabinet).post(
        url("measure_new") + f"?goal={goal.pk}",
        measure_data(baseline_date="2019-06-01", target_date=target_date),
    )
    assert response.status_code == 200
    assert "within the plan&#x27;s school years, give or take two years" in response.text
    assert not Measure.objects.exists()


def test_a_goal_measure_target_just_after_the_plan_is_accepted(as_member, personas, goal):
    response = as_member(personas.cabinet).post(
        url("measure_new") + f"?goal={goal.pk}", measure_data(target_date="2029-06-30")
    )
    assert response.status_code == 302


def test_a_theory_measure_target_far_from_today_is_refused(as_member, personas):
    theory = TheoryFactory(strand=StrandFactory(district=personas.district))
    response = as_member(personas.cabinet).post(
        url("measure_new") + f"?theory={theory.pk}", measure_data(target_date="2099-06-01")
    )
    assert "Choose a target date within five years of today." in response.text
    assert not Measure.objects.exists()


def test_an_old_measure_stays_editable_when_its_target_date_is_untouched(as_member, personas, goal):
    measure = MeasureFactory(
        goal=goal, baseline_date=datetime.date(2010, 1, 1), target_date=datetime.date(2012, 1, 1)
    )
    response = as_member(personas.cabinet).post(
        url("measure_edit", measure.pk),
        measure_data(
            name="Renamed", baseline_date="2010-01-01", target_date="2012-01-01", version=1
        ),
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.name == "Renamed"


def test_a_value_dated_before_the_baseline_is_refused(as_member, personas, goal):
    measure = MeasureFactory(goal=goal, baseline_date=datetime.date(2025, 6, 1))
    response = as_member(personas.cabinet).post(
        url("measure", measure.pk), {"observed_on": "2025-05-31", "value": "5"}
    )
    assert response.status_code == 200
    assert "A value cannot be dated before the baseline date" in response.text
    assert not MeasureValue.objects.exists()


def test_a_csv_value_dated_before_the_baseline_is_a_row_error(as_member, personas, goal):
    measure = MeasureFactory(goal=goal, baseline_date=datetime.date(2025, 6, 1))
    response = upload(
        as_member(personas.cabinet), f"measure_id,date,value\n{measure.pk},2025-05-31,5\n"
    )
    assert "A value cannot be dated before the baseline date" in response.text
    assert "1</strong> rejected" in response.text
    assert not MeasureValue.objects.exists()


@pytest.mark.parametrize("typed", ["11/15/2026", "11/15/26", "2026-11-15", "1/5/2026"])
def test_dates_as_spreadsheets_write_them_are_read_in_the_csv(as_member, personas, goal, typed):
    measure = MeasureFactory(goal=goal, baseline_date=datetime.date(2025, 6, 1))
    client = as_member(personas.cabinet)
    response = upload(client, f"measure_id,date,value\n{measure.pk},{typed},55\n")
    assert "1</strong> to add" in response.text
    token = response.context["confirm_form"].initial["token"]
    client.post(url("measures_import"), {"token": token})
    expected = datetime.date(2026, 1, 5) if typed == "1/5/2026" else datetime.date(2026, 11, 15)
    assert MeasureValue.objects.get().observed_on == expected


@pytest.mark.parametrize("typed", ["15/11/2026", "11/15/1899", "2/30/2026"])
def test_dates_that_are_not_dates_are_row_errors(as_member, personas, goal, typed):
    measure = MeasureFactory(goal=goal)
    response = upload(
        as_member(personas.cabinet), f"measure_id,date,value\n{measure.pk},{typed},5\n"
    )
    assert "1</strong> rejected" in response.text


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ('"55,5"', "not a thousands separator"),
        ("*", "suppressed value"),
        ("<10", "suppressed value"),
        ("--", "suppressed value"),
    ],
)
def test_values_the_results_import_refuses_are_refused_here_too(
    as_member, personas, goal, typed, reason
):
    # One reader of values for both imports: a decimal comma is not read as 555 here either.
    measure = MeasureFactory(goal=goal)
    response = upload(
        as_member(personas.cabinet), f"measure_id,date,value\n{measure.pk},{TODAY},{typed}\n"
    )
    assert reason in response.text
    assert "1</strong> rejected" in response.text


def test_thousands_separators_and_percent_signs_are_read(as_member, personas, goal):
    measure = MeasureFactory(goal=goal)
    client = as_member(personas.cabinet)
    response = upload(
        client,
        f'measure_id,date,value\n{measure.pk},{TODAY},"1,204"\n'
        f"{measure.pk},{TODAY - datetime.timedelta(days=30)},55.5%\n",
    )
    client.post(
        url("measures_import"), {"token": response.context["confirm_form"].initial["token"]}
    )
    assert sorted(MeasureValue.objects.values_list("value", flat=True)) == [55.5, 1204]


def test_a_measure_id_in_other_digits_is_rejected_in_a_bulk_update(as_member, personas, goal):
    response = upload(as_member(personas.cabinet), f"measure_id,date,value\n²,{TODAY},5\n")
    assert "No measure with id “²” in this district." in response.text


def test_the_record_value_form_offers_today_as_the_date(as_member, personas, goal):
    measure = MeasureFactory(goal=goal, baseline_date=datetime.date(2025, 6, 1))
    text = as_member(personas.cabinet).get(url("measure", measure.pk)).text
    assert f'name="observed_on" value="{TODAY.isoformat()}"' in text
