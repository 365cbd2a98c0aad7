import datetime

import pytest
from django.urls import reverse

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import ConsensusRating, Indicator
from benchmarking.selectors import gap_profile
from benchmarking.services import analysis_create, consensus_record
from tests.factories import CampusFactory


@pytest.fixture
def analysis(personas):
    framework = framework_copy(framework=built_in_framework(), district=personas.district)
    campuses = [
        personas.district.campuses.get(),
        CampusFactory(district=personas.district, name="Zephyr Middle"),
    ]
    return analysis_create(
        district=personas.district,
        user=personas.cabinet,
        name="Discovery 2026",
        framework=framework,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
        campuses=campuses,
    )


def indicators(analysis):
    return list(
        Indicator.objects.filter(building_block__framework=analysis.framework).order_by(
            "building_block__order", "order"
        )
    )


def test_reference_profile_defaults_to_the_top_level(analysis):
    assert set(analysis.targets.values_list("level", flat=True)) == {4}
    assert analysis.targets.count() == len(indicators(analysis))


def test_heat_map_averages_gaps_by_scope_and_building_block(analysis, personas):
    first, second = indicators(analysis)[:2]  # both in the first building block
    zephyr = analysis.campuses.get(name="Zephyr Middle")
    consensus_record(analysis=analysis, user=None, indicator=first, campus=None, level=2)
    consensus_record(analysis=analysis, user=None, indicator=second, campus=None, level=3)
    consensus_record(analysis=analysis, user=None, indicator=first, campus=zephyr, level=1)
    profile = gap_profile(analysis=analysis)
    rows = dict(profile["rows"])
    assert rows["District-wide"][0] == 1.5
    assert rows["Zephyr Middle"][0] == 3
    assert rows["Lakeside Elementary"][0] is None
    assert rows["District-wide"][1] is None
    ranked = [(g["indicator"].code, g["scope"], g["gap"]) for g in profile["ranked_gaps"]]
    assert ranked == [
        ("1.1", "Zephyr Middle", 3),
        ("1.1", "District-wide", 2),
        ("1.2", "District-wide", 1),
    ]


def test_a_second_consensus_replaces_the_first_and_keeps_history(analysis):
    indicator = indicators(analysis)[0]
    consensus_record(analysis=analysis, user=None, indicator=indicator, campus=None, level=2)
    consensus_record(analysis=analysis, user=None, indicator=indicator, campus=None, level=3)
    assert ConsensusRating.objects.get().level == 3


def test_ratings_outside_the_rubric_or_framework_are_refused(as_member, personas, analysis):
    other = framework_copy(framework=built_in_framework(), district=personas.district)
    foreign_indicator = Indicator.objects.filter(building_block__framework=other).first()
    url = reverse("discovery:consensus", args=["lakeside", analysis.pk])
    client = as_member(personas.cabinet)
    response = client.post(url, {"indicator": indicators(analysis)[0].pk, "level": 9})
    assert "Choose a level of the rubric." in response.text
    response = client.post(url, {"indicator": foreign_indicator.pk, "level": 2})
    assert "Choose an indicator of this analysis" in response.text
    assert not ConsensusRating.objects.exists()


def test_analysis_page_shows_the_heat_map_and_ranked_gaps(as_member, personas, analysis):
    consensus_record(
        analysis=analysis, user=None, indicator=indicators(analysis)[0], campus=None, level=1
    )
    text = (
        as_member(personas.board)
        .get(reverse("discovery:analysis", args=["lakeside", analysis.pk]))
        .text
    )
    assert 'class="chart heat-map"' in text
    assert "gap 3" in text
    assert "Record the team" not in text  # board reads only


