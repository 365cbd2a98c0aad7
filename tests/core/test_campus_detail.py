"""A campus's page: its profile and leaders, and what the apps above know of it (core.hooks
.campus_sections): its visits, open action items, look-fors seen beside the district's rate,
and its Discovery ratings."""

import datetime

import pytest
from django.urls import reverse

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import Indicator
from benchmarking.services import analysis_create, consensus_record, evidence_add, finding_add
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    LookForFactory,
    ProgramFactory,
    VisitFactory,
)
from tests.helpers import page_queries, query_budget, travel_to
from visits.models import Observation

TODAY = "2026-11-17"


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


def page(campus):
    return reverse("core:campus", args=["lakeside", campus.pk])


@pytest.fixture
def campus(personas):
    return personas.campus_leader.memberships.get().campuses.get()


def observe(visit, look_fors=(), **fields):
    observation = Observation.objects.create(
        district=visit.district, visit=visit, kind="classroom", **fields
    )
    observation.look_fors.set(look_fors)
    return observation


def test_shows_the_campus_its_principal_enrollment_and_leaders(as_member, personas, campus):
    campus.principal = "Dr. Ana Peña"
    campus.enrollment = 512
    campus.save()
    text = as_member(personas.board).get(page(campus)).text
    assert "Lakeside Elementary" in text
    assert "Dr. Ana Peña" in text
    assert "512 students" in text
    assert personas.campus_leader.full_name in text


def test_lists_the_next_and_latest_visits_and_open_items_overdue_first(as_member, personas, campus):
    program = ProgramFactory(district=personas.district, name="Cohort A rotation")
    VisitFactory(program=program, campus=campus, date=datetime.date(2026, 12, 3))
    done = VisitFactory(
        program=program, campus=campus, date=datetime.date(2026, 10, 6), status="closed"
    )
    ActionItemFactory(
        visit=done, description="Post anchor charts", due_date=datetime.date(2026, 12, 1)
    )
    ActionItemFactory(
        visit=done, description="Plan PLC agendas", due_date=datetime.date(2026, 11, 1)
    )
    ActionItemFactory(visit=done, description="Already done", status="done")
    other = VisitFactory(program=program, campus=CampusFactory(district=personas.district))
    ActionItemFactory(visit=other, description="Another campus's item")
    text = as_member(personas.campus_leader).get(page(campus)).text
    assert "Cohort A rotation" in text
    assert "Thursday, December 3, 2026" in text or "December 3, 2026" in text
    assert "2 open" in text
    assert "1 overdue" in text
    assert text.index("Plan PLC agendas") < text.index("Post anchor charts")
    assert "Already done" not in text
    assert "Another campus&#x27;s item" not in text
    assert "Another campus's item" not in text


def test_look_fors_seen_are_shared_as_rates_beside_the_districts(as_member, personas, campus):
    program = ProgramFactory(district=personas.district)
    charts = LookForFactory(program=program, text="Anchor charts in use")
    talk = LookForFactory(program=program, text="Students explain their thinking")
    here = VisitFactory(program=program, campus=campus, date=datetime.date(2026, 10, 6))
    there = VisitFactory(
        program=program,
        campus=CampusFactory(district=personas.district),
        date=datetime.date(2026, 10, 13),
    )
    observe(here, [charts, talk])
    observe(here, [charts], private=True, notes="Not for the page")
    observe(there, [talk])
    observe(there, [])
    text = as_member(personas.board).get(page(campus)).text
    assert "2 observations at this campus, 4 in the district" in text
    row = text[text.index("Anchor charts in use") :]
    assert row.index("100%") < row.index("50%") < row.index("</tr>")
    row = text[text.index("Students explain their thinking") :]
    assert "<td>50%</td><td>50%</td>" in row[: row.index("</tr>")]
    assert "Not for the page" not in text


def test_shows_the_latest_analysis_ratings_and_the_findings_citing_the_campus(
    as_member, personas, campus
):
    framework = framework_copy(framework=built_in_framework(), district=personas.district)
    analysis = analysis_create(
        district=personas.district,
        user=personas.cabinet,
        name="Discovery 2026",
        framework=framework,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
        campuses=[campus],
    )
    first = Indicator.objects.filter(building_block__framework=framework).order_by(
        "building_block__order", "order"
    )[0]
    consensus_record(analysis=analysis, user=None, indicator=first, campus=campus, level=2)
    consensus_record(analysis=analysis, user=None, indicator=first, campus=None, level=3)
    evidence = evidence_add(
        analysis=analysis,
        user=personas.cabinet,
        kind="observation",
        collected_on=datetime.date(2026, 3, 2),
        summary="Walkthrough notes",
        campus=campus,
    )
    finding_add(
        analysis=analysis,
        user=None,
        kind="gap",
        text="Feedback cycles are rare",
        evidence=[evidence],
    )
    finding_add(analysis=analysis, user=None, kind="need", text="District-wide scheduling")
    text = as_member(personas.board).get(page(campus)).text
    block = first.building_block.name
    row = text[text.index(f'<th scope="row">{block}</th>') :]
    assert row[: row.index("</tr>")].count("<td>") == 3
    assert "<td>2</td><td>3</td><td>4</td>" in row[: row.index("</tr>")]
    assert "Feedback cycles are rare" in text
    assert "District-wide scheduling" not in text


def test_a_campus_no_analysis_covers_shows_no_discovery_section(as_member, personas, campus):
    text = as_member(personas.board).get(page(campus)).text
    assert "Open action items" in text
    assert "Discovery ratings" not in text


def test_campus_of_another_district_is_404(as_member, personas):
    foreign = CampusFactory(district=personas.other_district)
    assert as_member(personas.admin).get(page(foreign)).status_code == 404


def test_outsider_gets_404(as_member, personas):
    campus = CampusFactory(district=personas.district)
    assert as_member(personas.outsider).get(page(campus)).status_code == 404


def test_query_count_is_the_same_for_a_quiet_and_a_busy_campus(as_member, personas, campus):
    client = as_member(personas.cabinet)
    quiet = page_queries(client, page(campus))
    program = ProgramFactory(district=personas.district)
    look_for = LookForFactory(program=program)
    for day in range(1, 20):
        visit = VisitFactory(
            program=program, campus=campus, date=datetime.date(2026, 10, day), status="closed"
        )
        observe(visit, [look_for])
        ActionItemFactory(visit=visit)
    busy = page_queries(client, page(campus))
    assert quiet == busy
    with query_budget(14):
        client.get(page(campus))
