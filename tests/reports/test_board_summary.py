"""The board summary's text, read from the HTML that WeasyPrint turns into the PDF."""

import datetime
from decimal import Decimal

import pytest

from reports.models import Report
from reports.rendering import report_html
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    DepartmentFactory,
    DistrictResultFactory,
    GoalFactory,
    MeasureFactory,
    PlanFactory,
    ProgramFactory,
    StudentGroupFactory,
    VisitFactory,
)


def section(html, heading):
    """The text of one section of the report, up to the next heading of its level."""
    start = html.index(f'<h2 id="{heading}">')
    end = html.find("<h2", start + 1)
    return html[start:end]


@pytest.mark.parametrize(
    ("language", "campus_team", "heading"),
    [
        ("en", "Lakeside Elementary leadership team", "Action items by owner"),
        (
            "es",
            "Equipo directivo de Lakeside Elementary",
            "Acciones de seguimiento por responsable",
        ),
    ],
)
def test_action_items_are_listed_by_the_names_of_their_owners(
    personas, language, campus_team, heading
):
    program = ProgramFactory(district=personas.district)
    elementary = personas.district.campuses.get(name="Lakeside Elementary")
    middle = CampusFactory(district=personas.district, name="Lakeside Middle")
    special_education = personas.district.departments.get(name="Special Education")
    math = DepartmentFactory(district=personas.district, name="Mathematics")
    ActionItemFactory(visit=VisitFactory(program=program, campus=elementary), status="done")
    ActionItemFactory(visit=VisitFactory(program=program, campus=middle))
    for campus in (elementary, middle):
        ActionItemFactory(
            visit=VisitFactory(program=program, campus=campus),
            owner="department",
            department=special_education,
        )
    ActionItemFactory(
        visit=VisitFactory(program=program, campus=middle), owner="department", department=math
    )
    report = Report.objects.create(
        district=personas.district, kind="board_summary", title="B", language=language
    )

    html, _ = report_html(report)
    owners = section(html, "actions")

    assert heading in owners
    for name in (campus_team, "Lakeside Middle", "Special Education", "Mathematics"):
        assert name in owners, name
    # Special Education owns one item at each campus: one row, not one per campus.
    assert owners.count("Special Education") == 2  # its row in the chart and in the table
    assert ">campus<" not in owners
    assert ">department<" not in owners


@pytest.mark.parametrize(
    ("language", "marked", "english"),
    [
        ("en", "attendance goal (proposed)</h3>", "grade 3</h3>"),
        # Untranslated goals show in English, marked as English, in the Spanish summary.
        ("es", "attendance goal</span> (propuesta)</h3>", "grade 3</span></h3>"),
    ],
)
def test_a_proposed_goal_is_marked_as_proposed_for_the_board(personas, language, marked, english):
    plan = PlanFactory(
        district=personas.district, status="adopted", adopted_on=datetime.date(2025, 8, 12)
    )
    GoalFactory(plan=plan, title="Every child reads by grade 3")
    GoalFactory(plan=plan, title="A pathway's attendance goal", status="proposed")
    report = Report.objects.create(
        district=personas.district, kind="board_summary", title="B", language=language
    )

    html, _ = report_html(report)

    assert f"A pathway&#x27;s {marked}" in html
    assert f"Every child reads by {english}" in html


def test_the_results_section_masks_small_groups_for_the_board(personas):
    district = personas.district
    plan = PlanFactory(district=district, status="adopted", adopted_on=datetime.date(2025, 8, 12))
    measure = MeasureFactory(goal=GoalFactory(plan=plan), name="Grade 3 reading")
    everyone = StudentGroupFactory(district=district, name="All students", order=0)
    special = StudentGroupFactory(district=district, name="Special education", order=1)
    DistrictResultFactory(measure=measure, group=everyone, value=Decimal("57"), students=4200)
    DistrictResultFactory(measure=measure, group=special, value=Decimal("43.5"), students=9)
    for name, value, students in [("Alder Creek", "40", 100), ("Birch Hill", "62", 120)]:
        campus = CampusFactory(district=district, name=name)
        DistrictResultFactory(
            measure=measure, campus=campus, group=everyone, value=Decimal(value), students=students
        )
        DistrictResultFactory(
            measure=measure, campus=campus, group=special, value=Decimal("99"), students=3
        )
    report = Report.objects.create(district=district, kind="board_summary", title="B")

    html, _ = report_html(report)
    results = section(html, "results")

    assert "Results by student group and campus</h2>" in results
    assert '<td>All students</td><td class="num">57</td>' in results
    assert "All students: 40, 62" not in results  # the campuses are spread, not listed
    assert "2 campuses, from 40 (Alder Creek) to 62 (Birch Hill)" in results
    assert '<th scope="col" class="num">2025–26</th>' in results
    assert "Across campuses, 2025–26" in results
    # Two campuses shown, lowest, median and highest, none at the target, none masked.
    assert '<td class="num">2</td><td class="num">40</td><td class="num">51</td>' in results
    assert 'Special education</td><td class="num">0</td>' in results  # both campuses masked
    assert "43.5" not in results
    assert "99" not in results
    assert "fewer than 10 students is not shown" in results


def test_theories_at_a_glance_reads_the_links_as_the_theory_pages_do(personas):
    from tests.factories import ActionFactory, StrandFactory, TheoryFactory
    from tests.helpers import travel_to
    from theories.selectors import theory_chains

    with travel_to("2026-12-07"):
        strand = StrandFactory(district=personas.district, name="Expectations")
        late = TheoryFactory(strand=strand, short_name="Coaching cycles", status="adopted")
        ActionFactory(theory=late, due_date=datetime.date(2026, 11, 1))
        TheoryFactory(strand=strand, short_name="Family nights")
        report = Report.objects.create(
            district=personas.district, kind="board_summary", title="B", language="en"
        )
        html, _ = report_html(report)
        chain = theory_chains(district=personas.district, theory_ids=[late.pk])[late.pk]

    glance = section(html, "theories-at-a-glance")
    assert "Theories at a glance: each link tested" in glance
    # The strand's row: one theory's IF not moving, the other's without data.
    assert "<td>Expectations</td><td>No data: 1; Not moving: 1</td>" in glance
    failing = glance[glance.index("Theories with a link not moving") :]
    assert "Coaching cycles" in failing
    assert "Family nights" not in failing
    assert [result.label for result in chain.links] == ["Not moving", "No data", "No data"]
    assert "<td>Not moving</td><td>No data</td><td>No data</td>" in failing


def test_the_spanish_board_summary_uses_the_districts_spanish_wording(personas):
    plan = PlanFactory(
        district=personas.district,
        status="adopted",
        adopted_on=datetime.date(2025, 8, 12),
        title_es="Plan de Lakeside",
    )
    GoalFactory(plan=plan, title="Every child reads by grade 3", title_es="Cada niño lee en 3.º")
    GoalFactory(plan=plan, title="Teachers stay")
    report = Report.objects.create(
        district=personas.district, kind="board_summary", title="B", language="es"
    )

    html, _ = report_html(report)

    goals = section(html, "plan")
    assert "Cada niño lee en 3.º</h3>" in goals
    assert "Every child reads by grade 3" not in goals
    assert '<span lang="en">Teachers stay</span></h3>' in goals
    assert "Plan de Lakeside" in goals
