import datetime

import pytest
from django.urls import reverse

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import Finding, Recommendation
from benchmarking.services import analysis_create, finding_add, recommendation_add
from district_plan.models import Goal
from tests.factories import PlanFactory, StrandFactory
from theories.models import TheoryOfAction


@pytest.fixture
def analysis(personas):
    framework = framework_copy(framework=built_in_framework(), district=personas.district)
    return analysis_create(
        district=personas.district,
        user=personas.cabinet,
        name="Discovery",
        framework=framework,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
    )


def test_a_recommendation_becomes_a_goal_and_draft_theories_linked_back(
    as_member, personas, analysis
):
    plan = PlanFactory(district=personas.district)
    strand = StrandFactory(district=personas.district, name="Early literacy")
    finding = finding_add(
        analysis=analysis, user=None, kind="gap", text="Reading support starts too late"
    )
    recommendation = recommendation_add(
        analysis=analysis,
        user=None,
        text="Screen every K-2 reader",
        priority="high",
        findings=[finding],
    )
    client = as_member(personas.cabinet)
    prefix = f"pathway-{recommendation.pk}"
    response = client.post(
        reverse("discovery:pathway", args=["lakeside", recommendation.pk]),
        {
            f"{prefix}-plan": plan.pk,
            f"{prefix}-goal_title": "Every K-2 reader is screened three times a year",
            f"{prefix}-strand": strand.pk,
            f"{prefix}-statements": "IF we screen every K-2 reader three times a year, THEN teachers will regroup students within a week.\n"
            "IF coaches review screening data with teams; THEN interventions will start sooner.",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(origin=recommendation)
    theories = TheoryOfAction.objects.filter(origin=recommendation)
    assert theories.count() == 2
    assert all(t.status == "proposed" and list(t.goals.all()) == [goal] for t in theories)
    plan_page = client.get(reverse("plan:index", args=["lakeside"])).text
    assert "From the Discovery Analysis recommendation: Screen every K-2 reader" in plan_page
    assert "Discovery findings with no response" not in plan_page


def test_unanswered_findings_show_in_the_plans_coherence_panel(as_member, personas, analysis):
    PlanFactory(district=personas.district)
    finding_add(analysis=analysis, user=None, kind="need", text="Leaders need coaching time")
    text = as_member(personas.board).get(reverse("plan:index", args=["lakeside"])).text
    assert "Discovery findings with no response" in text
    assert "1 finding that no improvement pathway answers yet" in text
    assert 'href="/d/lakeside/discovery/"' in text


def test_pathway_statements_that_are_not_if_then_are_explained(as_member, personas, analysis):
    plan = PlanFactory(district=personas.district)
    strand = StrandFactory(district=personas.district)
    recommendation = Recommendation.objects.create(
        district=personas.district, analysis=analysis, text="Do it"
    )
    prefix = f"pathway-{recommendation.pk}"
    response = as_member(personas.cabinet).post(
        reverse("discovery:pathway", args=["lakeside", recommendation.pk]),
        {
            f"{prefix}-plan": plan.pk,
            f"{prefix}-goal_title": "G",
            f"{prefix}-strand": strand.pk,
            f"{prefix}-statements": "design plan",
        },
    )
    assert "Line 1 is not an IF … THEN statement" in response.text
    assert not Goal.objects.exists()


def test_findings_cite_only_this_analysis_evidence(as_member, personas, analysis):
    response = as_member(personas.cabinet).post(
        reverse("discovery:finding_add", args=["lakeside", analysis.pk]),
        {"kind": "strength", "text": "Strong data culture", "evidence": [999999]},
    )
    assert 'id="id_evidence_error"' in response.text
    assert not Finding.objects.exists()


def test_a_finding_cites_evidence_of_the_analysis(as_member, personas, analysis):
    from benchmarking.models import Evidence

    record = Evidence.objects.create(
        district=personas.district,
        analysis=analysis,
        kind="survey",
        collected_on="2026-02-01",
        summary="Staff survey",
    )
    response = as_member(personas.cabinet).post(
        reverse("discovery:finding_add", args=["lakeside", analysis.pk]),
        {"kind": "strength", "text": "Strong data culture", "evidence": [record.pk]},
    )
    assert response.status_code == 302
    assert list(Finding.objects.get().evidence.all()) == [record]


def test_a_pathway_proposes_its_goal_instead_of_adding_it_to_the_adopted_plan(
    as_member, personas, analysis
):
    plan = PlanFactory(
        district=personas.district, status="adopted", adopted_on=datetime.date(2025, 8, 12)
    )
    strand = StrandFactory(district=personas.district, name="Early literacy")
    recommendation = recommendation_add(
        analysis=analysis, user=None, text="Screen every K-2 reader", priority="high"
    )
    client = as_member(personas.cabinet)
    prefix = f"pathway-{recommendation.pk}"
    response = client.post(
        reverse("discovery:pathway", args=["lakeside", recommendation.pk]),
        {
            f"{prefix}-plan": plan.pk,
            f"{prefix}-goal_title": "Every K-2 reader is screened three times a year",
            f"{prefix}-strand": strand.pk,
            f"{prefix}-statements": "IF we screen every reader, THEN teachers regroup sooner.",
        },
        follow=True,
    )
    assert "proposed goal" in response.text
    goal = Goal.objects.get(origin=recommendation)
    assert goal.status == "proposed"
    assert TheoryOfAction.objects.get(origin=recommendation).status == "proposed"
    plan_page = client.get(reverse("plan:index", args=["lakeside"])).text
    heading = plan_page.index("Every K-2 reader is screened three times a year")
    assert "Proposed" in plan_page[heading : heading + 400]
    # Cabinet adopts the goal on its form once the board has agreed to it.
    edit_url = reverse("plan:goal", args=["lakeside", goal.pk])
    assert 'name="status"' in client.get(edit_url).text
