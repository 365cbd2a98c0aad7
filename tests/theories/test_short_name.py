"""A theory of action may carry a short name; wherever theories are listed or chosen it stands
for the theory, and without one the start of the IF clause does, as before."""

import datetime

import pytest
from django.urls import reverse

from district_plan.documents import document_diff, plan_document
from district_plan.services import plan_adopt
from reports.models import Report
from reports.rendering import report_html
from tests.factories import GoalFactory, PlanFactory, StrandFactory, TheoryFactory
from theories.models import TheoryOfAction
from visits.forms import LookForForm

HX = {"HTTP_HX_REQUEST": "true"}
LONG_IF = "principals visit every classroom each week and leave one note about the shared routines"


@pytest.fixture
def theory(personas):
    return TheoryFactory(
        strand=StrandFactory(district=personas.district, name="Expectations"),
        if_clause=LONG_IF,
        then_clause="teachers use the shared routines",
    )


def edit_data(theory, **changes):
    return {
        "strand": theory.strand_id,
        "short_name": theory.short_name,
        "if_clause": theory.if_clause,
        "then_clause": theory.then_clause,
        "status": theory.status,
        "progress": theory.progress,
        "version": theory.version,
    } | changes


def test_without_a_short_name_the_start_of_the_if_clause_names_the_theory(theory):
    assert theory.label == f"IF {LONG_IF[:60]}…"
    assert str(theory) == theory.label
    theory.short_name = "Weekly classroom visits"
    assert theory.label == str(theory) == "Weekly classroom visits"


def test_the_theory_form_sets_the_short_name_and_the_card_shows_it(as_member, personas, theory):
    client = as_member(personas.cabinet)
    form = client.get(reverse("theories:edit", args=["lakeside", theory.pk]), **HX).text
    assert "Short name (optional)" in form
    response = client.post(
        reverse("theories:theory", args=["lakeside", theory.pk]),
        edit_data(theory, short_name="  Weekly classroom visits "),
        **HX,
    )
    assert '<h3 class="theory-name">Weekly classroom visits</h3>' in response.text
    theory.refresh_from_db()
    assert theory.short_name == "Weekly classroom visits"
    history = client.get(reverse("theories:history", args=["lakeside", theory.pk])).text
    assert "Weekly classroom visits" in history


def test_a_short_name_longer_than_sixty_characters_is_refused(as_member, personas, theory):
    response = as_member(personas.cabinet).post(
        reverse("theories:theory", args=["lakeside", theory.pk]),
        edit_data(theory, short_name="x" * 61),
        **HX,
    )
    assert "Ensure this value has at most 60 characters" in response.text
    theory.refresh_from_db()
    assert theory.short_name == ""


def test_the_short_name_stands_for_the_theory_where_it_is_listed_or_chosen(
    as_member, personas, theory
):
    plan = PlanFactory(district=personas.district)
    goal = GoalFactory(plan=plan, title="Read by grade 3")
    theory.goals.add(goal)
    TheoryOfAction.objects.filter(pk=theory.pk).update(short_name="Weekly classroom visits")
    client = as_member(personas.board)
    plan_page = client.get(reverse("plan:index", args=["lakeside"])).text
    assert f'#theory-{theory.pk}">Weekly classroom visits</a>' in plan_page
    assert LONG_IF[:40] not in plan_page
    csv = client.get(reverse("theories:export", args=["lakeside"])).content.decode("utf-8-sig")
    header, row = csv.strip().splitlines()
    assert header.startswith("strand,short_name,if,then")
    assert row.startswith("Expectations,Weekly classroom visits,")
    choices = dict(LookForForm(district=personas.district).fields["theory"].choices)
    assert any(
        str(label).startswith("Weekly classroom visits · THEN") for label in choices.values()
    )


def test_the_public_page_shows_the_short_name_once_adopted(client, personas, theory):
    personas.district.plan_published = True
    personas.district.save()
    plan = PlanFactory(district=personas.district, status="draft")
    TheoryOfAction.objects.filter(pk=theory.pk).update(
        short_name="Weekly classroom visits", status="adopted"
    )
    plan_adopt(
        plan=plan,
        expected_version=plan.version,
        user=personas.admin,
        adopted_on=datetime.date(2025, 8, 12),
    )
    page = client.get(reverse("public:plan", args=["lakeside"]), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Weekly classroom visits</p>" in page


def test_naming_or_unnaming_an_adopted_theory_shows_in_the_comparison_with_the_adoption(theory):
    plan = PlanFactory(district=theory.district)
    theory.goals.add(GoalFactory(plan=plan))
    unnamed = plan_document(plan)
    TheoryOfAction.objects.filter(pk=theory.pk).update(short_name="Weekly classroom visits")
    named = plan_document(plan)
    [section] = document_diff(unnamed, named)
    assert section["changed"] == [
        ("Weekly classroom visits", [("short name", "", "Weekly classroom visits")])
    ]
    [section] = document_diff(named, unnamed)
    assert section["changed"][0][1] == [("short name", "Weekly classroom visits", "")]


def test_the_board_summary_names_the_theory_by_its_short_name(personas, theory):
    PlanFactory(district=personas.district, status="adopted", adopted_on=datetime.date(2025, 8, 12))
    TheoryOfAction.objects.filter(pk=theory.pk).update(
        short_name="Weekly classroom visits", status="adopted"
    )
    report = Report.objects.create(
        district=personas.district, kind="board_summary", title="B", language="en"
    )
    html, _ = report_html(report)
    assert '<p class="theory-name">Weekly classroom visits</p>' in html
