"""Those who run visits reassign an action item or move its due date from the list; the new
assignee is emailed, a moved date earns its reminders afresh, and the admin does the same."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from config.celery import app
from core.history import history, record_events
from core.roles import Role
from tests.factories import (
    ActionItemFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
    VisitFactory,
)
from tests.helpers import travel_to
from visits.models import ActionItem
from visits.tasks import send_action_item_reminders

TODAY = datetime.date(2026, 11, 17)
SENT = datetime.datetime(2026, 11, 10, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


@pytest.fixture(autouse=True)
def _tasks_in_process():
    # Queued emails run at once, here, as they do without a broker.
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def item(personas):
    visit = VisitFactory(
        program=ProgramFactory(district=personas.district), campus=personas.district.campuses.get()
    )
    return ActionItemFactory(
        visit=visit,
        description="Share the walkthrough schedule",
        assignee=personas.campus_leader,
        due_date=TODAY + datetime.timedelta(days=2),
        assigned_notified_at=SENT,
        due_soon_notified_at=SENT,
    )


@pytest.fixture
def newcomer(personas):
    return MembershipFactory(
        district=personas.district, role=Role.VISIT_TEAM, user__full_name="Rosa Newcomer"
    ).user


def reassign(client, item, capture, **fields):
    data = {
        "assignee": item.assignee_id or "",
        "due_date": item.due_date.isoformat() if item.due_date else "",
        "version": item.version,
        "next": "/d/lakeside/actions/?show=all",
    }
    with capture(execute=True):
        return client.post(
            reverse("actions:item", args=["lakeside", item.pk]), data | fields, follow=True
        )


def group_page(client, item, **headers):
    """The list with the item's owner group open, as its link opens it."""
    url = reverse("actions:index", args=["lakeside"]) + f"?show=all&open={item.owner_key}"
    return client.get(url, **headers).text


def reassign_form(client, item, **headers):
    """The item's reassign form, as its "Reassign or move" on the list fetches it."""
    return client.get(
        reverse("actions:item", args=["lakeside", item.pk]) + "?show=all",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"item-{item.pk}-reassign",
        **headers,
    )


def emails_to(user, subject_word):
    return [m for m in mail.outbox if m.to == [user.email] and subject_word in m.subject]


def test_those_who_run_visits_see_the_reassign_disclosure_with_district_members_only(
    as_member, personas, item, newcomer
):
    client = as_member(personas.visit_team)
    page = group_page(client, item)
    assert "Reassign or move" in page
    assert f'hx-get="/d/lakeside/actions/{item.pk}/?show=all"' in page
    # The form and its list of people come when asked for, not with every item.
    assert "Rosa Newcomer" not in page
    form = reassign_form(client, item).text
    assert form.lstrip().startswith('<form method="post"')
    assert "Rosa Newcomer" in form
    assert personas.outsider.get_full_name() not in form
    assert "---------" not in form
    assert f"/d/lakeside/actions/?show=all&amp;open={item.owner_key}#item-{item.pk}" in form


def test_without_javascript_the_reassign_link_opens_the_item_on_a_page_of_its_own(
    as_member, personas, item, newcomer
):
    page = as_member(personas.cabinet).get(
        reverse("actions:item", args=["lakeside", item.pk]) + "?show=open"
    )
    assert page.status_code == 200
    assert "<h1>Action item</h1>" in page.text
    assert "Share the walkthrough schedule" in page.text
    assert "Rosa Newcomer" in page.text
    back = f"/d/lakeside/actions/?show=open&amp;open={item.owner_key}#item-{item.pk}"
    assert f'<input type="hidden" name="next" value="{back}">' in page.text


