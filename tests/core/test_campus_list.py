import datetime
import re

from django.urls import reverse

from dashboard.demo import seed_demo
from district_plan.models import Measure
from tests.core.test_campus_detail import observe
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    GoalFactory,
    LookForFactory,
    MeasureFactory,
    MeasureResultFactory,
    MembershipFactory,
    PlanFactory,
    ProgramFactory,
    StudentGroupFactory,
    VisitFactory,
)
from tests.helpers import page_queries, travel_to


def url(slug="lakeside"):
    return reverse("core:campuses", args=[slug])


def test_lists_only_this_districts_campuses(as_member, personas):
    CampusFactory(district=personas.other_district, name="Hillcrest Middle")
    response = as_member(personas.board).get(url())
    assert "Lakeside Elementary" in response.text
    assert "Hillcrest Middle" not in response.text


def test_search_and_level_filter(as_member, personas):
    CampusFactory(district=personas.district, name="Lakeside High School", level="high")
    client = as_member(personas.cabinet)
    response = client.get(url(), {"q": "high"})
    assert "Lakeside High School" in response.text
    assert "Lakeside Elementary" not in response.text
    response = client.get(url(), {"level": "elementary"})
    assert "Lakeside Elementary" in response.text
    assert "Lakeside High School" not in response.text


