"""Discovery over time: a district re-rates a year later in a round that follows the last one,
sees the last round's consensus while it rates, and reads what moved since."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from benchmarking.frameworks import built_in_framework
from benchmarking.models import DiscoveryAnalysis, Indicator, ReferenceTarget
from benchmarking.selectors import round_movement
from benchmarking.services import (
    analysis_next_round,
    consensus_record,
    finding_add,
    rating_record,
    recommendation_add,
)
from core.roles import Role
from reports.models import Report
from reports.tasks import render_report
from tests.factories import CampusFactory, GoalFactory, PlanFactory, TheoryFactory
from tests.helpers import page_queries
from tests.reports.test_rendering import text_of


def url(name, pk):
    return reverse(f"discovery:{name}", args=["lakeside", pk])


def indicators(analysis):
    return list(
        Indicator.objects.filter(building_block__framework=analysis.framework).order_by(
            "building_block__order", "order"
        )
    )


def next_round(analysis):
    return analysis_next_round(
        district=analysis.district,
        previous=analysis,
        user=None,
        name="Discovery, second round",
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 5, 28),
    )


@pytest.fixture
def campus(analysis):
    return analysis.campuses.get()


@pytest.fixture
def rounds(analysis, campus):
    """The spring round and the one a year later, rated so that (in the first building
    blocks' order) 1.1 went up a level district-wide and two at the campus, 1.2 down one, 2.1
    stayed, 2.2 was rated for the first time and 3.1 no longer."""
    first, second, third, fourth, fifth = indicators(analysis)[:5]
    for indicator, level in ((first, 2), (second, 3), (third, 2), (fifth, 3)):
        consensus_record(
            analysis=analysis, user=None, indicator=indicator, campus=None, level=level
        )
    consensus_record(analysis=analysis, user=None, indicator=first, campus=campus, level=1)
    later = next_round(analysis)
    for indicator, level in ((first, 3), (second, 2), (third, 2), (fourth, 2)):
        consensus_record(analysis=later, user=None, indicator=indicator, campus=None, level=level)
    consensus_record(analysis=later, user=None, indicator=first, campus=campus, level=3)
    return analysis, later


def test_the_next_round_copies_the_framework_scope_team_and_reference_profile(
    as_member, personas, analysis, campus
):
    analysis.team.set([personas.cabinet, personas.visit_team])
    first = indicators(analysis)[0]
    ReferenceTarget.objects.filter(analysis=analysis, indicator=first).update(level=2)
    response = as_member(personas.cabinet).post(
        url("analysis_next_round", analysis.pk),
        {"name": "Discovery 2027", "starts_on": "2027-01-04", "ends_on": "2027-05-28"},
    )
    later = DiscoveryAnalysis.objects.get(name="Discovery 2027")
    assert response.status_code == 302
    assert response["Location"] == url("analysis", later.pk)
    assert later.previous == analysis
    assert later.district == analysis.district
    assert later.framework == analysis.framework
    assert list(later.campuses.all()) == [campus]
    assert set(later.team.all()) == {personas.cabinet, personas.visit_team}
    targets = dict(later.targets.values_list("indicator_id", "level"))
    assert targets == dict(analysis.targets.values_list("indicator_id", "level"))
    assert targets[first.pk] == 2
    assert (later.starts_on, later.ends_on) == (
        datetime.date(2027, 1, 4),
        datetime.date(2027, 5, 28),
    )


def test_the_form_proposes_the_dates_a_year_after_the_previous_round(as_member, personas, analysis):
    page = as_member(personas.cabinet).get(url("analysis_next_round", analysis.pk)).text
    assert 'value="2027-01-05"' in page
    assert 'value="2027-05-29"' in page
    assert "Discovery, next round" in page


def test_a_round_that_ends_before_it_starts_is_refused_next_to_the_field(
    as_member, personas, analysis
):
    response = as_member(personas.cabinet).post(
        url("analysis_next_round", analysis.pk),
        {"name": "Backwards", "starts_on": "2027-05-28", "ends_on": "2027-01-04"},
    )
    assert response.status_code == 200
    assert "The analysis ends after it starts." in response.text
    assert not DiscoveryAnalysis.objects.filter(name="Backwards").exists()


def test_another_districts_analysis_is_a_404_and_cannot_be_followed(as_member, personas, analysis):
    client = as_member(personas.outsider)
    assert client.get(url("analysis_next_round", analysis.pk)).status_code == 404
    response = client.post(
        url("analysis_next_round", analysis.pk),
        {"name": "Taken", "starts_on": "2027-01-04", "ends_on": "2027-05-28"},
    )
    assert response.status_code == 404
    assert not DiscoveryAnalysis.objects.filter(name="Taken").exists()
    with pytest.raises(ValidationError):
        analysis_next_round(
            district=personas.other_district,
            previous=analysis,
            user=None,
            name="Taken",
            starts_on=datetime.date(2027, 1, 4),
            ends_on=datetime.date(2027, 5, 28),
        )
    stray = DiscoveryAnalysis(
        district=personas.other_district,
        name="Taken",
        framework=built_in_framework(),
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 5, 28),
        previous=analysis,
    )
    with pytest.raises(ValidationError, match="same district"):
        stray.clean()


@pytest.mark.parametrize("role", list(Role))
def test_only_those_who_edit_discovery_may_start_a_round(as_member, personas, analysis, role):
    client = as_member(personas.by_role()[role])
    response = client.post(
        url("analysis_next_round", analysis.pk),
        {"name": "Next", "starts_on": "2027-01-04", "ends_on": "2027-05-28"},
    )
    allowed = role in (Role.ADMIN, Role.CABINET)
    assert response.status_code == (302 if allowed else 403)
    assert DiscoveryAnalysis.objects.filter(name="Next").exists() == allowed
    page = client.get(url("analysis", analysis.pk)).text
    assert ("Start the next round" in page) == allowed


def test_raters_see_the_last_rounds_consensus_beside_each_indicator(
    as_member, personas, rounds, campus
):
    _previous, later = rounds
    first = indicators(later)[0]
    client = as_member(personas.cabinet)
    for scope in (None, campus):
        rating_record(
            analysis=later,
            user=personas.cabinet,
            indicator=first,
            campus=scope,
            source="team",
            level=4,
        )
    page = client.get(url("ratings", later.pk)).text
    district_row = re.search(rf'<tr id="spread-{first.pk}-district">(.*?)</tr>', page, re.S)[1]
    campus_row = re.search(rf'<tr id="spread-{first.pk}-{campus.pk}">(.*?)</tr>', page, re.S)[1]
    assert "Last round" in page
    # The consensus agreed in this round, then the last round's.
    assert re.findall(r"<td>(\d)</td>", district_row)[-2:] == ["3", "2"]
    assert re.findall(r"<td>(\d)</td>", campus_row)[-2:] == ["3", "1"]
    rating = later.ratings.get(campus=campus)
    detail = client.get(url("rating", rating.pk)).text
    assert re.search(r"Last round.{1,8}s consensus</dt><dd>1</dd>", detail)
    consensus = client.get(url("analysis", later.pk)).text
    assert re.search(r"<td>3</td><td>2</td>", consensus)


def test_the_last_rounds_consensus_is_read_in_constant_queries(as_member, personas, rounds, campus):
    previous, later = rounds
    client = as_member(personas.cabinet)

    def rate(indicator, scope):
        for analysis in (previous, later):
            consensus_record(
                analysis=analysis, user=None, indicator=indicator, campus=scope, level=2
            )
        rating_record(
            analysis=later,
            user=personas.cabinet,
            indicator=indicator,
            campus=scope,
            source="self",
            level=2,
        )

    rate(indicators(later)[0], None)
    pages = [url("ratings", later.pk), url("analysis", later.pk) + f"?scope-campus={campus.pk}"]
    before = [page_queries(client, page) for page in pages]
    for indicator in indicators(later):
        rate(indicator, None)
        rate(indicator, campus)
    assert [page_queries(client, page) for page in pages] == before


def test_movement_tells_up_down_unchanged_newly_rated_and_no_longer_rated(rounds, campus):
    previous, later = rounds
    movement = round_movement(analysis=later)
    assert movement["previous"] == previous
    changes = {row["indicator"].code: row["change"] for row in movement["indicators"]}
    assert [(c["kind"], c["text"]) for c in list(changes.values())[:5]] == [
        ("up", "+1"),
        ("down", "\u22121"),
        ("same", "0"),
        ("new", "new"),
        ("dropped", "no longer rated"),
    ]
    assert (changes["1.1"]["before"], changes["1.1"]["now"]) == (2, 3)
    assert changes["3.2"]["kind"] == "none"
    assert movement["totals"] == {"up": 1, "down": 1, "same": 1, "new": 1, "dropped": 1} | {
        "none": len(changes) - 5
    }
    first_row = movement["indicators"][0]
    assert first_row["campuses"] == {"up": 1, "down": 0, "same": 0}
    heat = {row["scope"]: [cell["text"] for cell in row["cells"]] for row in movement["heat"]}
    # Block 1: up one and down one average to 0; block 2: only 2.1 was rated twice; block 3: nothing twice.
    assert heat["District-wide"][:3] == ["0", "0", "\u2014"]
    assert heat[campus.name][:3] == ["+2", "\u2014", "\u2014"]
    at_campus = round_movement(analysis=later, campus=campus)
    assert at_campus["scope"] == campus.name
    assert at_campus["indicators"][0]["change"]["text"] == "+2"
    assert at_campus["indicators"][1]["change"]["kind"] == "none"


def test_a_first_round_has_no_movement_and_says_so(as_member, personas, analysis):
    assert round_movement(analysis=analysis) is None
    page = as_member(personas.board).get(url("movement", analysis.pk)).text
    assert "first round" in page


def _pathway(previous, indicator):
    finding = finding_add(
        analysis=previous,
        user=None,
        kind="gap",
        text="Support starts late",
        indicators=[indicator],
    )
    recommendation = recommendation_add(
        analysis=previous,
        user=None,
        text="Start reading support in kindergarten",
        priority="high",
        findings=[finding],
    )
    district = previous.district
    GoalFactory(
        plan=PlanFactory(district=district), title="Readers by grade 3", origin=recommendation
    )
    TheoryFactory(strand__district=district, short_name="Early screening", origin=recommendation)
    return recommendation


def test_the_page_shows_change_as_colour_and_sign_beside_what_aimed_at_each_indicator(
    as_member, personas, rounds, django_assert_max_num_queries
):
    previous, later = rounds
    _pathway(previous, indicators(later)[0])
    client = as_member(personas.board)
    with django_assert_max_num_queries(20):
        page = client.get(url("movement", later.pk)).text
    first_row = re.search(r'<tr id="movement-\d+">(.*?)</tr>', page, re.S)[1]
    assert '<td class="change change-up">+1</td>' in first_row
    assert "Start reading support in kindergarten" in first_row
    assert "Readers by grade 3" in first_row
    assert "Early screening" in first_row
    assert '<td class="change change-down">\u22121</td>' in page
    assert "<caption" in page
    assert 'class="table-wrap"' in page
    assert "1 up, 1 down, 1 unchanged, 1 newly rated, 1 no longer rated." in page
    assert "Since the last round" in client.get(url("analysis", later.pk)).text


def test_the_movement_page_reads_in_constant_queries_whatever_the_size(
    as_member, personas, rounds, campus
):
    previous, later = rounds
    _pathway(previous, indicators(later)[0])
    client = as_member(personas.cabinet)
    before = page_queries(client, url("movement", later.pk))
    at_campus = page_queries(client, url("movement", later.pk) + f"?scope-campus={campus.pk}")
    more = [CampusFactory(district=personas.district) for _ in range(4)]
    later.campuses.add(*more)
    previous.campuses.add(*more)
    for indicator in indicators(later)[1:6]:
        _pathway(previous, indicator)
        for scope in more:
            for analysis, level in ((previous, 1), (later, 2)):
                consensus_record(
                    analysis=analysis, user=None, indicator=indicator, campus=scope, level=level
                )
    assert page_queries(client, url("movement", later.pk)) == before
    assert page_queries(client, url("movement", later.pk) + f"?scope-campus={more[0].pk}") == (
        at_campus
    )


def test_an_outsider_gets_404(as_member, personas, rounds):
    _previous, later = rounds
    client = as_member(personas.outsider)
    assert client.get(url("movement", later.pk)).status_code == 404
    assert client.get(url("analysis_next_round", later.pk)).status_code == 404


def test_the_discovery_report_has_a_since_the_last_round_section(media, rounds):
    previous, later = rounds
    texts = {}
    for analysis in (previous, later):
        report = Report.objects.create(
            district_id=analysis.district_id,
            kind="discovery",
            analysis=analysis,
            title=analysis.name,
        )
        render_report(report.pk)
        report.refresh_from_db()
        assert report.status == "ready"
        texts[analysis] = " ".join(text_of(report)[2].split())
    assert "Since the last round" in texts[later]
    assert "1 up, 1 down, 1 unchanged, 1 newly rated, 1 no longer rated." in texts[later]
    assert "Gaps to the reference profile" in texts[previous]
    assert "Since the last round" not in texts[previous]