def test_framework_import_explains_malformed_json(as_member, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = as_member(personas.cabinet).post(
        reverse("discovery:framework_import", args=["lakeside"]),
        {"file": SimpleUploadedFile("f.json", b"{not json", "application/json")},
    )
    assert "Nothing was imported: The file is not valid JSON" in response.text


def test_export_then_import_makes_the_same_framework(as_member, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_member(personas.cabinet)
    framework = built_in_framework()
    exported = client.get(
        reverse("discovery:framework_export", args=["lakeside", framework.pk])
    ).content
    response = client.post(
        reverse("discovery:framework_import", args=["lakeside"]),
        {"file": SimpleUploadedFile("f.json", exported, "application/json")},
    )
    assert response.status_code == 302


def test_another_districts_framework_is_404(as_member, personas):
    foreign = framework_copy(framework=built_in_framework(), district=personas.other_district)
    response = as_member(personas.cabinet).get(
        reverse("discovery:framework", args=["lakeside", foreign.pk])
    )
    assert response.status_code == 404


def test_heat_map_query_count_is_the_same_for_the_small_and_large_demo(client, db):
    from benchmarking.models import DiscoveryAnalysis
    from dashboard.demo import seed_demo
    from tests.factories import MembershipFactory
    from tests.helpers import page_queries

    counts = []
    for size in ("small", "large"):
        seed_demo(size=size)
        client.force_login(MembershipFactory(district__slug="demo").user)
        analysis = DiscoveryAnalysis.objects.get(district__slug="demo", previous__isnull=False)
        counts.append(page_queries(client, f"/d/demo/discovery/analyses/{analysis.pk}/"))
    assert analysis.campuses.count() > 250
    assert counts[0] == counts[1]
    # 15, and 3 for the chosen campus's alike campuses (campuses, group counts, ratings).
    assert counts[1] <= 18


def test_reference_profile_can_be_lowered_and_the_gaps_follow(as_member, personas, analysis):
    first = indicators(analysis)[0]
    consensus_record(analysis=analysis, user=None, indicator=first, campus=None, level=2)
    form = {f"target-{i.pk}": 4 for i in indicators(analysis)} | {f"target-{first.pk}": 3}
    response = as_member(personas.cabinet).post(
        reverse("discovery:profile", args=["lakeside", analysis.pk]), form
    )
    assert response.status_code == 302
    assert gap_profile(analysis=analysis)["ranked_gaps"][0]["gap"] == 1


def test_the_districts_copy_is_edited_and_the_built_in_one_is_not(as_member, personas, analysis):
    framework = analysis.framework
    client = as_member(personas.cabinet)
    page = client.get(reverse("discovery:framework_edit", args=["lakeside", framework.pk]))
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    first = indicators(analysis)[0]
    level = framework.levels.get(number=1)
    data |= {
        f"indicator-{first.pk}": "Families are supported from birth",
        f"descriptor-{first.pk}-{level.pk}": "",
    }
    assert (
        client.post(
            reverse("discovery:framework_edit", args=["lakeside", framework.pk]), data
        ).status_code
        == 302
    )
    first.refresh_from_db()
    assert first.name == "Families are supported from birth"
    assert not first.descriptors.filter(level=level).exists()
    built_in = built_in_framework()
    assert (
        client.get(reverse("discovery:framework_edit", args=["lakeside", built_in.pk])).status_code
        == 404
    )
    assert (
        built_in.building_blocks.first().indicators.first().name
        != "Families are supported from birth"
    )


def test_consensus_table_lists_one_scope_at_a_time(as_member, personas):
    from benchmarking.frameworks import built_in_framework
    from benchmarking.models import ConsensusRating
    from benchmarking.services import analysis_create
    from tests.factories import CampusFactory

    analysis = analysis_create(
        district=personas.district,
        user=None,
        name="Spring review",
        framework=built_in_framework(),
        starts_on="2026-01-01",
        ends_on="2026-06-01",
    )
    north = CampusFactory(district=personas.district, name="North Elementary")
    analysis.campuses.add(north)
    indicator = analysis.framework.building_blocks.first().indicators.first()
    ConsensusRating.objects.create(
        district=personas.district,
        analysis=analysis,
        indicator=indicator,
        level=2,
        rationale="District-wide view",
    )
    ConsensusRating.objects.create(
        district=personas.district,
        analysis=analysis,
        indicator=indicator,
        campus=north,
        level=3,
        rationale="North's own view",
    )
    client = as_member(personas.cabinet)
    url = reverse("discovery:analysis", args=["lakeside", analysis.pk])
    page = client.get(url).text
    assert "District-wide view" in page
    assert "North&#x27;s own view" not in page
    page = client.get(url, {"scope-campus": north.pk}).text
    assert "North&#x27;s own view" in page
    assert "District-wide view" not in page
    foreign = CampusFactory(district=personas.other_district)
    page = client.get(url, {"scope-campus": foreign.pk}).text
    assert "Select a valid choice" in page
    assert "District-wide view" in page


def test_the_menus_keep_the_chosen_campus_selected_and_escape_names(as_member, personas, analysis):
    zephyr = analysis.campuses.get(name="Zephyr Middle")
    odd = CampusFactory(district=personas.district, name='<b>Oak & "Elm"</b>')
    analysis.campuses.add(odd)
    page = as_member(personas.cabinet).get(
        reverse("discovery:analysis", args=["lakeside", analysis.pk]),
        {"scope-campus": zephyr.pk},
    )
    assert page.status_code == 200
    assert f'<option value="{zephyr.pk}" selected>Zephyr Middle</option>' in page.text
    assert (
        f'<option value="{odd.pk}">&lt;b&gt;Oak &amp; &quot;Elm&quot;&lt;/b&gt;</option>'
        in page.text
    )
    assert '<option value="" selected>District-wide</option>' in page.text  # the consensus form
    assert "<b>Oak" not in page.text


def test_a_refused_consensus_keeps_what_was_chosen(as_member, personas, analysis):
    zephyr = analysis.campuses.get(name="Zephyr Middle")
    indicator = indicators(analysis)[1]
    page = as_member(personas.cabinet).post(
        reverse("discovery:consensus", args=["lakeside", analysis.pk]),
        {"indicator": indicator.pk, "campus": zephyr.pk, "level": 9},
    )
    assert "Choose a level of the rubric." in page.text
    assert f'<option value="{indicator.pk}" selected>{indicator}</option>' in page.text
    assert f'<option value="{zephyr.pk}" selected>Zephyr Middle</option>' in page.text


def test_the_heat_map_draws_each_value_once_and_places_it_in_every_cell(analysis, personas):
    from core.charts import heat_map

    first = indicators(analysis)[0]
    for campus in analysis.campuses.all():
        consensus_record(analysis=analysis, user=None, indicator=first, campus=campus, level=2)
    profile = gap_profile(analysis=analysis)
    svg = heat_map(
        rows=profile["rows"],
        columns=[b.name for b in profile["blocks"]],
        chart_id="map",
        title="Gaps",
        top=3,
    )
    cells = len(profile["rows"]) * len(profile["blocks"])
    assert svg.count("<use ") == cells
    # Two values only: a gap of 2 (first block, every campus and their average) and "not rated".
    assert svg.count('<g id="map-') == 2
    assert '<text x="32" y="17" text-anchor="middle" font-size="11" fill="#ffffff">2</text>' in svg
    assert ">Zephyr Middle</text>" in svg


def test_the_gap_table_writes_decimals_in_the_readers_language(as_member, personas, analysis):
    first, second = indicators(analysis)[:2]
    consensus_record(analysis=analysis, user=None, indicator=first, campus=None, level=2)
    consensus_record(analysis=analysis, user=None, indicator=second, campus=None, level=3)
    url = reverse("discovery:analysis", args=["lakeside", analysis.pk])
    client = as_member(personas.board)
    english = client.get(url).text
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es-MX").text
    assert "<td>1.5</td>" in english
    assert "<td>1,5</td>" in spanish
    assert "<td>–</td>" in spanish


def test_heat_map_query_count_is_the_same_for_few_and_many_campuses(client, personas):
    from tests.helpers import page_queries

    framework = framework_copy(framework=built_in_framework(), district=personas.district)
    client.force_login(personas.board)
    counts = []
    for many in (2, 40):
        campuses = [CampusFactory(district=personas.district) for _ in range(many)]
        analysis = analysis_create(
            district=personas.district,
            user=None,
            name=f"Review of {many}",
            framework=framework,
            starts_on=datetime.date(2026, 1, 5),
            ends_on=datetime.date(2026, 5, 29),
            campuses=campuses,
        )
        for campus in campuses:
            for indicator in indicators(analysis)[:3]:
                consensus_record(
                    analysis=analysis, user=None, indicator=indicator, campus=campus, level=1
                )
        url = reverse("discovery:analysis", args=["lakeside", analysis.pk])
        counts.append(page_queries(client, f"{url}?scope-campus={campuses[0].pk}"))
    assert counts[0] == counts[1]
    # 15, and 3 for the chosen campus's alike campuses (campuses, group counts, ratings).
    assert counts[1] <= 18


def test_the_kept_heat_map_follows_each_new_rating_and_target(as_member, personas, analysis):
    """The heat map and its largest gaps are drawn once per change of the district: a new
    consensus rating, a moved target or a renamed building block shows on the next view."""
    first = indicators(analysis)[0]
    page = reverse("discovery:analysis", args=["lakeside", analysis.pk])
    client = as_member(personas.cabinet)
    consensus_record(analysis=analysis, user=None, indicator=first, campus=None, level=1)
    assert "gap 3" in client.get(page).text
    response = client.post(
        reverse("discovery:consensus", args=["lakeside", analysis.pk]),
        {"indicator": first.pk, "campus": "", "level": 2, "rationale": ""},
    )
    assert response.status_code == 302
    assert "gap 2" in client.get(page).text
    form = {f"target-{i.pk}": 4 for i in indicators(analysis)} | {f"target-{first.pk}": 3}
    client.post(reverse("discovery:profile", args=["lakeside", analysis.pk]), form)
    text = client.get(page).text
    assert "gap 1" in text
    assert "gap 2" not in text


def test_a_campus_scope_shows_the_campuses_like_it_that_rated_higher(as_member, personas):
    framework = framework_copy(framework=built_in_framework(), district=personas.district)
    here = personas.district.campuses.get()
    here.enrollment = 500
    here.save()
    twin = CampusFactory(district=personas.district, name="Twin Elementary", enrollment=510)
    far = CampusFactory(district=personas.district, name="Far Elementary", enrollment=2000)
    outside = CampusFactory(district=personas.district, name="Unrated Elementary", enrollment=500)
    analysis = analysis_create(
        district=personas.district,
        user=None,
        name="Discovery 2026",
        framework=framework,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
        campuses=[here, twin, far],
    )
    first = indicators(analysis)[0]
    for campus, level in ((here, 2), (twin, 3), (far, 1)):
        consensus_record(analysis=analysis, user=None, indicator=first, campus=campus, level=level)
    url = reverse("discovery:analysis", args=["lakeside", analysis.pk])
    text = as_member(personas.board).get(url, {"scope-campus": here.pk}).text
    section = text[text.index('id="alike-heading"') :]
    section = section[: section.index("</section>")]
    assert "Campuses like Lakeside Elementary" in section
    assert first.building_block.name in section
    assert section.index("Twin Elementary") < section.index("Far Elementary")
    twin_row = section[section.index("Twin Elementary") :]
    assert '<strong>3</strong> <span class="badge ok">higher</span>' in twin_row[:300]
    far_row = section[section.index("Far Elementary") :]
    assert "<td>1</td>" in far_row[: far_row.index("</tr>")]
    assert outside.name not in section
    assert reverse("plan:comparable", args=["lakeside", here.pk]) in section
