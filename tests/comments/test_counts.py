"""Each commentable record's own page counts its open comments and links to them."""

import datetime

import pytest
from django.urls import reverse

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import Finding
from benchmarking.services import analysis_create
from comments.services import comment_create, comment_resolve
from tests.factories import (
    ActionItemFactory,
    CampusPlanFactory,
    CompetencyFactory,
    GoalFactory,
    PlanFactory,
    ProgramFactory,
    VisitFactory,
)
from tests.helpers import page_queries


def comments_url(kind, record):
    return reverse("comments:thread", args=["lakeside", kind, record.pk])


def say(personas, record, n=1):
    return [
        comment_create(
            district=personas.district, user=personas.board, record=record, body=f"Note {i}"
        )[0]
        for i in range(n)
    ]


def test_the_theory_page_counts_open_comments_on_the_theory_and_its_actions(
    as_member, personas, theory, action
):
    first, _second = say(personas, theory, 2)
    say(personas, action)
    comment_resolve(comment=first, user=personas.cabinet)
    page = (
        as_member(personas.board)
        .get(reverse("theories:theory", args=["lakeside", theory.pk]))
        .content.decode()
    )
    assert f'href="{comments_url("theory", theory)}">1 open comment<' in page
    assert f'href="{comments_url("action", action)}">1 open comment<' in page


def test_the_action_item_and_campus_plan_pages_link_to_their_comments(as_member, personas):
    campus = personas.district.campuses.get()
    item = ActionItemFactory(
        visit=VisitFactory(program=ProgramFactory(district=personas.district), campus=campus)
    )
    plan = CampusPlanFactory(campus=campus)
    say(personas, item, 2)
    client = as_member(personas.cabinet)
    item_page = client.get(reverse("actions:item", args=["lakeside", item.pk])).content.decode()
    assert f'href="{comments_url("action-item", item)}">2 open comments<' in item_page
    plan_page = client.get(reverse("plan:campus_plan", args=["lakeside", plan.pk])).content.decode()
    assert f'href="{comments_url("campus-plan", plan)}">Comments<' in plan_page


def test_the_findings_page_counts_each_findings_comments(as_member, personas):
    analysis = analysis_create(
        district=personas.district,
        user=personas.cabinet,
        name="Discovery",
        framework=framework_copy(framework=built_in_framework(), district=personas.district),
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
    )
    finding = Finding.objects.create(
        district=personas.district, analysis=analysis, kind="gap", text="Uneven screening"
    )
    say(personas, finding)
    page = (
        as_member(personas.board)
        .get(reverse("discovery:findings", args=["lakeside", analysis.pk]))
        .content.decode()
    )
    assert f'href="{comments_url("finding", finding)}">1 open comment<' in page


@pytest.fixture
def plan(personas):
    return PlanFactory(district=personas.district)


def test_the_plan_page_counts_each_goals_comments_as_soon_as_one_is_posted(
    as_member, personas, plan
):
    goal = GoalFactory(plan=plan, title="Read by grade 3")
    competency = CompetencyFactory(plan=plan)
    client = as_member(personas.board)
    plan_url = reverse("plan:index", args=["lakeside"])
    assert f'href="{comments_url("goal", goal)}">Comments<' in client.get(plan_url).text
    say(personas, goal, 3)
    say(personas, competency)
    page = client.get(plan_url).text
    assert f'href="{comments_url("goal", goal)}">3 open comments<' in page
    assert f'href="{comments_url("competency", competency)}">1 open comment<' in page


def test_the_plan_page_costs_the_same_queries_however_many_goals_are_commented(
    as_member, personas, plan
):
    goals = [GoalFactory(plan=plan) for _ in range(6)]
    client = as_member(personas.board)
    plan_url = reverse("plan:index", args=["lakeside"])
    say(personas, goals[0])
    few = page_queries(client, plan_url)
    for goal in goals[1:]:
        say(personas, goal, 2)
    assert page_queries(client, plan_url) == few
