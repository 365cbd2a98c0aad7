"""A rater edits their own rating in place; nobody else does."""

import pytest
from django.urls import reverse

from benchmarking.models import Evidence, Indicator, Rating
from benchmarking.services import analysis_create, rating_record
from core.history import history, record_events
from core.roles import may_change_rating
from tests.factories import MembershipFactory
from tests.helpers import query_budget

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def indicator(analysis):
    return (
        Indicator.objects.filter(building_block__framework=analysis.framework)
        .order_by("building_block__order", "order")
        .first()
    )


@pytest.fixture
def interview(personas, analysis):
    return Evidence.objects.create(
        district=personas.district,
        analysis=analysis,
        kind="interview",
        collected_on="2026-02-01",
        summary="Principals' focus group",
    )


@pytest.fixture
def survey(personas, analysis):
    return Evidence.objects.create(
        district=personas.district,
        analysis=analysis,
        kind="survey",
        collected_on="2026-02-02",
        summary="Teacher survey",
    )


@pytest.fixture
def rating(personas, analysis, indicator, interview):
    return rating_record(
        analysis=analysis,
        user=personas.cabinet,
        indicator=indicator,
        campus=None,
        source="self",
        level=2,
        rationale="Some programs",
        evidence=[interview],
    )


def url(name, pk):
    return reverse(f"discovery:{name}", args=["lakeside", pk])


def form_data(rating, **changes):
    return {
        "level": rating.level,
        "rationale": rating.rationale,
        "evidence": [e.pk for e in rating.evidence.all()],
        "version": rating.version,
    } | changes


def row_id(rating):
    return f"spread-{rating.indicator_id}-district"


def test_the_rater_edits_in_place_and_the_row_comes_back_with_htmx(
    as_member, personas, rating, interview, survey
):
    client = as_member(personas.cabinet)
    form = client.get(url("rating_edit", rating.pk), **HX)
    assert form.text.lstrip().startswith(f'<tr class="editing" id="{row_id(rating)}"')
    response = client.post(
        url("rating", rating.pk),
        form_data(rating, level=3, evidence=[interview.pk, survey.pk]),
        **HX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="{row_id(rating)}"')
    assert "<strong>3</strong>" in response.text
    assert "Single source" not in response.text  # two kinds of evidence now
    rating.refresh_from_db()
    assert (rating.level, rating.version) == (3, 2)
    assert set(rating.evidence.all()) == {interview, survey}
    # Cancel asks for the row.
    row = client.get(url("rating", rating.pk), **HX)
    assert row.text.lstrip().startswith(f'<tr id="{row_id(rating)}"')


def test_a_plain_post_is_redirected_to_the_row_and_the_history_keeps_the_change(
    as_member, personas, rating
):
    client = as_member(personas.cabinet)
    response = client.post(url("rating", rating.pk), form_data(rating, level=1))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("discovery:ratings", args=["lakeside", rating.analysis_id]) + f"#{row_id(rating)}"
    )
    [change, *_] = history([record_events(rating)])
    assert change.user == personas.cabinet
    assert [(c.label, c.old, c.new) for c in change.changes] == [("Level", "2", "1")]


