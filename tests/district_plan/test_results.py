"""Results by campus and student group: a state-shaped CSV in long format, previewed then
confirmed (district_plan.result_csv, services.measure_results_apply), shown on the measure's
page and the campus's page, with groups under the district's smallest size masked beyond the
cabinet."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from district_plan.models import MeasureResult, StudentGroup
from district_plan.result_csv import plan_results_import, read_school_year
from district_plan.services import measure_results_apply
from tests.factories import CampusFactory, GoalFactory, MeasureFactory, PlanFactory
from tests.helpers import page_queries, query_budget, travel_to

TODAY = "2026-11-17"

CSV = """Campus,Student Group,Indicator,School Year,Percent,Students
Lakeside Elementary,All Students,Grade 3 reading,2025-26,61.5,240
Lakeside Elementary,Special Education,Grade 3 reading,2025-26,38,8
Lakeside Elementary,Hispanic,Grade 3 reading,2025-26,58.2,120
District,All Students,Grade 3 reading,2025-26,55.0,4100
Lakeside Elementary,Emergent Bilingual,Grade 3 reading,2025-26,*,
"""


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


@pytest.fixture
def measure(personas):
    plan = PlanFactory(district=personas.district)
    return MeasureFactory(goal=GoalFactory(plan=plan), name="Grade 3 reading")


def url(name, *args):
    return reverse(f"plan:{name}", args=["lakeside", *args])


def test_school_years_are_read_as_the_june_they_end():
    assert read_school_year("2025-26") == datetime.date(2026, 6, 30)
    assert read_school_year("2025–2026") == datetime.date(2026, 6, 30)
    assert read_school_year("2026") == datetime.date(2026, 6, 30)
    assert read_school_year("2026-05-31") == datetime.date(2026, 5, 31)
    for bad in ("2025-27", "next year", "²⁰²⁶"):
        with pytest.raises(ValueError, match=r"."):
            read_school_year(bad)


def test_the_preview_says_what_each_row_does_and_names_new_groups(personas, measure):
    plan = plan_results_import(personas.district, CSV)
    assert [row.action for row in plan.rows] == ["create"] * 4 + ["reject"]
    assert "stands for a suppressed value" in plan.rows[4].errors[0]
    assert plan.rows[3].campus is None
    assert plan.new_groups == [
        "All Students",
        "Emergent Bilingual",
        "Hispanic",
        "Special Education",
    ]
    assert not MeasureResult.objects.exists()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Nowhere High,All students,Grade 3 reading,2025-26,50,", "No campus named"),
        (",All students,Grade 3 reading,2025-26,50,", "write District"),
        ("District,,Grade 3 reading,2025-26,50,", "student group is empty"),
        ("District,All students,Math,2025-26,50,", "No measure named"),
        ("District,All students,Grade 3 reading,someday,50,", "is not a school year"),
        ("District,All students,Grade 3 reading,2031-32,50,", "has not begun"),
        ("District,All students,Grade 3 reading,2025-26,fifty,", "is not a number"),
        ("District,All students,Grade 3 reading,2025-26,NaN,", "is not a number"),
        ("District,All students,Grade 3 reading,2025-26,50,-4", "must be a whole number"),
        ("District,All students,Grade 3 reading,2025-26,<5,", "suppressed"),
        ('District,All students,Grade 3 reading,2025-26,"55,5",', "not a thousands separator"),
    ],
)
def test_bad_rows_are_rejected_with_a_reason(personas, measure, row, reason):
    text = f"Campus,Group,Measure,Year,Value,Students\n{row}\n"
    [planned] = plan_results_import(personas.district, text).rows
    assert planned.action == "reject"
    assert any(reason in error for error in planned.errors), planned.errors


def test_a_file_without_the_columns_says_which_are_missing(as_member, personas, measure):
    response = as_member(personas.cabinet).post(
        url("results_import"),
        {
            "file": SimpleUploadedFile(
                "r.csv", b"School,Subgroup,Score\nLakeside Elementary,All,5\n"
            )
        },
    )
    assert "none was found for: measure, year" in response.text
    assert not MeasureResult.objects.exists()


def test_another_districts_campus_and_measure_are_not_found(personas, measure):
    CampusFactory(district=personas.other_district, name="Hillcrest High")
    other = MeasureFactory(
        goal=GoalFactory(plan=PlanFactory(district=personas.other_district)), name="Hill math"
    )
    text = (
        "Campus,Group,Measure,Year,Value\n"
        "Hillcrest High,All students,Grade 3 reading,2025-26,50\n"
        f"District,All students,{other.pk},2025-26,50\n"
    )
    assert [r.action for r in plan_results_import(personas.district, text).rows] == [
        "reject",
        "reject",
    ]


def test_confirming_saves_every_accepted_row_and_a_second_import_changes_nothing(
    as_member, personas, measure
):
    client = as_member(personas.cabinet)
    preview = client.post(
        url("results_import"), {"file": SimpleUploadedFile("r.csv", CSV.encode())}
    )
    assert "Hispanic" in preview.text
    assert "Save 4 results" in preview.text
    token = preview.context["confirm_form"].initial["token"]
    done = client.post(url("results_import"), {"token": token})
    assert done.status_code == 302
    assert MeasureResult.objects.count() == 4
    names = list(
        StudentGroup.objects.filter(district=personas.district).values_list("name", flat=True)
    )
    # The district's default groups, matched whatever the case, and the group the file named.
    assert names == [
        "All students",
        "Economically disadvantaged",
        "Emergent bilingual",
        "Special education",
        "Hispanic",
    ]
    again = plan_results_import(personas.district, CSV)
    assert [r.action for r in again.rows] == ["unchanged"] * 4 + ["reject"]
    changed = CSV.replace("61.5,240", "63,240")
    assert plan_results_import(personas.district, changed).rows[0].action == "update"


def test_board_members_cannot_import_and_outsiders_get_404(as_member, personas, measure):
    assert as_member(personas.board).get(url("results_import")).status_code == 403
    assert as_member(personas.outsider).get(url("results_import")).status_code == 404


def _imported(personas):
    measure_results_apply(district=personas.district, user=personas.cabinet, text=CSV)


def _results_section(text):
    """The measure page's results section alone (a CSRF token elsewhere may hold any digits)."""
    section = text[text.index('id="results"') :]
    return section[: section.index("</section>")]


