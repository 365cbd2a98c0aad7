"""Results in the wide state format: one row per campus, a column per measure and student
group and a count column per group (district_plan.result_csv, services.measure_results_apply),
with the column mapping the district saves for next year's file, the campus's student counts
(GroupEnrollment) and its enrollment."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.csv_import import ImportFileError
from district_plan.models import (
    GroupEnrollment,
    MeasureResult,
    ResultColumnMapping,
    StudentGroup,
)
from district_plan.result_csv import plan_results_import
from district_plan.services import measure_results_apply, student_groups_ensure
from tests.factories import CampusFactory, GoalFactory, MeasureFactory, PlanFactory
from tests.helpers import page_queries, query_budget, travel_to

TODAY = "2026-11-17"
YEAR = datetime.date(2026, 6, 30)

WIDE = (
    "Campus,Grade 3 reading – All students,Grade 3 reading – Economically disadvantaged,"
    "Grade 3 reading – Hispanic,G3 RDG ECODIS PCT,All students – students,Hispanic (n),Notes\n"
    "Lakeside Elementary,61.5,48,58.2,47,240,120,rebuilt gym\n"
    "Hilltop Middle,70,*,66,,410,<10,\n"
    "District,55,44,52,,4100,900,\n"
)


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


@pytest.fixture
def measure(personas):
    plan = PlanFactory(district=personas.district)
    return MeasureFactory(goal=GoalFactory(plan=plan), name="Grade 3 reading")


@pytest.fixture
def hilltop(personas):
    return CampusFactory(district=personas.district, name="Hilltop Middle", enrollment=400)


def _column(plan, heading):
    return next(c for c in plan.columns if c.heading == heading)


def test_a_wide_file_is_told_from_a_long_one_and_its_headings_map_its_columns(
    personas, measure, hilltop
):
    student_groups_ensure(district=personas.district)
    plan = plan_results_import(personas.district, WIDE, year=YEAR)
    assert plan.shape == "wide"
    all_students = _column(plan, "Grade 3 reading – All students")
    assert (all_students.kind, all_students.measure, all_students.group.name) == (
        "result",
        measure,
        "All students",
    )
    assert all_students.source == "heading"
    hispanic = _column(plan, "Grade 3 reading – Hispanic")
    assert (hispanic.kind, hispanic.group, hispanic.group_name) == ("result", None, "Hispanic")
    assert _column(plan, "Hispanic (n)").kind == "students"
    assert _column(plan, "All students – students").kind == "students"
    assert [c.heading for c in plan.unmapped] == ["G3 RDG ECODIS PCT", "Notes"]
    assert plan.new_groups == ["Hispanic"]
    lakeside = [r for r in plan.rows if r.line == 2]
    assert [(r.group_name, r.value, r.students, r.action) for r in lakeside] == [
        ("All students", Decimal("61.5"), 240, "create"),
        ("Economically disadvantaged", Decimal("48"), None, "create"),
        ("Hispanic", Decimal("58.2"), 120, "create"),
    ]
    assert all(r.observed_on == YEAR for r in plan.rows)


def test_suppressed_cells_and_counts_are_refused_on_their_row(personas, measure, hilltop):
    student_groups_ensure(district=personas.district)
    plan = plan_results_import(personas.district, WIDE, year=YEAR)
    [suppressed] = [r for r in plan.rows if r.line == 3 and r.value is None]
    assert suppressed.action == "reject"
    assert "suppressed value" in suppressed.errors[0]
    hilltop_counts = [e for e in plan.enrollments if e.campus == hilltop]
    assert [(e.group_name, e.action) for e in hilltop_counts] == [
        ("All students", "create"),
        ("Hispanic", "reject"),
    ]
    # The district's own row counts its results' students, not a campus's make-up.
    assert {e.campus for e in plan.enrollments} == {
        hilltop,
        personas.district.campuses.get(name="Lakeside Elementary"),
    }
    [district_all] = [r for r in plan.rows if r.campus is None and r.group_name == "All students"]
    assert district_all.students == 4100


def test_headings_are_read_whatever_marks_part_them(personas, measure):
    student_groups_ensure(district=personas.district)
    headings = {
        "Grade 3 reading: Hispanic": ("result", "Hispanic"),
        "GRADE 3 READING | Special education": ("result", "Special education"),
        "Grade 3 reading All students": ("result", "All students"),
        "Two or more races - student count": ("students", "Two or more races"),
        "Emergent bilingual (N)": ("students", "Emergent bilingual"),
        "Grade 3 reading – Hispanic – students": ("unmapped", ""),
        "Grade 3 reading Hispanic": ("unmapped", ""),
        "Math – Hispanic": ("unmapped", ""),
    }
    text = "Campus," + ",".join(headings) + "\nLakeside Elementary" + ",1" * len(headings)
    plan = plan_results_import(personas.district, text, year=YEAR)
    assert {c.heading: (c.kind, c.group_name) for c in plan.columns} == headings


def test_a_long_file_without_a_year_column_takes_the_year_chosen(personas, measure):
    text = "Campus,Group,Measure,Value\nDistrict,All students,Grade 3 reading,50\n"
    [row] = plan_results_import(personas.district, text, year=YEAR).rows
    assert (row.action, row.observed_on) == ("create", YEAR)
    with pytest.raises(ImportFileError, match="none was found for: year"):
        plan_results_import(personas.district, text)


def test_a_wide_file_without_a_year_column_asks_for_the_year(personas, measure):
    with pytest.raises(ImportFileError, match="choose the school year") as raised:
        plan_results_import(personas.district, WIDE)
    assert raised.value.field == "year"


def test_a_wide_file_with_a_year_column_reads_it_on_each_row(personas, measure):
    text = (
        "School,School year,Grade 3 reading – All students\n"
        "Lakeside Elementary,2024-25,50\n"
        "Lakeside Elementary,2025-26,52\n"
        "Lakeside Elementary,2031-32,53\n"
    )
    plan = plan_results_import(personas.district, text)
    assert [r.observed_on for r in plan.rows[:2]] == [datetime.date(2025, 6, 30), YEAR]
    assert "has not begun" in plan.rows[2].errors[0]


def test_spanish_headings_are_read_in_a_wide_file(personas, measure):
    student_groups_ensure(district=personas.district)
    text = (
        "Escuela,Año escolar,Grade 3 reading – Todos,Todos – estudiantes\n"
        "Lakeside Elementary,2025-26,61.5,240\n"
    )
    plan = plan_results_import(personas.district, text)
    assert plan.shape == "wide"
    assert [(r.group_name, r.value, r.students) for r in plan.rows] == [
        ("Todos", Decimal("61.5"), 240)
    ]
    assert plan.new_groups == ["Todos"]


def test_confirming_saves_results_counts_enrollment_and_the_mapping_for_next_year(
    personas, measure, hilltop
):
    student_groups_ensure(district=personas.district)
    economic = StudentGroup.objects.get(district=personas.district, name__startswith="Economic")
    chosen = {
        "4": {"kind": "result", "measure": measure.pk, "group": economic.name},
        "7": {"kind": "ignore", "measure": None, "group": ""},
    }
    # The file maps "G3 RDG ECODIS PCT" to the same measure and group as column 2 once chosen:
    # only one of them is imported, the first.
    plan = measure_results_apply(
        district=personas.district, user=personas.cabinet, text=WIDE, year=YEAR, columns=chosen
    )
    assert "already holds this" in _column(plan, "G3 RDG ECODIS PCT").problem
    assert MeasureResult.objects.filter(district=personas.district).count() == 8
    hispanic = StudentGroup.objects.get(district=personas.district, name="Hispanic")
    lakeside = personas.district.campuses.get(name="Lakeside Elementary")
    assert MeasureResult.objects.get(campus=lakeside, group=hispanic).students == 120
    counts = GroupEnrollment.objects.filter(district=personas.district)
    assert sorted((e.campus.name, e.group.name, e.school_year, e.students) for e in counts) == [
        ("Hilltop Middle", "All students", 2025, 410),
        ("Lakeside Elementary", "All students", 2025, 240),
        ("Lakeside Elementary", "Hispanic", 2025, 120),
    ]
    hilltop.refresh_from_db()
    assert hilltop.enrollment == 410
    saved = {
        m.heading: (m.kind, m.measure_id, m.group_id) for m in ResultColumnMapping.objects.all()
    }
    assert saved["Grade 3 reading – Hispanic"] == ("result", measure.pk, hispanic.pk)
    assert saved["Hispanic (n)"] == ("students", None, hispanic.pk)
    assert saved["Notes"] == ("ignore", None, None)
    assert "G3 RDG ECODIS PCT" not in saved

    next_year = WIDE.replace("Notes", "NOTES")
    again = plan_results_import(personas.district, next_year, year=YEAR)
    assert _column(again, "Grade 3 reading – Hispanic").source == "saved"
    assert _column(again, "NOTES").kind == "ignore"
    assert {r.action for r in again.rows} == {"unchanged", "reject"}
    assert {e.action for e in again.enrollments} == {"unchanged", "reject"}


def test_a_saved_mapping_reads_a_heading_that_names_nothing(personas, measure):
    student_groups_ensure(district=personas.district)
    economic = StudentGroup.objects.get(district=personas.district, name__startswith="Economic")
    ResultColumnMapping.objects.create(
        district=personas.district,
        heading="G3 RDG ECODIS PCT",
        key="g3 rdg ecodis pct",
        kind="result",
        measure=measure,
        group=economic,
    )
    text = "Campus,g3 rdg ecodis pct\nLakeside Elementary,47\n"
    plan = plan_results_import(personas.district, text, year=YEAR)
    [row] = plan.rows
    assert (row.measure, row.group, row.value) == (measure, economic, Decimal("47"))
    changed = plan_results_import(
        personas.district,
        text,
        year=YEAR,
        columns={"1": {"kind": "ignore", "measure": None, "group": ""}},
    )
    assert changed.rows == []
    assert changed.columns[0].source == "chosen"


def test_an_older_years_count_leaves_the_campus_enrollment_alone(personas, measure, hilltop):
    text = "Campus,Year,All students – students\nHilltop Middle,{year},{count}\n"
    for year, count in (("2025-26", 410), ("2024-25", 380)):
        measure_results_apply(
            district=personas.district,
            user=personas.cabinet,
            text=text.format(year=year, count=count),
        )
    hilltop.refresh_from_db()
    assert hilltop.enrollment == 410
    assert GroupEnrollment.objects.filter(campus=hilltop).count() == 2


def test_a_file_of_counts_alone_fills_the_campus_counts(personas, hilltop):
    text = (
        "Campus,School year,All students - students,Hispanic - students,"
        "Economically disadvantaged - count\n"
        'Hilltop Middle,2025-26,"1,204",600,700\n'
    )
    measure_results_apply(district=personas.district, user=personas.cabinet, text=text)
    assert dict(
        GroupEnrollment.objects.filter(campus=hilltop).values_list("group__name", "students")
    ) == {"All students": 1204, "Hispanic": 600, "Economically disadvantaged": 700}
    hilltop.refresh_from_db()
    assert hilltop.enrollment == 1204


def test_a_chosen_measure_of_another_district_maps_nothing(personas, measure):
    other = MeasureFactory(
        goal=GoalFactory(plan=PlanFactory(district=personas.other_district)), name="Math"
    )
    plan = plan_results_import(
        personas.district,
        "Campus,Score\nLakeside Elementary,50\n",
        year=YEAR,
        columns={"1": {"kind": "result", "measure": other.pk, "group": "All students"}},
    )
    assert plan.columns[0].kind == "unmapped"
    assert "no longer in the plan" in plan.columns[0].problem
    assert plan.rows == []


def test_a_file_of_too_many_columns_is_refused(personas):
    header = ",".join(["Campus", *(f"Column {n}" for n in range(500))])
    with pytest.raises(ImportFileError, match="at most 400 are accepted"):
        plan_results_import(personas.district, f"{header}\nLakeside Elementary\n", year=YEAR)


def test_a_rejected_row_saves_nothing_of_its_campus(personas, measure):
    text = "Campus,Grade 3 reading – All students,All students – students\nNowhere,50,100\n"
    plan = measure_results_apply(
        district=personas.district, user=personas.cabinet, text=text, year=YEAR
    )
    assert [r.action for r in plan.rows + plan.enrollments] == ["reject", "reject"]
    assert "No campus named" in plan.enrollments[0].errors[0]
    assert not GroupEnrollment.objects.exists()
    assert not MeasureResult.objects.exists()


# Through the page, as the cabinet does it.

PAGE_FILE = (
    "Campus,Grade 3 reading – All students,G3 RDG EB PCT,All students – students\n"
    "Lakeside Elementary,61.5,40,240\n"
)


def url():
    return reverse("plan:results_import", args=["lakeside"])


def upload(client, text, year="2025-26"):
    return client.post(url(), {"file": SimpleUploadedFile("r.csv", text.encode()), "year": year})


def columns_data(response, **changes):
    """The columns form as the preview fills it, with `changes` ({field: value})."""
    form = response.context["columns_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    token = response.context["confirm_form"].initial["token"]
    return {**data, **changes, "token": token, "check": "1"}


def test_the_cabinet_maps_a_column_once_and_next_years_file_maps_itself(
    as_member, personas, measure
):
    client = as_member(personas.cabinet)
    preview = upload(client, PAGE_FILE)
    assert "1 column is not mapped" in preview.text
    assert "Read from its heading" in preview.text
    checked = client.post(
        url(),
        columns_data(
            preview,
            **{"c2-kind": "result", "c2-measure": measure.pk, "c2-group": "Emergent bilingual"},
        ),
    )
    assert "Your choice" in checked.text
    assert "column is not mapped" not in checked.text
    assert "Save 3 results and counts" in checked.text
    done = client.post(url(), {"token": checked.context["confirm_form"].initial["token"]})
    assert done.status_code == 302
    emergent = MeasureResult.objects.get(group__name="Emergent bilingual")
    assert (emergent.measure, emergent.value) == (measure, Decimal("40"))
    assert GroupEnrollment.objects.get().students == 240
    next_year = upload(client, PAGE_FILE.replace("61.5,40", "63,42"), year="2026-27")
    assert "Saved mapping" in next_year.text
    assert "column is not mapped" not in next_year.text


def test_a_new_group_named_on_the_preview_is_added(as_member, personas, measure):
    client = as_member(personas.cabinet)
    preview = upload(client, PAGE_FILE)
    checked = client.post(
        url(),
        columns_data(
            preview,
            **{"c2-kind": "result", "c2-measure": measure.pk, "c2-new_group": "Two or more races"},
        ),
    )
    assert "Two or more races" in checked.context["plan"].new_groups
    assert '<span class="badge create">New student group</span>' in checked.text
    client.post(url(), {"token": checked.context["confirm_form"].initial["token"]})
    assert MeasureResult.objects.get(group__name="Two or more races").value == Decimal("40")
    assert ResultColumnMapping.objects.get(heading="G3 RDG EB PCT").group.name == (
        "Two or more races"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"c2-kind": "result"}, "Choose the measure this column holds."),
        ({"c2-kind": "students"}, "Choose the student group this column is for."),
        ({"c2-kind": "result", "c2-measure": "OTHER", "c2-group": "All students"}, "valid choice"),
        ({"c2-kind": "sideways"}, "valid choice"),
        ({"c2-kind": "students", "c2-group": "Nobody"}, "valid choice"),
        ({"c2-kind": "students", "c2-new_group": "x" * 101}, "at most 100 characters"),
        (
            {"c2-kind": "result", "c2-measure": "MEASURE", "c2-group": "All students"},
            "Column “Grade 3 reading – All students” already holds this measure and group.",
        ),
    ],
)
def test_a_column_mapped_wrongly_is_explained_next_to_it_and_changes_nothing(
    as_member, personas, measure, changes, message
):
    other = MeasureFactory(goal=GoalFactory(plan=PlanFactory(district=personas.other_district)))
    named = {"OTHER": str(other.pk), "MEASURE": str(measure.pk)}
    changes = {k: named.get(v, v) for k, v in changes.items()}
    client = as_member(personas.cabinet)
    preview = upload(client, PAGE_FILE)
    checked = client.post(url(), columns_data(preview, **changes))
    assert checked.status_code == 200
    assert message in checked.text
    assert "the preview still reads them as before" in checked.text
    assert "1 column is not mapped" in checked.text
    assert not ResultColumnMapping.objects.exists()


def test_a_wide_file_without_a_year_asks_for_it_next_to_the_year_field(
    as_member, personas, measure
):
    response = upload(as_member(personas.cabinet), PAGE_FILE, year="")
    assert response.context["form"].errors["year"] == [
        "This file has a column per measure and student group but no Year column: choose the "
        "school year its results are for."
    ]


@pytest.mark.parametrize(
    ("year", "message"),
    [("someday", "Enter a school year like 2025-26"), ("2031-32", "has not begun")],
)
def test_a_year_that_is_not_one_is_refused_next_to_its_field(
    as_member, personas, measure, year, message
):
    response = upload(as_member(personas.cabinet), PAGE_FILE, year=year)
    assert message in response.context["form"].errors["year"][0]


def test_the_preview_asks_the_same_questions_for_few_and_many_columns(as_member, personas, measure):
    client = as_member(personas.cabinet)
    student_groups_ensure(district=personas.district)

    def wide(campuses, columns):
        for n in range(campuses):
            CampusFactory(district=personas.district, name=f"Campus {columns}-{n}")
        headings = [f"Unread {n}" for n in range(columns)]
        rows = [",".join([f"Campus {columns}-{n}", *["5"] * columns]) for n in range(campuses)]
        return "\n".join([",".join(["Campus", *headings]), *rows]) + "\n"

    few_file, many_file, some_file = wide(1, 1), wide(20, 30), wide(5, 5)
    with CaptureQueriesContext(connection) as few:
        upload(client, few_file)
    with CaptureQueriesContext(connection) as many:
        upload(client, many_file)
    assert len(few.captured_queries) == len(many.captured_queries)
    with query_budget(16):
        upload(client, some_file)


def _counted(personas):
    text = (
        "Campus,School year,All students - students,Hispanic - students,"
        "Special education - students\n"
        "Lakeside Elementary,2024-25,200,90,30\n"
        "Lakeside Elementary,2025-26,240,120,8\n"
    )
    measure_results_apply(district=personas.district, user=personas.cabinet, text=text)
    lakeside = personas.district.campuses.get(name="Lakeside Elementary")
    return reverse("core:campus", args=["lakeside", lakeside.pk])


def _counts_section(text):
    section = text[text.index('id="campus-enrollment"') :]
    return section[: section.index("</table>")]


def test_the_campus_page_shows_its_latest_counts_as_shares_of_all_students(as_member, personas):
    page = _counted(personas)
    section = _counts_section(as_member(personas.cabinet).get(page).text)
    assert "Students by group, 2025–26" in section
    assert '<th scope="row">All students</th><td>240</td><td>100%</td>' in section
    assert '<th scope="row">Hispanic</th><td>120</td><td>50%</td>' in section
    assert (
        '<th scope="row">Special education</th><td>8 <span class="badge warn">small group'
        "</span></td><td>3%</td>"
    ) in section


def test_a_small_groups_count_is_masked_beyond_the_cabinet(as_member, personas):
    page = _counted(personas)
    section = _counts_section(as_member(personas.board).get(page).text)
    assert (
        '<th scope="row">Special education</th><td><abbr title="Fewer students than the '
        'district shows">*</abbr></td><td>–</td>'
    ) in section


def test_the_campus_page_asks_the_same_questions_with_or_without_counts(as_member, personas):
    lakeside = personas.district.campuses.get(name="Lakeside Elementary")
    page = reverse("core:campus", args=["lakeside", lakeside.pk])
    client = as_member(personas.board)
    student_groups_ensure(district=personas.district)
    without = page_queries(client, page)
    _counted(personas)
    assert page_queries(client, page) == without
