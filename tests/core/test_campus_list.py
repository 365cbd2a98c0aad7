import datetime
import re

from django.urls import reverse

from dashboard.demo import seed_demo
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    MembershipFactory,
    ProgramFactory,
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
    seed_demo(size="small")
    client.force_login(MembershipFactory(district__slug="demo").user)
    small = page_queries(client, url("demo"))
    seed_demo(size="large")
    client.force_login(MembershipFactory(district__slug="demo").user)
    large = page_queries(client, url("demo"))
    assert small == large
    assert large <= 6


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
