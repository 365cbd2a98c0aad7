"""A campus's page: its profile and leaders, and what the apps above know of it (core.hooks
.campus_sections): its visits, open action items, look-fors seen beside the district's rate,
and its Discovery ratings."""

import datetime

import pytest
from django.urls import reverse

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import Indicator
from benchmarking.services import analysis_create, consensus_record, evidence_add, finding_add
from district_plan.models import MeasureResult
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    GoalFactory,
    GroupEnrollmentFactory,
    LookForFactory,
    MeasureFactory,
    MeasureResultFactory,
    PlanFactory,
    ProgramFactory,
    StudentGroupFactory,
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
    # The plan's sections (the plan, the results, the campuses like it) are kept between
    # changes: 11 and the change marker.
    with query_budget(12):
        client.get(page(campus))


def alike_district(district, campus):
    """`campus` (500 students, half of them economically disadvantaged) and three others: a
    twin of its level, a bigger one of its level and a high school of its very size; a reading
    measure (up is good) and an absence measure (down is good) with results at each."""
    campus.enrollment = 500
    campus.save()
    poor = StudentGroupFactory(district=district, name="Economically disadvantaged")
    plan = PlanFactory(district=district)
    reading = MeasureFactory(goal=GoalFactory(plan=plan), name="Grade 3 reading")
    absence = MeasureFactory(
        goal=GoalFactory(plan=plan),
        name="Chronic absence",
        direction="down",
        baseline=30,
        target=10,
    )
    made = {"here": campus}
    for key, name, level, enrollment in [
        ("twin", "Twin Elementary", "elementary", 520),
        ("big", "Big Elementary", "elementary", 1500),
        ("high", "Same Size High", "high", 500),
    ]:
        made[key] = CampusFactory(district=district, name=name, level=level, enrollment=enrollment)
    for key, students, reading_value, absence_value in [
        ("here", 500, 50, 10),
        ("twin", 520, 60, 12),
        ("big", 1500, 40, 8),
        ("high", 500, 70, 5),
    ]:
        here = made[key]
        GroupEnrollmentFactory(campus=here, students=students)
        GroupEnrollmentFactory(campus=here, group=poor, students=students // 2)
        MeasureResultFactory(measure=reading, campus=here, value=reading_value, students=students)
        MeasureResultFactory(measure=absence, campus=here, value=absence_value, students=students)
    # An older result is not the latest.
    MeasureResultFactory(
        measure=reading, campus=made["big"], value=99, observed_on=datetime.date(2025, 6, 30)
    )
    return made


def comparable_section(text):
    start = text.index('id="comparable-heading"')
    return text[start : text.index("</section>", start)]


def row_of(section, name):
    row = section[section.index(name) :]
    return row[: row.index("</tr>")]


def test_campuses_like_this_one_are_listed_with_their_results_the_better_ones_marked(
    as_member, personas, campus
):
    alike_district(personas.district, campus)
    section = comparable_section(as_member(personas.board).get(page(campus)).text)
    assert "same level first" in section
    assert section.index("Twin Elementary") < section.index("Big Elementary")
    assert section.index("Big Elementary") < section.index("Same Size High")
    assert "<td>50</td><td>10</td>" in row_of(section, 'badge muted">this campus')
    # Reading: up is good, 60 beats 50; absence: down is good, 12 does not beat 10.
    twin = row_of(section, "Twin Elementary")
    assert '<strong>60</strong> <span class="badge ok">better</span></td><td>12</td>' in twin
    assert "<td>1 of 2</td>" in twin
    big = row_of(section, "Big Elementary")
    assert '<td>40</td><td><strong>8</strong> <span class="badge ok">better</span>' in big
    assert "Compare with more campuses" in section


def test_the_campuses_like_this_one_follow_a_changed_result(as_member, personas, campus):
    made = alike_district(personas.district, campus)
    client = as_member(personas.board)
    twin = row_of(comparable_section(client.get(page(campus)).text), "Twin Elementary")
    assert "<strong>60</strong>" in twin
    MeasureResult.objects.filter(campus=made["twin"], measure__name="Grade 3 reading").update(
        value=45
    )
    twin = row_of(comparable_section(client.get(page(campus)).text), "Twin Elementary")
    assert "<td>45</td>" in twin
    assert "<td>0 of 2</td>" in twin


def test_a_small_groups_result_among_alike_campuses_is_masked_and_never_marked_better(
    as_member, personas, campus
):
    made = alike_district(personas.district, campus)
    MeasureResult.objects.filter(campus=made["twin"], measure__name="Grade 3 reading").update(
        students=personas.district.smallest_group_shown - 1
    )
    board = comparable_section(as_member(personas.board).get(page(campus)).text)
    twin = row_of(board, "Twin Elementary")
    assert "<abbr" in twin
    assert "60" not in twin
    assert "<td>0 of 2</td>" in twin
    cabinet = comparable_section(as_member(personas.cabinet).get(page(campus)).text)
    twin = row_of(cabinet, "Twin Elementary")
    assert "small group" in twin
    assert "<td>1 of 2</td>" in twin


def test_the_alike_campuses_cost_the_same_questions_in_a_small_and_a_large_district(
    as_member, personas, campus
):
    alike_district(personas.district, campus)
    client = as_member(personas.cabinet)
    few = page_queries(client, page(campus))
    poor = StudentGroupFactory(district=personas.district, name="Economically disadvantaged")
    reading = MeasureResult.objects.filter(campus=campus).first().measure
    # Thirty campuses about as alike as its twin, each with two years of results.
    for n in range(30):
        other = CampusFactory(district=personas.district, enrollment=501 + n)
        GroupEnrollmentFactory(campus=other, students=501 + n)
        GroupEnrollmentFactory(campus=other, group=poor, students=(501 + n) // 2)
        MeasureResultFactory(measure=reading, campus=other, value=n)
        MeasureResultFactory(
            measure=reading, campus=other, value=n, observed_on=datetime.date(2025, 6, 30)
        )
    assert page_queries(client, page(campus)) == few
