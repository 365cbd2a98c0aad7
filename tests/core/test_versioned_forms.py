"""An edit that does not say which version it started from is refused like a stale one, on every
versioned form: a missing, zero or unreadable version never overwrites what is stored."""

import pytest
from django.urls import reverse

from tests.factories import (
    ActionItemFactory,
    GoalFactory,
    PlanFactory,
    StrandFactory,
    TheoryFactory,
    VisitFactory,
)
from visits.models import ActionItem

HX = {"HTTP_HX_REQUEST": "true"}
# "²" passes str.isdigit() but not int().
BAD_VERSIONS = [None, "0", "", "abc", "-3", "²"]


def _with_version(data, version):
    return data if version is None else {**data, "version": version}


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_goal_edit_without_a_usable_version_shows_the_conflict(as_member, personas, version):
    goal = GoalFactory(plan=PlanFactory(district=personas.district), title="Stored title")
    response = as_member(personas.cabinet).post(
        reverse("plan:goal", args=["lakeside", goal.pk]),
        _with_version({"title": "Blind overwrite", "description": ""}, version),
        **HX,
    )
    assert "Someone else saved this while you were editing" in response.text
    goal.refresh_from_db()
    assert goal.title == "Stored title"


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_theory_edit_without_a_usable_version_shows_the_conflict(as_member, personas, version):
    theory = TheoryFactory(
        strand=StrandFactory(district=personas.district), if_clause="stored", then_clause="seen"
    )
    data = {
        "strand": theory.strand_id,
        "if_clause": "blind overwrite",
        "then_clause": "seen",
        "so_that": "",
        "problem": "",
        "rationale": "",
        "owner": "",
        "status": theory.status,
        "progress": theory.progress,
    }
    response = as_member(personas.cabinet).post(
        reverse("theories:theory", args=["lakeside", theory.pk]),
        _with_version(data, version),
        **HX,
    )
    assert "Someone else saved this while you were editing" in response.text
    theory.refresh_from_db()
    assert theory.if_clause == "stored"


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_action_item_update_without_a_usable_version_is_refused(as_member, personas, version):
    visit = VisitFactory(program__district=personas.district)
    item = ActionItemFactory(visit=visit)
    response = as_member(personas.cabinet).post(
        reverse("actions:item", args=["lakeside", item.pk]),
        _with_version({"status": "done"}, version),
        follow=True,
    )
    assert "meanwhile; check it and try again" in response.text
    assert ActionItem.objects.get(pk=item.pk).status == "open"


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_debrief_without_a_usable_version_is_refused(as_member, personas, version):
    visit = VisitFactory(program__district=personas.district)
    response = as_member(personas.visit_team).post(
        reverse("visits:debrief", args=["lakeside", visit.pk]),
        _with_version({"strengths": "Blind overwrite"}, version),
    )
    assert "Someone else saved this while you were editing" in response.text
    visit.refresh_from_db()
    assert visit.strengths == ""


def _analysis(personas):
    from benchmarking.frameworks import built_in_framework, framework_copy
    from benchmarking.services import analysis_create

    return analysis_create(
        district=personas.district,
        user=None,
        name="Discovery",
        framework=framework_copy(framework=built_in_framework(), district=personas.district),
        starts_on="2026-01-05",
        ends_on="2026-05-29",
    )


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_evidence_edit_without_a_usable_version_shows_the_conflict(as_member, personas, version):
    from benchmarking.models import Evidence

    record = Evidence.objects.create(
        district=personas.district,
        analysis=_analysis(personas),
        kind="artifact",
        collected_on="2026-02-01",
        summary="Stored summary",
    )
    response = as_member(personas.cabinet).post(
        reverse("discovery:evidence_item", args=["lakeside", record.pk]),
        _with_version(
            {"kind": "artifact", "collected_on": "2026-02-01", "summary": "Blind overwrite"},
            version,
        ),
        **HX,
    )
    assert "Someone else saved this while you were editing" in response.text
    record.refresh_from_db()
    assert record.summary == "Stored summary"


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_rating_edit_without_a_usable_version_shows_the_conflict(as_member, personas, version):
    from benchmarking.models import Rating
    from benchmarking.services import rating_record

    analysis = _analysis(personas)
    rating = rating_record(
        analysis=analysis,
        user=personas.cabinet,
        indicator=analysis.framework.building_blocks.first().indicators.first(),
        campus=None,
        source="self",
        level=2,
    )
    response = as_member(personas.cabinet).post(
        reverse("discovery:rating", args=["lakeside", rating.pk]),
        _with_version({"level": 4, "rationale": "Blind overwrite"}, version),
        **HX,
    )
    assert "Someone else saved this while you were editing" in response.text
    assert Rating.objects.get(pk=rating.pk).level == 2