def test_the_measure_page_masks_small_groups_beyond_the_cabinet(as_member, personas, measure):
    _imported(personas)
    page = url("measure", measure.pk)
    board = as_member(personas.board).get(page).text
    assert board.count('id="results"') == 1
    section = _results_section(board)
    assert "<td>61.5</td>" in section
    assert "<td>38" not in section
    assert '<td><abbr title="Fewer students than the district shows">*</abbr></td>' in section
    assert "fewer than 10 students, not shown" in section
    section = _results_section(as_member(personas.cabinet).get(page).text)
    assert '<td>38 <span class="badge warn">small group</span></td>' in section


def test_a_corrected_import_shows_on_the_measure_and_campus_pages_at_once(
    as_member, personas, measure
):
    """Both pages keep their results drawn between changes (core.fragments)."""
    _imported(personas)
    client = as_member(personas.board)
    campus = personas.district.campuses.get(name="Lakeside Elementary")
    campus_page = reverse("core:campus", args=["lakeside", campus.pk])
    assert "<td>61.5</td>" in _results_section(client.get(url("measure", measure.pk)).text)
    assert "<td>61.5</td>" in client.get(campus_page).text
    measure_results_apply(
        district=personas.district, user=personas.cabinet, text=CSV.replace("61.5", "63.25")
    )
    section = _results_section(client.get(url("measure", measure.pk)).text)
    assert "<td>63.25</td>" in section
    assert "<td>61.5</td>" not in section
    assert "<td>63.25</td>" in client.get(campus_page).text


def test_the_district_sets_its_smallest_group(as_member, personas, measure):
    _imported(personas)
    personas.district.smallest_group_shown = 5
    personas.district.save()
    board = as_member(personas.board).get(url("measure", measure.pk)).text
    assert "<td>38</td>" in _results_section(board)


def test_the_campus_page_shows_its_results_beside_the_districts(as_member, personas, measure):
    _imported(personas)
    campus = personas.district.campuses.get(name="Lakeside Elementary")
    text = (
        as_member(personas.campus_leader)
        .get(reverse("core:campus", args=["lakeside", campus.pk]))
        .text
    )
    section = text[text.index("Students and results by student group") :]
    row = section[section.index('<th scope="row">All students</th>') :]
    assert "<td>61.5</td><td>55</td>" in row[: row.index("</tr>")]
    assert "Grade 3 reading" in section


def test_result_pages_ask_the_same_questions_for_few_and_many_results(as_member, personas, measure):
    client = as_member(personas.board)
    campus = personas.district.campuses.get(name="Lakeside Elementary")
    campus_page = reverse("core:campus", args=["lakeside", campus.pk])
    _imported(personas)
    few = page_queries(client, url("measure", measure.pk)), page_queries(client, campus_page)
    groups = list(StudentGroup.objects.filter(district=personas.district))
    MeasureResult.objects.bulk_create(
        MeasureResult(
            district=personas.district,
            measure=measure,
            campus=CampusFactory(district=personas.district),
            group=group,
            observed_on=datetime.date(2026, 6, 30),
            value=Decimal("50"),
            students=100,
        )
        for group in groups
        for _ in range(3)
    )
    many = page_queries(client, url("measure", measure.pk)), page_queries(client, campus_page)
    assert few == many
    # The results are kept between changes: the measure, its values, the change marker.
    with query_budget(5):
        client.get(url("measure", measure.pk))


def test_a_file_with_the_spanish_headings_is_read(personas, measure):
    text = (
        "Escuela,Grupo de estudiantes,Indicador,Año escolar,Valor,Estudiantes\n"
        "Distrito,Todos,Grade 3 reading,2025-26,55.5,4100\n"
    )
    [row] = plan_results_import(personas.district, text).rows
    assert row.campus is None
    assert row.group_name == "Todos"
    assert row.observed_on == datetime.date(2026, 6, 30)
    assert row.value == Decimal("55.5")
