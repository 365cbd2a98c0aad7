"""A district edits the structure of its framework (levels, building blocks, indicators) while
no analysis has rated against it; after that, a new version is edited instead and the analysis
keeps the version it rated."""

import datetime
import re

import pytest
from django.db.models import RestrictedError
from django.urls import reverse

from benchmarking.frameworks import built_in_framework, framework_copy, to_data
from benchmarking.models import (
    BuildingBlock,
    ConsensusRating,
    Descriptor,
    Evidence,
    Framework,
    Indicator,
    Level,
    Rating,
    ReferenceTarget,
)
from benchmarking.selectors import gap_profile, rating_spread
from benchmarking.services import analysis_create, consensus_record, rating_record
from core.history import events_of
from tests.helpers import query_budget

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def framework(personas):
    return framework_copy(framework=built_in_framework(), district=personas.district, name="Ours")


@pytest.fixture
def analysis(personas, framework):
    return analysis_create(
        district=personas.district,
        user=None,
        name="Spring review",
        framework=framework,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
        campuses=[personas.district.campuses.get()],
    )


@pytest.fixture
def cabinet(as_member, personas):
    return as_member(personas.cabinet)


def url(name, *args):
    return reverse(f"discovery:{name}", args=["lakeside", *args])


def levels(framework):
    return list(framework.levels.order_by("number").values_list("name", flat=True))


def blocks(framework):
    return list(framework.building_blocks.order_by("order", "pk").values_list("name", flat=True))


def indicators(framework):
    return list(
        Indicator.objects.filter(building_block__framework=framework).order_by(
            "building_block__order", "building_block", "order", "pk"
        )
    )


def without_csrf(page):
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', "", page)


def rate(analysis, indicator, user, level=2):
    return rating_record(
        analysis=analysis, user=user, indicator=indicator, campus=None, source="self", level=level
    )


# --- On a copy nobody rated -------------------------------------------------------------