def test_htmx_filter_gets_only_the_table(as_member, personas):
    response = as_member(personas.cabinet).get(
        url(), {"q": "Lakeside"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="campus-table"
    )
    assert response.text.lstrip().startswith('<div id="campus-table"')
    assert "<html" not in response.text


def test_campus_names_with_markup_are_shown_as_text(as_member, personas):
    CampusFactory(district=personas.district, name="<script>alert(1)</script> Academy")
    response = as_member(personas.cabinet).get(url())
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Academy" in response.text


def test_import_link_only_for_district_admins(as_member, personas):
    assert "Import campuses" in as_member(personas.admin).get(url()).text
    assert "Import campuses" not in as_member(personas.cabinet).get(url()).text


def test_outsider_gets_404(as_member, personas):
    assert as_member(personas.outsider).get(url()).status_code == 404


def test_query_count_does_not_grow_with_the_district(client, db):
    def chosen():
        measure = Measure.objects.filter(district__slug="demo", results__campus__isnull=False)
        return f"{url('demo')}?measure={measure.first().pk}&sort=-measure_result"

    seed_demo(size="small")
    client.force_login(MembershipFactory(district__slug="demo").user)
    small = [page_queries(client, url("demo")), page_queries(client, chosen())]
    seed_demo(size="large")
    client.force_login(MembershipFactory(district__slug="demo").user)
    large = [page_queries(client, url("demo")), page_queries(client, chosen())]
    assert small == large
    # The session's user and membership, the chooser's measures, the campuses.
    assert large[1] <= 6


def test_search_ignores_accents_and_case(as_member, personas):
    CampusFactory(district=personas.district, name="Peña Middle School")
    CampusFactory(district=personas.district, name="Jose Marti Academy")
    client = as_member(personas.cabinet)
    assert "Peña Middle School" in client.get(url(), {"q": "pena"}).text
    assert "Peña Middle School" in client.get(url(), {"q": "PEÑA"}).text
    assert "Jose Marti Academy" in client.get(url(), {"q": "josé martí"}).text


def _names(text):
    """The campus names in the list's order."""
    return re.findall(r'<td><a href="/d/lakeside/campuses/\d+/">([^<]+)</a></td>', text)


def test_the_list_sorts_by_overdue_items_last_visit_and_enrollment(as_member, personas):
    with travel_to("2026-11-17"):
        program = ProgramFactory(district=personas.district)
        oak = CampusFactory(district=personas.district, name="Oak Elementary", enrollment=300)
        elm = CampusFactory(district=personas.district, name="Elm Middle", enrollment=900)
        pine = CampusFactory(district=personas.district, name="Pine High", enrollment=None)
        for campus, day, overdue in ((oak, 6, 1), (elm, 13, 3)):
            visit = VisitFactory(
                program=program, campus=campus, date=datetime.date(2026, 10, day), status="closed"
            )
            for _ in range(overdue):
                ActionItemFactory(visit=visit, due_date=datetime.date(2026, 11, 1))
            ActionItemFactory(visit=visit, due_date=datetime.date(2026, 12, 1))
        VisitFactory(program=program, campus=pine, date=datetime.date(2026, 12, 8))
        client = as_member(personas.cabinet)

        def listed(sort):
            return [n for n in _names(client.get(url(), {"sort": sort}).text) if n in NAMES]

        NAMES = {"Oak Elementary", "Elm Middle", "Pine High"}
        assert listed("-overdue_items") == ["Elm Middle", "Oak Elementary", "Pine High"]
        assert listed("overdue_items")[-1] == "Elm Middle"
        assert listed("-last_visit")[:2] == ["Elm Middle", "Oak Elementary"]
        assert listed("next_visit")[0] == "Pine High"
        # A campus with no enrollment known sorts last either way.
        assert listed("enrollment") == ["Oak Elementary", "Elm Middle", "Pine High"]
        assert listed("-enrollment") == ["Elm Middle", "Oak Elementary", "Pine High"]
        text = client.get(url(), {"sort": "-overdue_items", "level": "middle"}).text
    heading = re.search(r'<th scope="col" aria-sort="descending"><a href="([^"]+)"', text)
    assert heading is not None
    assert "level=middle" in heading[1]
    assert "sort=overdue_items" in heading[1]


def test_an_unknown_sort_lists_by_name(as_member, personas):
    CampusFactory(district=personas.district, name="Aspen Elementary")
    response = as_member(personas.board).get(url(), {"sort": "password; drop table"})
    assert response.status_code == 200
    assert _names(response.text) == sorted(_names(response.text), key=str.lower)


def test_the_list_shows_and_sorts_by_the_share_of_observations_that_saw_look_fors(
    as_member, personas
):
    with travel_to("2026-11-17"):
        program = ProgramFactory(district=personas.district)
        charts = LookForFactory(program=program)
        oak = CampusFactory(district=personas.district, name="Oak Elementary")
        elm = CampusFactory(district=personas.district, name="Elm Middle")
        at_oak = VisitFactory(program=program, campus=oak, date=datetime.date(2026, 10, 6))
        for look_fors in ([charts], [charts], [charts], []):
            observe(at_oak, look_fors)
        # Older than twelve months: not counted.
        long_ago = VisitFactory(program=program, campus=oak, date=datetime.date(2025, 10, 6))
        observe(long_ago, [])
        at_elm = VisitFactory(program=program, campus=elm, date=datetime.date(2026, 10, 13))
        observe(at_elm, [charts])
        observe(at_elm, [])
        client = as_member(personas.cabinet)
        text = client.get(url(), {"sort": "-look_fors_seen"}).text
    assert "Look-fors seen, last 12 months" in text
    assert _names(text)[:2] == ["Oak Elementary", "Elm Middle"]
    oak_row = text[text.index("Oak Elementary") :]
    assert oak_row[: oak_row.index("</tr>")].endswith("<td>75%</td>")
    elm_row = text[text.index("Elm Middle") :]
    assert elm_row[: elm_row.index("</tr>")].endswith("<td>50%</td>")


def _results_by_campus(district):
    """Three campuses' latest All students reading results (62.5, 48 and a small group's 90),
    an older result that is not the latest, and a campus with none."""
    reading = MeasureFactory(goal=GoalFactory(plan=PlanFactory(district=district)), name="Reading")
    for name, value, students in (("Oak", "62.5", 300), ("Elm", "48", 250), ("Tiny", "90", 4)):
        campus = CampusFactory(district=district, name=f"{name} Elementary")
        MeasureResultFactory(measure=reading, campus=campus, value=value, students=students)
        if name == "Oak":
            MeasureResultFactory(
                measure=reading, campus=campus, value=10, observed_on=datetime.date(2025, 6, 30)
            )
    # Another group's result is not the campus's All students result.
    poor = StudentGroupFactory(district=district, name="Economically disadvantaged")
    elm = district.campuses.get(name="Elm Elementary")
    MeasureResultFactory(measure=reading, campus=elm, group=poor, value=99)
    CampusFactory(district=district, name="Pine Elementary")
    return reading


def _cells(text, name):
    row = text[text.index(f">{name}</a>") :]
    return row[: row.index("</tr>")]


def test_a_chosen_measure_adds_each_campus_latest_result_as_a_sortable_column(as_member, personas):
    reading = _results_by_campus(personas.district)
    client = as_member(personas.cabinet)
    text = client.get(url(), {"measure": reading.pk, "sort": "-measure_result"}).text
    names = [n for n in _names(text) if n.split()[0] in ("Oak", "Elm", "Tiny", "Pine")]
    assert names == ["Tiny Elementary", "Oak Elementary", "Elm Elementary", "Pine Elementary"]
    assert _cells(text, "Oak Elementary").endswith("<td>62.5</td>")
    assert _cells(text, "Elm Elementary").endswith("<td>48</td>")
    assert _cells(text, "Pine Elementary").endswith("<td>–</td>")
    heading = re.search(r'aria-sort="descending"><a href="([^"]+)"[^>]*>Reading<', text)
    assert heading is not None
    assert f"measure={reading.pk}" in heading[1]
    assert f'<option value="{reading.pk}" selected>Reading</option>' in text


def test_a_small_groups_result_is_masked_and_sorted_last_beyond_the_cabinet(as_member, personas):
    reading = _results_by_campus(personas.district)
    text = as_member(personas.board).get(url(), {"measure": reading.pk, "sort": "-measure_result"})
    text = text.text
    names = [n for n in _names(text) if n.split()[0] in ("Oak", "Elm", "Tiny")]
    assert names == ["Oak Elementary", "Elm Elementary", "Tiny Elementary"]
    tiny = _cells(text, "Tiny Elementary")
    assert tiny.endswith("*</abbr></td>")
    assert "90" not in tiny


def test_another_districts_measure_is_refused_next_to_the_menu(as_member, personas):
    _results_by_campus(personas.district)
    foreign = MeasureFactory(goal=GoalFactory(plan=PlanFactory(district=personas.other_district)))
    MeasureResultFactory(measure=foreign, campus=CampusFactory(district=personas.other_district))
    response = as_member(personas.cabinet).get(url(), {"measure": foreign.pk, "q": "Oak"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert _names(response.text) == ["Oak Elementary"]
    assert foreign.name not in response.text