@pytest.mark.parametrize("role", ["admin", "cabinet", "visit_team"])
def test_reassigning_on_the_page_emails_the_new_assignee(
    as_member, personas, item, newcomer, role, django_capture_on_commit_callbacks
):
    client = as_member(getattr(personas, role))
    response = reassign(
        client, item, django_capture_on_commit_callbacks, assignee=newcomer.pk, due_date=""
    )
    assert response.redirect_chain[-1][0] == "/d/lakeside/actions/?show=all"
    assert "Action item updated." in response.text
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.assignee, stored.due_date, stored.version) == (newcomer, None, 2)
    assert len(emails_to(newcomer, "assigned")) == 1
    assert not emails_to(personas.campus_leader, "assigned")


def test_moving_the_due_date_earns_its_reminders_again(
    as_member, personas, item, django_capture_on_commit_callbacks
):
    moved = TODAY + datetime.timedelta(days=1)
    reassign(
        as_member(personas.cabinet),
        item,
        django_capture_on_commit_callbacks,
        due_date=moved.isoformat(),
    )
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.due_date, stored.assignee) == (moved, personas.campus_leader)
    assert stored.due_soon_notified_at is None
    # Same person, so they are not told again that it is theirs; only about the new date.
    assert stored.assigned_notified_at == SENT
    send_action_item_reminders()
    assert len(emails_to(personas.campus_leader, "due soon")) == 1
    assert not emails_to(personas.campus_leader, "assigned")


def test_a_post_that_names_only_the_due_date_keeps_the_assignee(
    as_member, personas, item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_member(personas.visit_team).post(
            reverse("actions:item", args=["lakeside", item.pk]),
            {"due_date": "2026-12-01", "version": item.version},
        )
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.assignee, stored.due_date) == (
        personas.campus_leader,
        datetime.date(2026, 12, 1),
    )


def test_moving_the_date_of_an_item_whose_assignee_left_the_district_keeps_them(
    as_member, personas, item, django_capture_on_commit_callbacks
):
    departed = UserFactory(full_name="Former Principal")
    ActionItem.objects.filter(pk=item.pk).update(assignee=departed)
    item.refresh_from_db()
    client = as_member(personas.visit_team)
    page = reassign_form(client, item).text
    assert f'<option value="{departed.pk}" selected>Former Principal' in page
    reassign(client, item, django_capture_on_commit_callbacks, due_date="2026-12-01")
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.assignee, stored.due_date) == (departed, datetime.date(2026, 12, 1))


@pytest.mark.parametrize("role", ["campus_leader", "department_lead", "board"])
def test_members_who_do_not_run_visits_cannot_reassign(
    as_member, personas, item, newcomer, role, django_capture_on_commit_callbacks
):
    if role == "department_lead":
        item.owner, item.department = "department", personas.district.departments.get()
        item.save()
    client = as_member(getattr(personas, role))
    page = group_page(client, item)
    assert "Share the walkthrough schedule" in page
    assert "Reassign or move" not in page
    assert reassign_form(client, item).status_code == 403
    response = reassign(
        client, item, django_capture_on_commit_callbacks, assignee=newcomer.pk, due_date=""
    )
    assert response.status_code == 403
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.assignee, stored.due_date, stored.version) == (
        personas.campus_leader,
        item.due_date,
        1,
    )
    assert not emails_to(newcomer, "assigned")