def test_levels_are_added_renamed_reordered_and_removed(cabinet, framework, analysis):
    _, second, _, fourth = framework.levels.order_by("number")
    indicator = indicators(framework)[0]
    cabinet.post(url("level_new", framework.pk), {"new-level-name": "Exemplary"})
    assert levels(framework) == ["Not yet", "Emerging", "Developing", "Established", "Exemplary"]
    cabinet.post(url("level", second.pk), {f"level-{second.pk}-name": "Starting"})
    # Moving a level takes its descriptors with it.
    emerging_text = Descriptor.objects.get(indicator=indicator, level=second).text
    cabinet.post(url("level_move", second.pk), {"offset": "-1"})
    assert levels(framework)[:2] == ["Starting", "Not yet"]
    assert Descriptor.objects.get(indicator=indicator, level__number=1).text == emerging_text
    # Removing one renumbers the rest; no target is left above the top.
    response = cabinet.post(url("level_delete", fourth.pk))
    assert response.status_code == 302
    assert levels(framework) == ["Starting", "Not yet", "Developing", "Exemplary"]
    assert list(framework.levels.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    assert set(analysis.targets.values_list("level", flat=True)) == {4}


def test_a_target_follows_its_level_when_the_levels_are_reordered(cabinet, framework, analysis):
    target = analysis.targets.first()
    target.level = 3
    target.save()
    developing = framework.levels.get(number=3)
    cabinet.post(url("level_move", developing.pk), {"offset": "1"})
    target.refresh_from_db()
    assert target.level == 4
    assert framework.levels.get(number=4) == developing


def test_a_rubric_keeps_between_two_and_ten_levels(cabinet, framework):
    for level in list(framework.levels.order_by("number"))[2:]:
        cabinet.post(url("level_delete", level.pk))
    last = framework.levels.first()
    response = cabinet.post(url("level_delete", last.pk), **HX)
    assert "A rubric needs at least 2 levels." in response.text
    assert framework.levels.count() == 2
    for number in range(8):
        cabinet.post(url("level_new", framework.pk), {"new-level-name": f"Level {number}"})
    assert framework.levels.count() == 10
    page = cabinet.get(url("framework_structure", framework.pk)).text
    assert "Add a level at the top" not in page
    response = cabinet.post(url("level_new", framework.pk), {"new-level-name": "Eleventh"})
    assert "A rubric has at most 10 levels." in response.text
    assert framework.levels.count() == 10


def test_building_blocks_are_added_with_a_first_indicator_renamed_moved_and_removed(
    cabinet, framework, analysis
):
    response = cabinet.post(
        url("block_new", framework.pk),
        {
            "new-block-name": "Family partnership",
            "new-block-indicator_code": "8.1",
            "new-block-indicator_name": "Families shape campus plans",
        },
    )
    assert response.status_code == 302
    block = framework.building_blocks.get(name="Family partnership")
    new = block.indicators.get()
    # The analysis on this framework aims for the top level of the new indicator.
    assert ReferenceTarget.objects.get(analysis=analysis, indicator=new).level == 4
    cabinet.post(url("block", block.pk), {f"block-{block.pk}-name": "Families as partners"})
    cabinet.post(url("block_move", block.pk), {"offset": "-100"})
    assert blocks(framework)[0] == "Families as partners"
    first_other = framework.building_blocks.exclude(pk=block.pk).first()
    page = cabinet.get(url("block_delete", first_other.pk))
    assert "Its 2 indicators go with it" in page.text
    cabinet.post(url("block_delete", first_other.pk))
    assert not BuildingBlock.objects.filter(pk=first_other.pk).exists()
    assert len(blocks(framework)) == 7


def test_the_last_building_block_stays(cabinet, framework):
    for block in list(framework.building_blocks.all())[1:]:
        cabinet.post(url("block_delete", block.pk))
    last = framework.building_blocks.get()
    response = cabinet.post(url("block_delete", last.pk), follow=True)
    assert "A framework needs at least one building block." in response.text
    assert framework.building_blocks.count() == 1


def test_indicators_are_added_renamed_moved_and_removed(personas, cabinet, framework, analysis):
    first_block, second_block = list(framework.building_blocks.order_by("order"))[:2]
    one, two = first_block.indicators.order_by("order")
    response = cabinet.post(
        url("indicator_new", first_block.pk),
        {
            f"new-indicator-{first_block.pk}-code": "1.3",
            f"new-indicator-{first_block.pk}-name": "Pre-K seats for every child",
        },
        **HX,
    )
    assert response.text.lstrip().startswith('<div id="structure">')
    assert "Indicator added." in response.text
    added = first_block.indicators.get(code="1.3")
    assert analysis.targets.filter(indicator=added).exists()
    # Renamed, and moved to another building block (at its end).
    cabinet.post(
        url("indicator", two.pk),
        {
            f"indicator-{two.pk}-code": "2.9",
            f"indicator-{two.pk}-name": "Children arrive ready",
            f"indicator-{two.pk}-building_block": second_block.pk,
        },
    )
    two.refresh_from_db()
    assert (two.code, two.name, two.building_block) == (
        "2.9",
        "Children arrive ready",
        second_block,
    )
    assert list(second_block.indicators.order_by("order"))[-1] == two
    cabinet.post(url("indicator_move", added.pk), {"offset": "-1"})
    assert list(first_block.indicators.order_by("order")) == [added, one]
    # Removing an indicator takes its tag off the evidence.
    evidence = Evidence.objects.create(
        district=personas.district,
        analysis=analysis,
        kind="data",
        collected_on="2026-02-01",
        summary="Enrolment",
    )
    evidence.indicators.set([added, one])
    cabinet.post(url("indicator_delete", added.pk))
    assert list(evidence.indicators.all()) == [one]
    assert not analysis.targets.filter(indicator_id=added.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "1.2"}, "Indicator code 1.2 is used already."),
        ({"code": ""}, "This field is required."),
        ({"name": "x" * 301}, "Ensure this value has at most 300 characters"),
        ({"building_block": "999999"}, "Choose a building block of this framework."),
    ],
)
def test_bad_indicator_input_is_shown_next_to_the_field_and_nothing_changes(
    cabinet, framework, data, message
):
    one = indicators(framework)[0]
    before = to_data(framework)
    fields = {"code": one.code, "name": one.name, "building_block": one.building_block_id}
    fields |= data
    for htmx in (True, False):
        response = cabinet.post(
            url("indicator", one.pk),
            {f"indicator-{one.pk}-{key}": value for key, value in fields.items()},
            **(HX if htmx else {}),
        )
        assert response.status_code == 200
        assert message in response.text
        assert 'class="errorlist"' in response.text
        assert response.text.lstrip().startswith('<div id="structure">') == htmx
    assert to_data(framework) == before


