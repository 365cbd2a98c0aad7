import datetime

import pytest
from django.urls import reverse

from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    DepartmentFactory,
    ProgramFactory,
    VisitFactory,
)
from tests.helpers import travel_to
from visits.models import ActionItem

# The measures and due dates below are relative to this day, whatever day the suite runs.
TODAY = datetime.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


@pytest.fixture
def visit(personas):
    return VisitFactory(
        program=ProgramFactory(district=personas.district), campus=personas.district.campuses.get()
    )


def update(client, item, status, **extra):
    return client.post(
        reverse("actions:item", args=["lakeside", item.pk]),
        {"status": status, "version": item.version, **extra},
    )


def test_campus_leader_updates_their_campus_items_only(as_member, personas, visit):
    mine = ActionItemFactory(visit=visit)
    other_campus = ActionItemFactory(
        visit=VisitFactory(program=visit.program, campus=CampusFactory(district=personas.district))
    )
    department_item = ActionItemFactory(
        visit=visit, owner="department", department=personas.district.departments.get()
    )
    client = as_member(personas.campus_leader)
    assert update(client, mine, "done").status_code == 302
    assert update(client, other_campus, "done").status_code == 403
    assert update(client, department_item, "done").status_code == 403
    assert [i.status for i in ActionItem.objects.order_by("pk")] == ["done", "open", "open"]
    assert ActionItem.objects.get(pk=mine.pk).completed_on == TODAY


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example/d/lakeside/",
        "https:/\\evil.example",
        "javascript:alert(1)",
        "not a path",
        "http://[",
    ],
)
def test_an_update_never_sends_the_member_to_another_site(as_member, personas, visit, target):
    item = ActionItemFactory(visit=visit)
    response = update(as_member(personas.campus_leader), item, "done", next=target)
    assert response.status_code == 302
    assert response["Location"] == "/d/lakeside/actions/"


def test_an_update_returns_to_the_list_it_came_from(as_member, personas, visit):
    item = ActionItemFactory(visit=visit)
    response = update(
        as_member(personas.campus_leader), item, "done", next="/d/lakeside/actions/?show=all"
    )
    assert response["Location"] == "/d/lakeside/actions/?show=all"


def test_department_lead_updates_their_department_items_across_campuses(as_member, personas, visit):
    department = personas.district.departments.get()
    item = ActionItemFactory(
        visit=VisitFactory(program=visit.program, campus=CampusFactory(district=personas.district)),
        owner="department",
        department=department,
    )
    assert update(as_member(personas.department_lead), item, "in_progress").status_code == 302


def test_leaders_land_on_their_own_items_overdue_first(as_member, personas, visit):
    ActionItemFactory(
        visit=visit, description="Later item", due_date=TODAY + datetime.timedelta(days=20)
    )
    ActionItemFactory(
        visit=visit, description="Late item", due_date=TODAY - datetime.timedelta(days=2)
    )
    ActionItemFactory(
        visit=VisitFactory(program=visit.program, campus=CampusFactory(district=personas.district)),
        description="Not mine",
    )
    client = as_member(personas.campus_leader)
    landing = client.get(reverse("actions:index", args=["lakeside"])).text
    assert f"{visit.campus.name} leadership team" in landing
    assert ">2 open</strong>" in landing
    assert ">1 overdue</span>" in landing
    group = f"?open=campus-{visit.campus_id}"
    text = client.get(reverse("actions:index", args=["lakeside"]) + group).text
    assert "Not mine" not in text
    assert text.index("Late item") < text.index("Later item")
    assert "Overdue" in text


def test_action_item_for_another_districts_department_is_refused(as_member, personas, visit):
    foreign = DepartmentFactory(district=personas.other_district)
    response = as_member(personas.visit_team).post(
        reverse("visits:action_item_new", args=["lakeside", visit.pk]),
        {"description": "Coach", "owner": "department", "department": foreign.pk},
    )
    assert "Choose a department of this district." in response.text
    assert not ActionItem.objects.exists()


def test_resolved_during_the_visit_is_done_at_once(as_member, personas, visit):
    as_member(personas.visit_team).post(
        reverse("visits:action_item_new", args=["lakeside", visit.pk]),
        {"description": "Posted the schedule", "owner": "campus", "resolved_during_visit": "on"},
    )
    item = ActionItem.objects.get()
    assert (item.status, item.completed_on) == ("done", visit.date)


def test_open_items_from_earlier_visits_are_listed_to_review_first(as_member, personas, visit):
    earlier = VisitFactory(
        program=visit.program, campus=visit.campus, date=visit.date - datetime.timedelta(weeks=6)
    )
    ActionItemFactory(visit=earlier, description="Still open from last time")
    text = (
        as_member(personas.visit_team)
        .get(reverse("visits:visit", args=["lakeside", visit.pk]))
        .text
    )
    assert "Review first" in text
    assert "Still open from last time" in text


def test_csv_export_lists_every_item(as_member, personas, visit):
    ActionItemFactory(visit=visit, description="=cmd()")
    response = as_member(personas.board).get(reverse("actions:export", args=["lakeside"]))
    text = response.content.decode("utf-8-sig")
    assert "'=cmd()" in text
    assert text.count("\n") == 2


@pytest.mark.parametrize(
    ("due_date", "message"),
    [
        ("2099-01-01", "A due date can be at most five years from today."),
        ("2020-01-01", "A due date cannot be before the visit that raised it."),
    ],
)
def test_an_action_item_due_far_from_today_is_refused(
    as_member, personas, visit, due_date, message
):
    response = as_member(personas.visit_team).post(
        reverse("visits:action_item_new", args=["lakeside", visit.pk]),
        {"description": "Coach", "owner": "campus", "due_date": due_date},
    )
    assert message in response.text
    assert not ActionItem.objects.exists()


def test_the_new_item_form_is_folded_and_opens_with_or_without_javascript(
    as_member, personas, visit
):
    page = reverse("visits:visit", args=["lakeside", visit.pk])
    client = as_member(personas.visit_team)
    folded = client.get(page).text
    assert 'id="id_assignee"' not in folded
    assert f'hx-get="{page}?open=action-item#action-items"' in folded
    assert f'<a href="{page}?open=action-item#action-items">Open the form' in folded
    opened = client.get(page, {"open": "action-item"}).text
    assert 'id="action-item-form-fold" hx-disinherit="*" open' in opened
    assert 'id="id_assignee"' in opened
    fragment = client.get(page, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="action-item-form")
    assert fragment.text.lstrip().startswith("<form")
    assert 'id="id_description"' in fragment.text


def test_the_new_item_form_comes_back_open_with_its_errors(as_member, personas, visit):
    response = as_member(personas.visit_team).post(
        reverse("visits:action_item_new", args=["lakeside", visit.pk]),
        {"description": "", "owner": "campus"},
    )
    assert 'id="action-item-form-fold" hx-disinherit="*" open' in response.text
    assert "This field is required." in response.text
    assert not ActionItem.objects.exists()


def test_a_board_member_sees_no_new_item_form_and_cannot_fetch_it(as_member, personas, visit):
    page = reverse("visits:visit", args=["lakeside", visit.pk])
    client = as_member(personas.board)
    assert "Add an action item" not in client.get(page).text
    assert "Add an action item" not in client.get(page, {"open": "action-item"}).text
    fragment = client.get(page, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="action-item-form")
    assert fragment.status_code == 403
