"""Charts of the results by student group and by campus, on the measure's page and the campus's
page: drawn only from what the reader may see, so a small group's result is in neither the
chart nor its text alternative for anyone beyond the cabinet."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from district_plan.selectors import results_beyond_cabinet
from tests.factories import (
    CampusFactory,
    DistrictResultFactory,
    GoalFactory,
    MeasureFactory,
    PlanFactory,
    StudentGroupFactory,
)
from tests.helpers import query_budget, travel_to

LAST_YEAR, THIS_YEAR = datetime.date(2025, 6, 30), datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _today():
    with travel_to("2026-11-17"):
        yield


def chart(html, chart_id):
    """The SVG whose title has this id, and its readable text (title, description, labels)."""
    start = html.rindex("<svg", 0, html.index(f'id="{chart_id}-title"'))
    svg = html[start : html.index("</svg>", start)]
    return svg, " ".join(re.sub(r"<[^>]+>", " ", svg).split())


@pytest.fixture
def measure(personas):
    measure = MeasureFactory(
        goal=GoalFactory(plan=PlanFactory(district=personas.district)),
        name="Grade 3 reading",
        target=Decimal("80"),
    )
    district = personas.district
    everyone = StudentGroupFactory(district=district, name="All students", order=0)
    special = StudentGroupFactory(district=district, name="Special education", order=3)
    hispanic = StudentGroupFactory(district=district, name="Hispanic", order=4)
    for group, day, value, students in [
        (everyone, LAST_YEAR, "55", 4100),
        (everyone, THIS_YEAR, "57", 4200),
        (special, LAST_YEAR, "41.5", 8),
        (special, THIS_YEAR, "43.5", 9),
        (hispanic, THIS_YEAR, "58.2", 300),
    ]:
        DistrictResultFactory(
            measure=measure, group=group, observed_on=day, value=Decimal(value), students=students
        )
    for name, value, students in [
        ("Alder Creek", "40", 100),
        ("Birch Hill", "60", 120),
        ("Cedar Park", "80", 90),
        ("Dune Flats", "99", 5),
    ]:
        DistrictResultFactory(
            measure=measure,
            campus=CampusFactory(district=district, name=name),
            group=everyone,
            value=Decimal(value),
            students=students,
        )
    return measure


def measure_page(as_member, person, measure):
    return as_member(person).get(reverse("plan:measure", args=["lakeside", measure.pk])).text


def test_the_group_chart_draws_each_group_over_the_years_without_small_groups(
    as_member, personas, measure
):
    svg, text = chart(measure_page(as_member, personas.board, measure), "results-groups")
    assert "Grade 3 reading by student group, district-wide" in text
    assert "All students: 55 in 2024–25, 57 in 2025–26" in text
    assert "Hispanic: 58.2 in 2025–26" in text
    assert "Target 80" in text
    assert "Results for fewer than 10 students are not shown." in text
    assert "Special education" not in text
    assert "41.5" not in text
    assert "43.5" not in text
    assert svg.count("<polyline") == 1  # All students; Hispanic has one year, a lone marker


def test_the_cabinet_sees_small_groups_in_the_group_chart(as_member, personas, measure):
    _svg, text = chart(measure_page(as_member, personas.cabinet, measure), "results-groups")
    assert "Special education: 41.5 in 2024–25, 43.5 in 2025–26" in text
    assert "All students: 55 in 2024–25, 57 in 2025–26" in text
    assert "not shown" not in text


def test_the_campus_chart_spreads_the_campuses_with_the_district_and_the_target(
    as_member, personas, measure
):
    svg, text = chart(measure_page(as_member, personas.board, measure), "results-campuses")
    assert "Grade 3 reading, All students, by campus, 2025–26" in text
    assert "3 campuses, from 40 (Alder Creek) to 80 (Cedar Park)" in text
    assert "the median is 60" in text
    assert "District: 57." in text
    assert "1 of 3 campuses meet the target of 80." in text
    assert "Results for fewer than 10 students are not shown." in text
    assert "Dune Flats" not in text
    assert "99" not in text
    assert svg.count("h0") == 3  # one dot a campus, in one path


def test_the_cabinet_sees_every_campus_in_the_campus_chart(as_member, personas, measure):
    svg, text = chart(measure_page(as_member, personas.cabinet, measure), "results-campuses")
    assert "4 campuses, from 40 (Alder Creek) to 99 (Dune Flats)" in text
    assert svg.count("h0") == 4


def test_the_campus_page_charts_its_groups_beside_the_districts(as_member, personas, measure):
    campus = personas.district.campuses.get(name="Alder Creek")
    DistrictResultFactory(
        measure=measure,
        campus=campus,
        group=StudentGroupFactory(district=personas.district, name="Hispanic"),
        value=Decimal("33.3"),
        students=4,
    )
    html = as_member(personas.board).get(reverse("core:campus", args=["lakeside", campus.pk])).text
    _svg, text = chart(html, f"campus-results-{measure.pk}")
    assert "Grade 3 reading at Alder Creek and district-wide, 2025–26" in text
    assert "All students: Alder Creek 40, District 57" in text
    assert "Hispanic: Alder Creek –, District 58.2" in text
    assert "Results for fewer than 10 students are not shown." in text
    assert "33.3" not in text


def test_the_board_and_public_results_take_three_queries_however_many_campuses(personas, measure):
    def read():
        with query_budget(3) as captured:
            found = results_beyond_cabinet(district=personas.district, measures=[measure])
        return len(captured.captured_queries), found[measure.pk]

    few, before = read()
    everyone = StudentGroupFactory(district=personas.district, name="All students")
    for n in range(12):
        DistrictResultFactory(
            measure=measure,
            campus=CampusFactory(district=personas.district, name=f"Campus {n}"),
            group=everyone,
            value=Decimal(50 + n),
        )
    many, after = read()
    assert few == many
    assert [(row.group.name, row.spread.count, row.masked) for row in before["spreads"]] == [
        ("All students", 3, 1)
    ]
    assert after["spreads"][0].spread.count == 15