def test_the_campus_leader_still_updates_the_status_of_their_own_item(as_member, personas, item):
    response = as_member(personas.campus_leader).post(
        reverse("actions:item", args=["lakeside", item.pk]),
        {"status": "in_progress", "version": item.version},
        follow=True,
    )
    assert "Action item updated." in response.text
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.status, stored.assignee) == ("in_progress", personas.campus_leader)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"assignee": "outsider"}, "Choose a member of this district."),
        ({"assignee": "987654"}, "Choose a member of this district."),
        ({"assignee": "Rosa"}, "Choose a member of this district."),
        ({"due_date": "next tuesday"}, "Enter the due date as a date, like 2026-11-24."),
        ({"due_date": "2026-02-30"}, "Enter the due date as a date, like 2026-11-24."),
        ({"due_date": "99999-01-01"}, "Enter the due date as a date, like 2026-11-24."),
        ({"due_date": "2036-01-01"}, "A due date can be at most five years from today."),
        ({"due_date": "1999-01-01"}, "A due date cannot be before the visit that raised it."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(
    as_member, personas, item, newcomer, fields, message, django_capture_on_commit_callbacks
):
    if fields.get("assignee") == "outsider":
        fields = {"assignee": personas.outsider.pk}
    # A good change beside the bad one is not saved either.
    fields = {"assignee": newcomer.pk, "due_date": "2026-12-01"} | fields
    response = reassign(
        as_member(personas.visit_team), item, django_capture_on_commit_callbacks, **fields
    )
    assert response.status_code == 200
    assert message in response.text
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.assignee, stored.due_date, stored.version) == (
        personas.campus_leader,
        item.due_date,
        1,
    )
    assert not mail.outbox


@pytest.mark.parametrize("version", ["", "0", "3", "junk"])
def test_a_stale_or_missing_version_is_refused_as_a_conflict(
    as_member, personas, item, newcomer, version, django_capture_on_commit_callbacks
):
    ActionItem.objects.filter(pk=item.pk).update(version=2)
    response = reassign(
        as_member(personas.visit_team),
        item,
        django_capture_on_commit_callbacks,
        assignee=newcomer.pk,
        version=version,
    )
    assert "Someone else updated “Share the walkthrough schedule” meanwhile" in response.text
    assert ActionItem.objects.get(pk=item.pk).assignee == personas.campus_leader
    assert not mail.outbox


def admin_edit(client, item, **fields):
    data = {
        "district": item.district_id,
        "visit": item.visit_id,
        "campus": item.campus_id,
        "owner": item.owner,
        "department": "",
        "assignee": item.assignee_id,
        "description": item.description,
        "due_date": item.due_date.isoformat(),
        "status": item.status,
        "completed_on": "",
        "opened_version": item.version,
    }
    return client.post(reverse("admin:visits_actionitem_change", args=[item.pk]), data | fields)


@pytest.fixture
def staff_admin(client, personas):
    personas.admin.is_staff = True
    personas.admin.save()
    client.force_login(personas.admin)
    return client


def test_an_admin_reassignment_emails_the_new_assignee(
    staff_admin, personas, item, newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_edit(staff_admin, item, assignee=newcomer.pk)
    assert response.status_code == 302
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.assignee, stored.version) == (newcomer, 2)
    assert len(emails_to(newcomer, "assigned")) == 1
    changes = [
        (entry.user, [change.new for change in entry.changes])
        for entry in history([record_events(stored)])
        if entry.action == "changed"
    ]
    assert changes == [(personas.admin, ["Rosa Newcomer"])]


def test_an_admin_edit_over_a_newer_change_is_still_refused(
    staff_admin, personas, item, newcomer, django_capture_on_commit_callbacks
):
    ActionItem.objects.filter(pk=item.pk).update(version=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_edit(staff_admin, item, assignee=newcomer.pk)
    assert response.status_code == 200
    assert "Someone else changed this record since you opened it." in response.text
    assert ActionItem.objects.get(pk=item.pk).assignee == personas.campus_leader
    assert not mail.outbox


def test_the_disclosure_and_its_messages_are_in_spanish(
    as_member, personas, item, django_capture_on_commit_callbacks
):
    client = as_member(personas.visit_team)
    assert "Reasignar o cambiar la fecha" in group_page(client, item, HTTP_ACCEPT_LANGUAGE="es")
    assert "Fecha límite" in reassign_form(client, item, HTTP_ACCEPT_LANGUAGE="es").text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("actions:item", args=["lakeside", item.pk]),
            {"assignee": personas.outsider.pk, "due_date": "", "version": item.version},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="es",
        )
    assert "Asignada a: Elija a un miembro de este distrito." in response.text
