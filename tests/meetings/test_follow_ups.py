"""A meeting's follow-up actions: ordinary action items with no visit, shown wherever action
items are."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from core.models import Department
from meetings.models import Meeting
from tests.factories import ActionItemFactory, CampusFactory, MeetingFactory
from visits.models import ActionItem


def url(name, *args):
    return reverse(name, args=["lakeside", *args])


@pytest.fixture
def meeting(personas):
    return MeetingFactory(district=personas.district, title="Visit debrief", kind="visit_debrief")


@pytest.fixture
def campus(personas):
    return personas.district.campuses.get()


@pytest.fixture
def department(personas):
    return Department.objects.get(district=personas.district)


@pytest.fixture
def _tasks_in_process():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def due(days=14):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.mark.usefixtures("_tasks_in_process")
def test_cabinet_adds_a_departments_follow_up_that_is_emailed_to_its_assignee(
    as_member, personas, meeting, campus, department, django_capture_on_commit_callbacks
):
    client = as_member(personas.cabinet)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("meetings:follow_up_new", meeting.pk),
            {
                "campus": campus.pk,
                "description": "Send a reading coach to the campus",
                "owner": "department",
                "department": department.pk,
                "assignee": personas.department_lead.pk,
                "due_date": due().isoformat(),
            },
            follow=True,
        )
    item = ActionItem.objects.get(description="Send a reading coach to the campus")
    assert item.visit is None
    assert (item.campus, item.department, item.district) == (campus, department, personas.district)
    assert list(Meeting.objects.get(pk=meeting.pk).follow_ups.all()) == [item]
    assert "Send a reading coach to the campus" in response.text
    [email] = [m for m in mail.outbox if m.to == [personas.department_lead.email]]
    assert "A meeting left you this action item." in email.body


def test_an_assignee_who_cannot_act_on_the_item_is_refused(as_member, personas, meeting, campus):
    response = as_member(personas.cabinet).post(
        url("meetings:follow_up_new", meeting.pk),
        {
            "campus": campus.pk,
            "description": "Protect the small-group block",
            "owner": "campus",
            "assignee": personas.board.pk,
            "due_date": due().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "cannot update items owned by" in response.text
    assert not ActionItem.objects.exists()


def test_another_districts_campus_is_refused_next_to_the_field(as_member, personas, meeting):
    foreign = CampusFactory(district=personas.other_district)
    response = as_member(personas.cabinet).post(
        url("meetings:follow_up_new", meeting.pk),
        {"campus": foreign.pk, "description": "Anything", "owner": "campus"},
    )
    assert "Choose a campus of this district." in response.text
    assert not ActionItem.objects.exists()


def test_board_may_not_add_follow_ups(as_member, personas, meeting, campus):
    response = as_member(personas.board).post(
        url("meetings:follow_up_new", meeting.pk),
        {"campus": campus.pk, "description": "Anything", "owner": "campus"},
    )
    assert response.status_code == 403
    assert ActionItem.objects.count() == 0


def test_outsider_gets_404_adding_a_follow_up(as_member, personas, meeting):
    assert (
        as_member(personas.outsider).get(url("meetings:follow_up_new", meeting.pk)).status_code
        == 404
    )


def test_pages_that_show_action_items_show_one_without_a_visit(
    as_member, personas, meeting, campus
):
    item = ActionItemFactory(
        visit=None,
        district=personas.district,
        campus=campus,
        description="Write the family letter",
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    meeting.follow_ups.add(item)
    client = as_member(personas.admin)
    actions = client.get(url("actions:index") + f"?open=campus-{campus.pk}").text
    assert "Write the family letter" in actions
    meeting_url = url("meetings:meeting", meeting.pk)
    assert f'from the meeting <a href="{meeting_url}">Visit debrief' in actions
    assert f'<a href="{meeting_url}">Visit debrief' in client.get(url("actions:item", item.pk)).text
    assert "Write the family letter" in client.get(url("dashboard:home")).text
    assert client.get(url("core:campus", campus.pk)).status_code == 200
    export = client.get(url("actions:export")).content.decode()
    [row] = [line for line in export.splitlines() if "Write the family letter" in line]
    assert row.endswith(",Visit debrief")
    assert "Write the family letter" in client.get(url("meetings:meeting", meeting.pk)).text


@pytest.mark.usefixtures("_tasks_in_process")
def test_a_departments_follow_up_needs_no_campus(
    as_member, personas, meeting, department, django_capture_on_commit_callbacks
):
    client = as_member(personas.cabinet)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("meetings:follow_up_new", meeting.pk),
            {
                "description": "Publish the literacy framework to every campus",
                "owner": "department",
                "department": department.pk,
                "assignee": personas.department_lead.pk,
                "due_date": due().isoformat(),
            },
        )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.campus, item.department, item.visit) == (None, department, None)
    [email] = [m for m in mail.outbox if m.to == [personas.department_lead.email]]
    assert "Campus: not tied to one campus" in email.body
    lead = as_member(personas.department_lead)
    actions = lead.get(url("actions:index") + f"?open=department-{department.pk}").text
    assert "Publish the literacy framework to every campus" in actions
    assert "Publish the literacy framework" in lead.get(url("actions:item", item.pk)).text
    export = lead.get(url("actions:export")).content.decode()
    assert f"{department.name},,Publish the literacy framework" in export


def test_a_campus_teams_follow_up_names_its_campus(as_member, personas, meeting):
    response = as_member(personas.cabinet).post(
        url("meetings:follow_up_new", meeting.pk),
        {"description": "Protect the small-group block", "owner": "campus"},
    )
    assert response.status_code == 200
    assert 'id="id_campus_error"' in response.text
    assert "Choose the campus whose leadership team owns it." in response.text
    assert not ActionItem.objects.exists()


def test_only_a_meetings_department_follow_up_goes_without_a_campus(personas, department):
    from django.db import IntegrityError, transaction

    from tests.factories import VisitFactory

    visit = VisitFactory(
        program__district=personas.district, campus=personas.district.campuses.get()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItemFactory(
            visit=visit,
            district=personas.district,
            campus=None,
            owner="department",
            department=department,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItemFactory(visit=None, district=personas.district, campus=None, owner="campus")
    kept = ActionItemFactory(
        visit=None,
        district=personas.district,
        campus=None,
        owner="department",
        department=department,
    )
    assert kept.campus is None
