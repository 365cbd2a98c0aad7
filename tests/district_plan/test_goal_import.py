"""Goals and their measures brought in from a district's table: upload or paste → dry run →
confirm, in one transaction, each record's history naming the person."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.csv_import import ImportFileError
from core.history import record_events
from district_plan.goal_table import plan_goals_import
from district_plan.models import Goal, Measure
from tests.factories import GoalFactory, MeasureFactory, PlanFactory
from tests.word_documents import WordDocument

HEADINGS = ("Goal", "Measure", "Baseline", "Target", "Year")


@pytest.fixture
def plan(personas):
    return PlanFactory(district=personas.district, start_year=2025, end_year=2027)


def url(plan):
    return reverse("plan:goals_import", args=["lakeside", plan.pk])


def pasted(*rows, separator="\t"):
    return "\n".join(separator.join(row) for row in rows)


def test_a_goal_named_on_two_rows_gets_both_measures_and_direction_from_the_numbers(plan):
    preview = plan_goals_import(
        plan,
        pasted(
            HEADINGS,
            ("Every student reads by grade 3", "Grade 3 reading", "48%", "70%", "2027-28"),
            ("Every student reads by grade 3", "Chronic absence", "18%", "10%", "2028"),
        ),
    )
    assert [row.action for row in preview.rows] == ["create", "create"]
    assert preview.new_goals == ["Every student reads by grade 3"]
    reading, absence = preview.rows
    assert (reading.unit, reading.direction, str(reading.target_date)) == ("%", "up", "2028-06-30")
    assert absence.direction == "down"


def test_pipe_separated_text_with_a_unit_column_and_an_existing_goal(plan):
    goal = GoalFactory(plan=plan, title="Graduates ready")
    preview = plan_goals_import(
        plan,
        pasted(
            ("goal", "measure", "unit", "baseline", "target", "target year"),
            ("graduates ready", "Dual credit hours", "hours", "1,200", "2,000", "2027-28"),
            separator=" | ",
        ),
    )
    [row] = preview.rows
    assert (row.goal, row.unit, row.baseline) == (goal, "hours", Decimal("1200"))
    assert preview.new_goals == []


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (("Reading", "", "48%", "70%", "2028"), "Name the measure."),
        (("Reading", "Grade 3", "*", "70%", "2028"), "suppressed value"),
        (("Reading", "Grade 3", "48", "70", "2028"), "Say the unit"),
        (("Reading", "Grade 3", "48%", "48%", "2028"), "The target is the baseline"),
        (("Reading", "Grade 3", "48%", "70%", "2040"), "within the plan's school years"),
        (("Reading", "Grade 3", "48%", "70%", "soon"), "is not a school year"),
    ],
)
def test_a_row_that_cannot_be_imported_is_rejected_with_the_reason(plan, cells, reason):
    [row] = plan_goals_import(plan, pasted(HEADINGS, cells)).rows
    assert row.action == "reject"
    assert reason in " ".join(row.errors)


def test_a_measure_the_goal_already_has_is_unchanged(plan):
    goal = GoalFactory(plan=plan, title="Reading")
    MeasureFactory(goal=goal, name="Grade 3 reading")
    [row] = plan_goals_import(
        plan, pasted(HEADINGS, ("Reading", "grade 3 reading", "48%", "70%", "2028"))
    ).rows
    assert row.action == "unchanged"


def test_a_table_without_the_needed_columns_says_which_are_missing(plan):
    with pytest.raises(ImportFileError, match="missing: baseline, target, year"):
        plan_goals_import(plan, pasted(("Goal", "Measure"), ("Reading", "Grade 3")))


def word_plan():
    return (
        WordDocument()
        .title("Strategic plan")
        .paragraph("Our goals for the next three years.")
        .table(("Name", "Role"), ("Ana", "Director"))
        .table(
            HEADINGS,
            ("Every student reads by grade 3", "Grade 3 reading", "48%", "70%", "2027-28"),
            ("Every student reads by grade 3", "Chronic absence", "18%", "10%", "2027-28"),
            ("Graduates ready", "Dual credit", "22%", "nope", "2027-28"),
        )
    )


def test_cabinet_uploads_a_word_goal_table_checks_it_and_confirms(
    as_member, personas, plan, django_assert_max_num_queries
):
    client = as_member(personas.cabinet)
    response = client.post(url(plan), {"file": word_plan().upload()})
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", response.text)
    assert "<strong>2</strong> to add" in text
    assert "<strong>1</strong> rejected" in text
    assert "Target: Value “nope” is not a number." in text
    assert not Goal.objects.filter(plan=plan).exists()

    token = response.context["confirm_form"]["token"].value()
    with django_assert_max_num_queries(40):
        response = client.post(url(plan), {"token": token})
    assert response.status_code == 302
    [goal] = Goal.objects.filter(plan=plan)
    assert goal.title == "Every student reads by grade 3"
    measures = Measure.objects.filter(goal=goal).order_by("order")
    assert [(m.name, m.direction, m.baseline_date) for m in measures] == [
        ("Grade 3 reading", "up", plan.first_day),
        ("Chronic absence", "down", plan.first_day),
    ]
    [event] = record_events(goal)
    assert event.pgh_context.metadata["user"] == personas.cabinet.pk


def test_the_same_token_confirmed_twice_adds_nothing_more(as_member, personas, plan):
    client = as_member(personas.cabinet)
    data = pasted(HEADINGS, ("Reading", "Grade 3", "48%", "70%", "2028"))
    token = client.post(url(plan), {"text": data}).context["confirm_form"]["token"].value()
    client.post(url(plan), {"token": token})
    client.post(url(plan), {"token": token})
    assert Measure.objects.filter(goal__plan=plan).count() == 1


def test_a_document_without_a_goal_table_is_refused_next_to_the_field(as_member, personas, plan):
    client = as_member(personas.cabinet)
    upload = WordDocument().paragraph("No tables here.").upload()
    response = client.post(url(plan), {"file": upload})
    assert response.context["form"].errors["file"] == [
        "No table with a Goal column was found; its first row names the columns."
    ]


def test_text_without_columns_is_refused_next_to_the_field(as_member, personas, plan):
    response = as_member(personas.cabinet).post(url(plan), {"text": "Reading goal, 70%"})
    assert "Separate the columns with tabs" in response.context["form"].errors["file"][0]


def test_a_tampered_token_saves_nothing(as_member, personas, plan):
    response = as_member(personas.cabinet).post(url(plan), {"token": "forged"})
    assert "This preview could not be read" in response.text
    assert not Goal.objects.filter(plan=plan).exists()


def test_a_token_previewed_for_one_plan_is_refused_by_another(as_member, personas, plan):
    client = as_member(personas.cabinet)
    data = pasted(HEADINGS, ("Reading", "Grade 3", "48%", "70%", "2028"))
    token = client.post(url(plan), {"text": data}).context["confirm_form"]["token"].value()
    other = PlanFactory(district=personas.district, start_year=2025, end_year=2027)
    response = client.post(url(other), {"token": token})
    assert "This preview could not be read" in response.text
    assert not Measure.objects.filter(goal__plan__district=personas.district).exists()


def test_board_cannot_import_and_outsider_gets_404(as_member, personas, plan):
    assert as_member(personas.board).get(url(plan)).status_code == 403
    assert as_member(personas.outsider).get(url(plan)).status_code == 404


def test_the_upload_page_names_its_plan(as_member, personas, plan, django_assert_max_num_queries):
    client = as_member(personas.cabinet)
    with django_assert_max_num_queries(12):
        response = client.get(url(plan))
    assert plan.title in response.text