def test_the_only_indicator_of_a_block_stays_there(cabinet, framework):
    block = framework.building_blocks.first()
    one, two = block.indicators.order_by("order")
    cabinet.post(url("indicator_delete", two.pk))
    response = cabinet.post(url("indicator_delete", one.pk), **HX)
    assert "This is the only indicator of its building block" in response.text
    other = framework.building_blocks.exclude(pk=block.pk).first()
    response = cabinet.post(
        url("indicator", one.pk),
        {
            f"indicator-{one.pk}-code": one.code,
            f"indicator-{one.pk}-name": one.name,
            f"indicator-{one.pk}-building_block": other.pk,
        },
        **HX,
    )
    assert "This is the only indicator of its building block" in response.text
    assert list(block.indicators.all()) == [one]


def test_changes_are_in_the_history_with_who_made_them(personas, cabinet, framework):
    level = framework.levels.get(number=1)
    cabinet.post(url("level", level.pk), {f"level-{level.pk}-name": "Absent"})
    event = events_of(Level).filter(pgh_obj_id=level.pk).order_by("-pgh_id").first()
    assert (event.name, event.pgh_context.metadata["user"]) == ("Absent", personas.cabinet.pk)


# --- Once rated: locked, and a new version instead -----------------------------------------


@pytest.fixture
def rated(personas, analysis, framework):
    first = indicators(framework)[0]
    rate(analysis, first, personas.cabinet, level=2)
    consensus_record(analysis=analysis, user=None, indicator=first, campus=None, level=1)
    return analysis


def _every_change(framework):
    level = framework.levels.first()
    block = framework.building_blocks.first()
    indicator = block.indicators.first()
    return [
        ("level_new", framework.pk, {"new-level-name": "Exemplary"}),
        ("level", level.pk, {f"level-{level.pk}-name": "Absent"}),
        ("level_move", level.pk, {"offset": "1"}),
        ("level_delete", level.pk, {}),
        (
            "block_new",
            framework.pk,
            {
                "new-block-name": "Families",
                "new-block-indicator_code": "9.1",
                "new-block-indicator_name": "Families shape plans",
            },
        ),
        ("block", block.pk, {f"block-{block.pk}-name": "Renamed"}),
        ("block_move", block.pk, {"offset": "1"}),
        ("block_delete", block.pk, {}),
        (
            "indicator_new",
            block.pk,
            {f"new-indicator-{block.pk}-code": "1.9", f"new-indicator-{block.pk}-name": "New"},
        ),
        (
            "indicator",
            indicator.pk,
            {
                f"indicator-{indicator.pk}-code": "1.1",
                f"indicator-{indicator.pk}-name": "Renamed",
                f"indicator-{indicator.pk}-building_block": block.pk,
            },
        ),
        ("indicator_move", indicator.pk, {"offset": "1"}),
        ("indicator_delete", indicator.pk, {}),
    ]


def test_a_rated_framework_refuses_every_change_and_says_why(cabinet, framework, rated):
    before = to_data(framework)
    for name, pk, data in _every_change(framework):
        response = cabinet.post(url(name, pk), data, **HX)
        assert "Nothing was changed: this framework has ratings (in “Spring review”)" in (
            response.text
        ), name
        response = cabinet.post(url(name, pk), data, follow=True)
        assert "Make a new version of it to edit." in response.text, name
    assert to_data(framework) == before
    # The wording is kept too.
    page = cabinet.get(url("framework_edit", framework.pk)).text
    assert "Make a new version to edit" in page
    assert 'name="name"' not in page


def test_a_rated_framework_offers_a_new_version_instead_of_its_forms(cabinet, framework, rated):
    for name in ("framework", "framework_structure"):
        page = cabinet.get(url(name, framework.pk)).text
        assert "Make a new version to edit" in page
        assert url("framework_new_version", framework.pk) in page
        assert url("level_new", framework.pk) not in page
    page = cabinet.get(url("indicator_delete", indicators(framework)[0].pk)).text
    assert "Make a new version to edit" in page


