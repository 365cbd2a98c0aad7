"""A campus's comparison page (/plan/campuses/<id>/comparable/): more alike campuses than its
page shows, on every measure with campus results."""

import pytest
from django.urls import reverse

from tests.core.test_campus_detail import alike_district
from tests.factories import (
    CampusFactory,
    GroupEnrollmentFactory,
    MeasureFactory,
    MeasureResultFactory,
    StrandFactory,
    TheoryFactory,
)
from tests.helpers import page_queries, query_budget, travel_to


@pytest.fixture(autouse=True)
def _today():
    with travel_to("2026-11-17"):
        yield


@pytest.fixture
def campus(personas):
    return personas.campus_leader.memberships.get().campuses.get()


def url(campus, slug="lakeside"):
    return reverse("plan:comparable", args=[slug, campus.pk])


def test_lists_more_alike_campuses_than_the_campus_page_and_every_measure(
    as_member, personas, campus
):
    alike_district(personas.district, campus)
    theory = TheoryFactory(strand=StrandFactory(district=personas.district))
    coaching = MeasureFactory(
        goal=None, theory=theory, district=personas.district, name="Coaching cycles completed"
    )
    MeasureResultFactory(measure=coaching, campus=campus, value=3)
    for n in range(6):
        CampusFactory(district=personas.district, name=f"Extra {n} Elementary", enrollment=600)
    response = as_member(personas.board).get(url(campus))
    assert response.status_code == 200
    text = response.text
    assert "Campuses like Lakeside Elementary" in text
    assert "same level first" in text
    assert "Coaching cycles completed" in text
    assert text.count("Extra ") == 6
    assert text.index("Twin Elementary") < text.index("Extra 0 Elementary")
    assert text.index("Extra 5 Elementary") < text.index("Same Size High")


def test_another_districts_campus_is_404(as_member, personas):
    foreign = CampusFactory(district=personas.other_district)
    assert as_member(personas.admin).get(url(foreign)).status_code == 404


def test_outsider_gets_404(as_member, personas, campus):
    assert as_member(personas.outsider).get(url(campus)).status_code == 404


def test_asks_the_same_questions_of_a_small_and_a_large_district(as_member, personas, campus):
    made = alike_district(personas.district, campus)
    client = as_member(personas.cabinet)
    few = page_queries(client, url(campus))
    measure = MeasureFactory(goal__plan__district=personas.district, name="Attendance")
    for n in range(40):
        other = CampusFactory(district=personas.district, enrollment=450 + n)
        GroupEnrollmentFactory(campus=other, students=450 + n)
        MeasureResultFactory(measure=measure, campus=other, value=n)
    MeasureResultFactory(measure=measure, campus=made["here"], value=20)
    assert page_queries(client, url(campus)) == few
    with query_budget(6):
        client.get(url(campus))
