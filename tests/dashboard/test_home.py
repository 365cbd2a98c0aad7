from django.urls import reverse
from django.utils import timezone

from core.models import Campus
from dashboard.demo import seed_demo
from tests.factories import MembershipFactory
from tests.helpers import page_queries

# The cabinet's home opens on the scorecard: the current plan, its goals, their measures and
# values, the theories serving them, their links and actions.
SCORECARD_QUERIES = 7


def test_home_shows_the_district_and_the_members_role(as_member, personas):
    response = as_member(personas.cabinet).get(reverse("dashboard:home", args=["lakeside"]))
    assert response.status_code == 200
    assert "Lakeside Unified School District" in response.text
    assert "Signed in as cabinet" in response.text


def test_campus_leader_sees_the_campus_they_lead(as_member, personas):
    response = as_member(personas.campus_leader).get(reverse("dashboard:home", args=["lakeside"]))
    assert "You lead 1 campus:" in response.text
    assert "Lakeside Elementary" in response.text


def test_department_lead_sees_their_department(as_member, personas):
    response = as_member(personas.department_lead).get(reverse("dashboard:home", args=["lakeside"]))
    assert "You lead Special Education." in response.text


def test_home_links_to_every_part_of_the_district(as_member, personas):
    response = as_member(personas.board).get(reverse("dashboard:home", args=["lakeside"]))
    for part in ("plan", "theories", "discovery", "visits", "actions", "reports", "campuses"):
        assert f'href="/d/lakeside/{part}/"' in response.text


def test_home_counts_campuses_by_level(as_member, db):
    seed_demo(size="small")
    user = MembershipFactory(district__slug="demo", role="board").user
    response = as_member(user).get("/d/demo/")
    assert "Elementary: 4" in response.text
    assert "Communities of Practice cohort: 6 campuses" in response.text


def test_home_query_count_does_not_grow_with_the_district(client, db):
    seed_demo(size="small")
    client.force_login(MembershipFactory(district__slug="demo").user)
    small = page_queries(client, "/d/demo/")
    seed_demo(size="large")
    client.force_login(MembershipFactory(district__slug="demo").user)
    large = page_queries(client, "/d/demo/")
    assert Campus.objects.filter(district__slug="demo").count() > 250
    assert small == large
    assert large <= 15 + SCORECARD_QUERIES


def test_outsider_gets_404(as_member, personas):
    assert (
        as_member(personas.outsider).get(reverse("dashboard:home", args=["lakeside"])).status_code
        == 404
    )


def test_board_member_sees_no_admin_only_links(as_member, personas):
    response = as_member(personas.board).get(reverse("core:campuses", args=["lakeside"]))
    assert response.status_code == 200
    assert "Lakeside Elementary" in response.text
    assert "Import campuses" not in response.text


def test_home_lists_overdue_items_next_visits_and_plan_health(as_member, personas):
    import datetime

    from tests.factories import (
        ActionItemFactory,
        CampusFactory,
        PlanFactory,
        ProgramFactory,
        VisitFactory,
    )

    PlanFactory(district=personas.district)
    program = ProgramFactory(district=personas.district)
    lakeside = personas.district.campuses.get()
    today = timezone.localdate()
    past = VisitFactory(program=program, campus=lakeside, date=today - datetime.timedelta(days=30))
    VisitFactory(program=program, campus=lakeside, date=today + datetime.timedelta(days=6))
    ActionItemFactory(
        visit=past, description="Mine and late", due_date=today - datetime.timedelta(days=2)
    )
    other = VisitFactory(
        program=program, campus=CampusFactory(district=personas.district), date=past.date
    )
    ActionItemFactory(
        visit=other,
        description="Someone else's and late",
        due_date=today - datetime.timedelta(days=2),
    )
    cabinet = as_member(personas.cabinet).get(reverse("dashboard:home", args=["lakeside"])).text
    assert "Mine and late" in cabinet
    assert "Someone else&#x27;s and late" in cabinet
    assert "Lakeside Elementary" in cabinet
    principal = (
        as_member(personas.campus_leader).get(reverse("dashboard:home", args=["lakeside"])).text
    )
    assert "Mine and late" in principal
    assert "Someone else" not in principal
