"""A meeting's decisions, and "Decided at …" on the pages of the records they created or
changed."""

import datetime

import pytest
from django.urls import reverse

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.services import analysis_create, finding_add, recommendation_add
from meetings.models import Decision
from tests.factories import (
    CampusFactory,
    CampusPlanFactory,
    CompetencyFactory,
    DecisionFactory,
    GoalFactory,
    MeetingFactory,
    PlanFactory,
    StrandFactory,
    TheoryFactory,
)
from tests.helpers import page_queries


def url(name, *args):
    return reverse(name, args=["lakeside", *args])


@pytest.fixture
def meeting(personas):
    return MeetingFactory(
        district=personas.district, title="Summer retreat", date=datetime.date(2026, 7, 14)
    )


@pytest.fixture
def plan(personas):
    return PlanFactory(district=personas.district)


def test_cabinet_records_a_decision_that_created_a_goal(as_member, personas, meeting, plan):
    goal = GoalFactory(plan=plan, district=personas.district, title="Every reader by grade 3")
    client = as_member(personas.cabinet)
    response = client.post(
        url("meetings:decision_new", meeting.pk),
        {"text": "Adopt the early literacy goal", "effect": "created", "goal": goal.pk},
        follow=True,
    )
    decision = Decision.objects.get()
    assert (decision.meeting, decision.goal, decision.district) == (
        meeting,
        goal,
        personas.district,
    )
    assert "Decision recorded." in response.text
    assert "Every reader by grade 3" in response.text


def test_another_districts_record_is_refused_next_to_the_field(as_member, personas, meeting):
    foreign_goal = GoalFactory(
        plan=PlanFactory(district=personas.other_district), district=personas.other_district
    )
    response = as_member(personas.cabinet).post(
        url("meetings:decision_new", meeting.pk),
        {"text": "Adopt their goal", "effect": "created", "goal": foreign_goal.pk},
    )
    assert response.status_code == 200
    assert "Choose a record of this district." in response.text
    assert not Decision.objects.exists()


def test_a_decision_needs_its_text(as_member, personas, meeting):
    response = as_member(personas.cabinet).post(
        url("meetings:decision_new", meeting.pk), {"text": " ", "effect": "created"}
    )
    assert "Write what was decided." in response.text
    assert not Decision.objects.exists()


def test_decision_edit_and_delete(as_member, personas, meeting):
    decision = DecisionFactory(meeting=meeting, text="First wording")
    client = as_member(personas.cabinet)
    client.post(
        url("meetings:decision", decision.pk),
        {"text": "Second wording", "effect": "changed", "version": decision.version},
    )
    decision.refresh_from_db()
    assert (decision.text, decision.effect) == ("Second wording", "changed")
    assert "Delete this decision?" in client.get(url("meetings:decision_delete", decision.pk)).text
    client.post(url("meetings:decision_delete", decision.pk))
    assert not Decision.objects.filter(pk=decision.pk).exists()


def test_board_may_not_record_decisions(as_member, personas, meeting):
    client = as_member(personas.board)
    response = client.post(
        url("meetings:decision_new", meeting.pk), {"text": "Something", "effect": "created"}
    )
    assert response.status_code == 403
    assert Decision.objects.count() == 0
    assert "Record a decision" not in client.get(url("meetings:meeting", meeting.pk)).text


def test_outsider_gets_404_for_a_decision(as_member, personas, meeting):
    decision = DecisionFactory(meeting=meeting)
    client = as_member(personas.outsider)
    assert client.get(url("meetings:decision", decision.pk)).status_code == 404
    assert client.post(url("meetings:decision_delete", decision.pk)).status_code == 404
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_plan_page_says_where_goals_and_competencies_were_decided(
    as_member, personas, meeting, plan
):
    goal = GoalFactory(plan=plan, district=personas.district)
    competency = CompetencyFactory(plan=plan, district=personas.district)
    client = as_member(personas.board)
    before = client.get(url("plan:index")).text
    assert "Decided at" not in before
    DecisionFactory(meeting=meeting, goal=goal)
    study = MeetingFactory(district=personas.district, title="Board study session")
    DecisionFactory(meeting=study, competency=competency)
    # The plan's body is kept between changes of the district; a decision is such a change.
    text = client.get(url("plan:index")).text
    meeting_url = reverse("meetings:meeting", args=["lakeside", meeting.pk])
    assert f'Decided at <a href="{meeting_url}#decision-' in text
    assert ">Summer retreat</a> on July 14, 2026" in text
    assert ">Board study session</a>" in text


def test_plan_page_asks_once_for_every_goals_decisions(as_member, personas, meeting, plan):
    client = as_member(personas.board)
    DecisionFactory(meeting=meeting, goal=GoalFactory(plan=plan, district=personas.district))
    few = page_queries(client, url("plan:index"))
    for _ in range(4):
        goal = GoalFactory(plan=plan, district=personas.district)
        DecisionFactory(meeting=MeetingFactory(district=personas.district), goal=goal)
        DecisionFactory(
            meeting=meeting, competency=CompetencyFactory(plan=plan, district=personas.district)
        )
    assert page_queries(client, url("plan:index")) == few


def test_theory_page_says_where_it_was_decided(as_member, personas, meeting):
    theory = TheoryFactory(strand=StrandFactory(district=personas.district))
    DecisionFactory(meeting=meeting, theory=theory)
    text = as_member(personas.board).get(url("theories:theory", theory.pk)).text
    assert ">Summer retreat</a> on July 14, 2026" in text


def test_campus_plan_page_says_where_it_was_decided(as_member, personas, meeting):
    campus_plan = CampusPlanFactory(campus=CampusFactory(district=personas.district))
    DecisionFactory(meeting=meeting, campus_plan=campus_plan)
    text = as_member(personas.board).get(url("plan:campus_plan", campus_plan.pk)).text
    assert ">Summer retreat</a> on July 14, 2026" in text


def test_findings_page_says_where_findings_and_recommendations_were_decided(
    as_member, personas, meeting
):
    analysis = analysis_create(
        district=personas.district,
        user=None,
        name="Discovery",
        framework=framework_copy(framework=built_in_framework(), district=personas.district),
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
    )
    finding = finding_add(analysis=analysis, user=None, kind="gap", text="Support starts late")
    recommendation = recommendation_add(
        analysis=analysis, user=None, text="Screen readers", priority="high", findings=[finding]
    )
    DecisionFactory(meeting=meeting, finding=finding)
    later = MeetingFactory(district=personas.district, title="Cabinet follow-up")
    DecisionFactory(meeting=later, recommendation=recommendation)
    text = as_member(personas.board).get(url("discovery:findings", analysis.pk)).text
    finding_part, recommendation_part = text.split('id="recs-heading"')
    assert ">Summer retreat</a>" in finding_part
    assert ">Cabinet follow-up</a>" in recommendation_part
