"""The public page's results by student group: district-wide, for the published measures, read
live and masked below the district's smallest group whoever reads, in English and Spanish."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from district_plan.models import Measure
from tests.factories import DistrictResultFactory, StudentGroupFactory
from tests.helpers import query_budget


@pytest.fixture
def results(published, personas):
    measure = Measure.objects.get(name="Third graders reading on grade level")
    district = personas.district
    everyone = StudentGroupFactory(district=district, name="All students", order=0)
    special = StudentGroupFactory(district=district, name="Special education", order=1)
    for day, value in [(datetime.date(2025, 6, 30), "49"), (datetime.date(2026, 6, 30), "52.5")]:
        DistrictResultFactory(
            measure=measure, group=everyone, observed_on=day, value=Decimal(value), students=4100
        )
    DistrictResultFactory(measure=measure, group=special, value=Decimal("37.25"), students=12)
    return measure


def _results(page):
    start = page.index('<details class="results">')
    return page[start : page.index("</details>", start)]


def _url(personas, language):
    return reverse("public:plan_in", args=[personas.district.slug, language])


@pytest.mark.parametrize(
    ("language", "heading", "masked_note"),
    [
        ("en", "Results by student group", "fewer than 15 students, not shown"),
        ("es", "Resultados por grupo de estudiantes", "menos de 15 estudiantes, no se muestra"),
    ],
)
def test_families_read_results_by_group_with_small_groups_masked(
    client, personas, results, language, heading, masked_note
):
    personas.district.smallest_group_shown = 15
    personas.district.save()
    section = _results(client.get(_url(personas, language)).text)
    assert heading in section
    assert '<th scope="row"' in section
    assert ">All students</th>" in section
    assert '<th scope="col">2024–25</th><th scope="col">2025–26</th>' in section
    assert ">Special education</th>" in section
    assert ("52.5" if language == "en" else "52,5") in section
    assert masked_note in section
    assert "37.25" not in section
    assert "37,25" not in section


def test_the_cabinet_sees_the_public_page_masked_too(as_member, personas, results):
    personas.district.smallest_group_shown = 15
    personas.district.save()
    section = _results(as_member(personas.cabinet).get(_url(personas, "en")).text)
    assert "<td>52.5</td>" in section
    assert "37.25" not in section
    assert "small group" not in section


def test_a_result_and_a_new_threshold_show_at_once(client, personas, results):
    section = _results(client.get(_url(personas, "en")).text)
    assert "<td>37.25</td>" in section  # 12 students, over the default of 10
    personas.district.smallest_group_shown = 20
    personas.district.save()
    section = _results(client.get(_url(personas, "en")).text)
    assert "<td>37.25</td>" not in section
    assert "<td>52.5</td>" in section


def test_the_results_cost_one_query_however_many_groups(client, personas, results):
    for name in ("Hispanic", "White", "Asian", "Two or more races"):
        DistrictResultFactory(
            measure=results,
            group=StudentGroupFactory(district=personas.district, name=name, order=5),
            value=Decimal("50"),
            students=300,
        )
    with query_budget(8):
        page = client.get(_url(personas, "en")).text
    assert ">Two or more races</th>" in _results(page)
