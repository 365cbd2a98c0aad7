import datetime

import pytest
from django.urls import reverse

from dashboard.demo import seed_demo
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    DepartmentFactory,
    MembershipFactory,
    VisitFactory,
)
from tests.helpers import page_queries
from visits.models import Visit, VisitProgram

MONDAY = datetime.date(2026, 8, 3)


def test_creating_a_program_plans_its_rotation(as_member, personas):
    campuses = [personas.district.campuses.get()] + [
        CampusFactory(district=personas.district) for _ in range(2)
    ]
    response = as_member(personas.cabinet).post(
        reverse("visits:program_new", args=["lakeside"]),
        {
            "name": "Cohort A",
            "weekday": "1",
            "start_date": MONDAY.isoformat(),
            "end_date": (MONDAY + datetime.timedelta(weeks=9)).isoformat(),
            "campuses": [c.pk for c in campuses],
            "blackouts": "2026-09-07 to 2026-09-11 Labor Day week",
        },
    )
    assert response.status_code == 302
    visits = list(Visit.objects.order_by("date"))
    assert len(visits) == 8  # nine Tuesdays, one of them in the blackout week
    assert all(v.date.weekday() == 1 for v in visits)
    assert datetime.date(2026, 9, 8) not in [v.date for v in visits]
    assert [v.campus_id for v in visits[:3]] == [v.campus_id for v in visits[3:6]]


def test_bad_blackout_lines_are_explained(as_member, personas):
    response = as_member(personas.cabinet).post(
        reverse("visits:program_new", args=["lakeside"]),
        {
            "name": "X",
            "weekday": "1",
            "start_date": "2026-08-03",
            "end_date": "2026-10-01",
            "campuses": [personas.district.campuses.get().pk],
            "blackouts": "next tuesday",
        },
    )
    assert "Line 1 is not a date or a range" in response.text
    assert not VisitProgram.objects.exists()


def test_moving_a_visit_trades_places_within_the_round(as_member, personas):
    from visits.services import program_create

    campuses = [personas.district.campuses.get(), CampusFactory(district=personas.district)]
    program = program_create(
        district=personas.district,
        name="P",
        weekday=1,
        start_date=MONDAY,
        end_date=MONDAY + datetime.timedelta(weeks=8),
        campuses=campuses,
    )
    first, second = program.visits.order_by("date")[:2]
    client = as_member(personas.visit_team)
    client.post(
        reverse("visits:move", args=["lakeside", first.pk]),
        {"date": (second.date + datetime.timedelta(days=1)).isoformat()},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.date == datetime.date(2026, 8, 12)
    assert second.date == datetime.date(2026, 8, 4)
    response = client.post(
        reverse("visits:move", args=["lakeside", first.pk]), {"date": "2026-09-01"}, follow=True
    )
    assert "another round" in response.text


@pytest.mark.parametrize("path", ["", "trends/"])
def test_calendar_and_trends_query_counts_do_not_grow_with_the_district(client, db, path):
    seed_demo(size="small")
    client.force_login(MembershipFactory(district__slug="demo", role="visit_team").user)
    small = page_queries(client, f"/d/demo/visits/{path}")
    seed_demo(size="large")
    client.force_login(MembershipFactory(district__slug="demo", role="visit_team").user)
    large = page_queries(client, f"/d/demo/visits/{path}")
    assert small == large
    assert large <= 12


def test_a_visit_page_costs_the_same_queries_however_many_action_items_it_has(as_member, personas):
    visit = VisitFactory(district=personas.district, program__district=personas.district)
    department = DepartmentFactory(district=personas.district)
    member = as_member(personas.visit_team)
    ActionItemFactory(visit=visit)
    ActionItemFactory(visit=visit, owner="department", department=department)
    few = page_queries(member, f"/d/lakeside/visits/{visit.pk}/")
    for _ in range(5):
        ActionItemFactory(visit=visit)
        ActionItemFactory(visit=visit, owner="department", department=department)
    assert page_queries(member, f"/d/lakeside/visits/{visit.pk}/") == few


def test_a_visit_page_costs_the_same_queries_with_no_one_or_many_observations(as_member, personas):
    import uuid

    from tests.factories import LookForFactory
    from visits.services import observation_record

    visit = VisitFactory(district=personas.district, program__district=personas.district)
    look_fors = [LookForFactory(program=visit.program, text=f"Seen {n}") for n in range(3)]
    member = as_member(personas.visit_team)
    url = f"/d/lakeside/visits/{visit.pk}/"

    def observe(seen):
        observation_record(
            visit=visit,
            observer=personas.visit_team,
            client_id=uuid.uuid4(),
            look_fors=seen,
            kind="classroom",
        )

    none = page_queries(member, url)
    observe(look_fors[:1])
    one = page_queries(member, url)
    for _ in range(4):
        observe(look_fors)
    many = page_queries(member, url)
    page = member.get(url)
    assert none == one == many
    assert "Seen 0; Seen 1; Seen 2" in page.text


def test_visit_and_actions_query_counts_do_not_grow_with_the_district(client, db):
    counts = []
    for size in ("small", "large"):
        seed_demo(size=size)
        client.force_login(MembershipFactory(district__slug="demo", role="visit_team").user)
        visit = (
            Visit.objects.filter(district__slug="demo", status="closed").order_by("-date").first()
        )
        counts.append(
            (
                page_queries(client, f"/d/demo/visits/{visit.pk}/"),
                page_queries(client, "/d/demo/actions/?show=all"),
            )
        )
    assert counts[0] == counts[1]
    assert max(counts[1]) <= 15


def test_ics_feed_lists_visits_and_revoking_changes_the_address(as_member, personas):
    from django.test import Client

    from tests.factories import ProgramFactory, VisitFactory
    from visits.models import CalendarFeed

    calendar_app = Client()
    VisitFactory(
        program=ProgramFactory(district=personas.district), campus=personas.district.campuses.get()
    )
    member = as_member(personas.visit_team)
    member.get(reverse("visits:calendar_feed", args=["lakeside"]))
    token = CalendarFeed.objects.get().token
    feed = calendar_app.get(f"/ics/{token}.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Visit: Lakeside Elementary" in feed.content.decode()
    member.post(reverse("visits:calendar_feed", args=["lakeside"]))
    assert calendar_app.get(f"/ics/{token}.ics").status_code == 404
    assert calendar_app.get(f"/ics/{CalendarFeed.objects.get().token}.ics").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "year=9999&month=12",
        "year=1&month=1",
        "year=99999999999999999999&month=1",
        "year=2026&month=13",
        "year=-5&month=2",
        "year=soon",
    ],
)
def test_the_calendar_opens_whatever_month_the_address_names(as_member, personas, query):
    url = reverse("visits:index", args=["lakeside"]) + "?" + query
    response = as_member(personas.cabinet).get(url)
    assert response.status_code == 200


def test_a_program_dated_far_from_now_is_refused_next_to_its_date(as_member, personas):
    response = as_member(personas.cabinet).post(
        reverse("visits:program_new", args=["lakeside"]),
        {
            "name": "Cohort 9999",
            "weekday": "1",
            "start_date": "9999-01-04",
            "end_date": "9999-06-01",
            "campuses": [personas.district.campuses.get().pk],
            "blackouts": "",
        },
    )
    assert response.status_code == 200
    assert "A program starts within ten years of today." in response.text
    assert not VisitProgram.objects.exists()
