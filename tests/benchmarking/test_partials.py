"""Every Discovery form answers htmx with the fragment it targets and a plain post with a
redirect; bad input comes back next to the field, with nothing saved, either way."""

import pytest
from django.urls import reverse

from benchmarking.models import (
    ConsensusRating,
    Evidence,
    Finding,
    Indicator,
    Rating,
    Recommendation,
)
from benchmarking.services import finding_add, recommendation_add
from district_plan.models import Goal
from tests.factories import PlanFactory, StrandFactory
from tests.helpers import query_budget

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def setting(personas, analysis):
    """What the forms need: an indicator, a finding, a recommendation, a plan and a strand."""
    indicator = (
        Indicator.objects.filter(building_block__framework=analysis.framework)
        .order_by("building_block__order", "order")
        .first()
    )
    finding = finding_add(analysis=analysis, user=None, kind="gap", text="Help starts late")
    recommendation = recommendation_add(
        analysis=analysis, user=None, text="Screen early", priority="high", findings=[finding]
    )
    return {
        "analysis": analysis,
        "indicator": indicator,
        "campus": personas.district.campuses.get(),
        "recommendation": recommendation,
        "plan": PlanFactory(district=personas.district),
        "strand": StrandFactory(district=personas.district),
    }


def _consensus(s, good):
    return {"indicator": s["indicator"].pk, "level": 2 if good else 9, "campus": s["campus"].pk}


def _evidence(s, good):
    return {"kind": "survey", "collected_on": "2026-02-03", "summary": "Survey" if good else ""}


def _rating(s, good):
    return {"indicator": s["indicator"].pk, "source": "self", "level": 3 if good else ""}


def _finding(s, good):
    return {"kind": "strength", "text": "Teams trust data" if good else ""}


def _recommendation(s, good):
    return {"text": "Coach teams", "priority": "medium" if good else "urgent"}


def _pathway(s, good):
    prefix = f"pathway-{s['recommendation'].pk}-"
    data = {
        "plan": s["plan"].pk,
        "goal_title": "Screen every K-2 reader",
        "strand": s["strand"].pk,
        "statements": "IF we screen, THEN teachers regroup." if good else "Not a theory",
    }
    return {prefix + key: value for key, value in data.items()}


# url name, what the url takes, the data, the fragment's element id, the page it redirects to,
# what a save adds, the message next to a field
FORMS = {
    "consensus": ("analysis", _consensus, "analysis-body", "analysis", ConsensusRating),
    "evidence_add": ("analysis", _evidence, "evidence-body", "evidence", Evidence),
    "rating_add": ("analysis", _rating, "ratings-body", "ratings", Rating),
    "finding_add": ("analysis", _finding, "findings-body", "findings", Finding),
    "recommendation_add": (
        "analysis",
        _recommendation,
        "findings-body",
        "findings",
        Recommendation,
    ),
    "pathway": ("recommendation", _pathway, "findings-body", "findings", Goal),
}


def _post(client, name, setting, good, **extra):
    takes, data, *_ = FORMS[name]
    url = reverse(f"discovery:{name}", args=["lakeside", setting[takes].pk])
    return client.post(url, data(setting, good), **extra)


@pytest.mark.parametrize("name", FORMS)
def test_htmx_gets_the_fragment_with_what_was_saved(as_member, personas, setting, name):
    _, _, body, _, model = FORMS[name]
    before = model.objects.count()
    response = _post(as_member(personas.cabinet), name, setting, True, **HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div id="{body}">')
    assert 'role="status"' in response.text
    assert "<html" not in response.text
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("name", FORMS)
def test_a_plain_post_is_redirected_to_its_page(as_member, personas, setting, name):
    _, _, _, page, model = FORMS[name]
    before = model.objects.count()
    response = _post(as_member(personas.cabinet), name, setting, True)
    assert response.status_code == 302
    target = reverse(f"discovery:{page}", args=["lakeside", setting["analysis"].pk])
    assert response["Location"].startswith(target)
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("name", FORMS)
def test_bad_input_comes_back_next_to_the_field_and_nothing_is_saved(
    as_member, personas, setting, name, htmx
):
    _, _, body, _, model = FORMS[name]
    before = model.objects.count()
    response = _post(as_member(personas.cabinet), name, setting, False, **(HX if htmx else {}))
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    if htmx:
        assert response.text.lstrip().startswith(f'<div id="{body}">')
    else:
        assert "<html" in response.text
    assert model.objects.count() == before


def test_a_recorded_consensus_lists_the_scope_it_was_recorded_for(as_member, personas, setting):
    response = _post(as_member(personas.cabinet), "consensus", setting, True)
    assert response["Location"].endswith(f"?scope-campus={setting['campus'].pk}#consensus-heading")
    page = _post(as_member(personas.cabinet), "consensus", setting, True, **HX).text
    assert f'<option value="{setting["campus"].pk}" selected>' in page


def test_a_page_asked_for_by_htmx_is_its_body(as_member, personas, setting):
    client = as_member(personas.board)
    for page, body in [
        ("analysis", "analysis-body"),
        ("evidence", "evidence-body"),
        ("ratings", "ratings-body"),
        ("findings", "findings-body"),
    ]:
        url = reverse(f"discovery:{page}", args=["lakeside", setting["analysis"].pk])
        assert client.get(url, **HX).text.lstrip().startswith(f'<div id="{body}">')
        assert "<html" in client.get(url).text


@pytest.mark.parametrize("name", FORMS)
def test_an_outsider_gets_404_and_nothing_is_saved(as_member, personas, setting, name):
    model = FORMS[name][4]
    before = model.objects.count()
    assert _post(as_member(personas.outsider), name, setting, True).status_code == 404
    assert model.objects.count() == before


def test_the_findings_page_costs_the_same_however_many_findings(as_member, personas, setting):
    client = as_member(personas.cabinet)
    url = reverse("discovery:findings", args=["lakeside", setting["analysis"].pk])
    # One each for the meetings' decisions and the open comments on every finding.
    with query_budget(20) as few:
        client.get(url)
    budget = len(few.captured_queries)
    for number in range(5):
        finding = finding_add(
            analysis=setting["analysis"], user=None, kind="need", text=f"Need {number}"
        )
        recommendation_add(
            analysis=setting["analysis"],
            user=None,
            text=f"Answer {number}",
            priority="low",
            findings=[finding],
        )
    with query_budget(budget):
        client.get(url)