def test_a_new_version_is_edited_and_the_analysis_keeps_the_version_it_rated(
    personas, cabinet, framework, rated
):
    ratings = list(Rating.objects.values_list("pk", "indicator_id", "level"))
    consensus = list(ConsensusRating.objects.values_list("pk", "indicator_id", "level"))
    heat_map = gap_profile(analysis=rated)
    spread = rating_spread(analysis=rated)
    page = cabinet.get(url("analysis", rated.pk), **HX).text  # the heat map and the rest
    response = cabinet.post(url("framework_new_version", framework.pk))
    new = Framework.objects.get(copied_from=framework)
    assert response["Location"] == url("framework_structure", new.pk)
    assert (new.name, new.revision, new.district) == ("Ours", 2, personas.district)
    assert to_data(new)["building_blocks"] == to_data(framework)["building_blocks"]
    # Edit the new version: remove the rated indicator, rename a level, add a block.
    first = new.building_blocks.order_by("order").first().indicators.order_by("order").first()
    assert cabinet.post(url("indicator_delete", first.pk)).status_code == 302
    level = new.levels.get(number=1)
    cabinet.post(url("level", level.pk), {f"level-{level.pk}-name": "Absent"})
    cabinet.post(
        url("block_new", new.pk),
        {
            "new-block-name": "Families",
            "new-block-indicator_code": "8.1",
            "new-block-indicator_name": "Families shape plans",
        },
    )
    assert not Indicator.objects.filter(pk=first.pk).exists()
    # The analysis, its ratings and its heat map are as they were.
    rated.refresh_from_db()
    assert rated.framework == framework
    assert list(Rating.objects.values_list("pk", "indicator_id", "level")) == ratings
    assert list(ConsensusRating.objects.values_list("pk", "indicator_id", "level")) == consensus
    assert gap_profile(analysis=rated) == heat_map
    assert [r["ratings"] for r in rating_spread(analysis=rated)] == [r["ratings"] for r in spread]
    after = cabinet.get(url("analysis", rated.pk), **HX).text
    assert without_csrf(after) == without_csrf(page)
    assert framework.levels.get(number=1).name == "Not yet"
    # Asking again for a new version leads to the unrated one already made.
    response = cabinet.post(url("framework_new_version", framework.pk), follow=True)
    assert "Version 2 has no rating yet: edit it." in response.text
    assert Framework.objects.filter(copied_from=framework).count() == 1
    # A new analysis can use either version; the form says which is which.
    page = cabinet.get(url("analysis_new")).text
    assert "Ours (version 2)" in page


def test_a_rated_indicator_cannot_be_deleted_from_under_its_ratings(personas, framework, rated):
    with pytest.raises(RestrictedError):
        indicators(framework)[0].delete()


# --- Who may, and what it costs ------------------------------------------------------------


@pytest.mark.parametrize("role", ["visit_team", "board", "campus_leader", "department_lead"])
def test_only_those_who_edit_the_plan_edit_a_framework(as_member, personas, framework, role):
    client = as_member(getattr(personas, role))
    before = to_data(framework)
    assert client.get(url("framework_structure", framework.pk)).status_code == 403
    for name, pk, data in _every_change(framework):
        assert client.post(url(name, pk), data).status_code == 403, name
    assert client.post(url("framework_new_version", framework.pk)).status_code == 403
    assert to_data(framework) == before


def test_an_outsider_gets_404(as_member, personas, framework):
    client = as_member(personas.outsider)
    before = to_data(framework)
    assert client.get(url("framework_structure", framework.pk)).status_code == 404
    for name, pk, data in _every_change(framework):
        assert client.post(url(name, pk), data).status_code == 404, name
    assert client.post(url("framework_new_version", framework.pk)).status_code == 404
    assert to_data(framework) == before


def test_the_built_in_framework_is_copied_not_edited(cabinet):
    built_in = built_in_framework()
    assert cabinet.get(url("framework_structure", built_in.pk)).status_code == 404
    level = built_in.levels.first()
    assert cabinet.post(url("level", level.pk), {f"level-{level.pk}-name": "x"}).status_code == 404


def test_the_structure_page_costs_the_same_however_many_blocks(cabinet, framework):
    with query_budget(8) as seven:
        cabinet.get(url("framework_structure", framework.pk))
    budget = len(seven.captured_queries)
    for number in range(5):
        cabinet.post(
            url("block_new", framework.pk),
            {
                "new-block-name": f"Block {number}",
                "new-block-indicator_code": f"9.{number}",
                "new-block-indicator_name": "Another",
            },
        )
    with query_budget(budget):
        cabinet.get(url("framework_structure", framework.pk))
    with query_budget(budget):
        cabinet.get(url("framework_structure", framework.pk), **HX)