def test_the_ratings_page_offers_edit_on_your_own_ratings_only(
    as_member, personas, analysis, indicator, rating
):
    theirs = rating_record(
        analysis=analysis,
        user=personas.admin,
        indicator=indicator,
        campus=None,
        source="team",
        level=1,
    )
    page = as_member(personas.cabinet).get(url("ratings", analysis.pk)).text
    assert url("rating_edit", rating.pk) in page
    assert url("rating_edit", theirs.pk) not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"level": "9"}, "Choose a level of the rubric."),
        ({"level": ""}, "This field is required."),
        ({"level": "²"}, "Enter a whole number."),
        ({"rationale": "x" * 6000}, "Ensure this value has at most 5000 characters"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_changes(
    as_member, personas, rating, changes, message
):
    response = as_member(personas.cabinet).post(
        url("rating", rating.pk), form_data(rating, **changes), **HX
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'class="errorlist"' in response.text
    rating.refresh_from_db()
    assert (rating.level, rating.version) == (2, 1)


def test_evidence_of_another_analysis_cannot_be_cited(
    as_member, personas, rating, analysis, indicator
):
    other = analysis_create(
        district=personas.district,
        user=None,
        name="Other",
        framework=analysis.framework,
        starts_on="2026-01-01",
        ends_on="2026-02-01",
    )
    foreign = Evidence.objects.create(
        district=personas.district,
        analysis=other,
        kind="data",
        collected_on="2026-01-02",
        summary="Elsewhere",
    )
    response = as_member(personas.cabinet).post(
        url("rating", rating.pk), form_data(rating, evidence=[foreign.pk]), **HX
    )
    assert "Select a valid choice" in response.text
    assert list(Rating.objects.get(pk=rating.pk).evidence.all()) != [foreign]


def test_a_stale_edit_shows_both_versions(as_member, personas, rating):
    client = as_member(personas.cabinet)
    stale = form_data(rating, level=4)
    client.post(url("rating", rating.pk), form_data(rating, level=3), **HX)
    response = client.post(url("rating", rating.pk), stale, **HX)
    assert "Someone else saved this while you were editing" in response.text
    assert 'name="version" value="2"' in response.text
    assert Rating.objects.get(pk=rating.pk).level == 3
    client.post(url("rating", rating.pk), {**stale, "version": 2}, **HX)
    assert Rating.objects.get(pk=rating.pk).level == 4


def test_rating_again_from_the_form_is_a_new_version_of_the_same_rating(
    personas, analysis, indicator, rating
):
    again = rating_record(
        analysis=analysis,
        user=personas.cabinet,
        indicator=indicator,
        campus=None,
        source="self",
        level=4,
    )
    assert (again.pk, again.version, again.level) == (rating.pk, 2, 4)


@pytest.mark.parametrize("who", ["admin", "visit_team", "board"])
def test_nobody_else_changes_a_rating(as_member, personas, rating, who):
    client = as_member(getattr(personas, who))
    assert client.get(url("rating_edit", rating.pk)).status_code == 403
    response = client.post(url("rating", rating.pk), form_data(rating, level=4))
    assert response.status_code == 403
    assert "change another member" in response.text
    assert client.get(url("rating", rating.pk)).status_code == 200  # reading is fine
    assert Rating.objects.get(pk=rating.pk).level == 2


def test_a_rater_whose_role_no_longer_rates_cannot_change_it(personas, rating):
    membership = personas.cabinet.memberships.get()
    assert may_change_rating(membership, rating)
    membership.role = "board"
    assert not may_change_rating(membership, rating)
    membership.role, membership.is_active = "cabinet", False
    assert not may_change_rating(membership, rating)
    other = MembershipFactory(user=personas.cabinet, district=personas.other_district)
    assert not may_change_rating(other, rating)


def test_an_outsider_gets_404(as_member, personas, rating):
    client = as_member(personas.outsider)
    assert client.get(url("rating", rating.pk)).status_code == 404
    assert client.get(url("rating_edit", rating.pk)).status_code == 404
    assert client.post(url("rating", rating.pk), form_data(rating, level=4)).status_code == 404
    assert Rating.objects.get(pk=rating.pk).level == 2


def test_query_budgets(as_member, personas, analysis, rating):
    client = as_member(personas.cabinet)
    with query_budget(11):
        assert client.get(url("ratings", analysis.pk)).status_code == 200
    with query_budget(5):
        assert client.get(url("rating", rating.pk)).status_code == 200
    with query_budget(7):
        assert client.get(url("rating_edit", rating.pk), **HX).status_code == 200
    # The save (most of it the history's bookkeeping) and the row drawn again.
    with query_budget(24):
        client.post(url("rating", rating.pk), form_data(rating, level=3), **HX)
