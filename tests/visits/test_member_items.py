"""What a member's deactivation means for their action items: a district admin hands the open
ones to someone else at once, reminders stop going to them, and so does the calendar feed."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from accounts.services import membership_access_set
from config.celery import app
from core.history import events_of
from core.roles import Role
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
    VisitFactory,
)
from tests.helpers import travel_to
from visits.models import ActionItem, CalendarFeed
from visits.services import action_items_reassign
from visits.tasks import send_action_item_reminders

TODAY = datetime.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


@pytest.fixture(autouse=True)
def _tasks_in_process():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def visit(personas):
    return VisitFactory(
        program=ProgramFactory(district=personas.district), campus=personas.district.campuses.get()
    )


@pytest.fixture
def items(personas, visit):
    def item(**kwargs):
        return ActionItemFactory(
            visit=visit,
            assignee=personas.visit_team,
            due_date=TODAY + datetime.timedelta(days=10),
            assigned_notified_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
            **kwargs,
        )

    return {
        "open": item(description="Share the walkthrough schedule"),
        "started": item(description="Order the readers", status="in_progress"),
        "done": item(description="Book the library", status="done"),
    }


def membership(user, personas):
    return Membership.objects.get(user=user, district=personas.district)


def reassign_url(user, personas, slug="lakeside"):
    return reverse("actions:reassign", args=[slug, membership(user, personas).pk])


def test_the_service_hands_over_the_open_items_only(
    personas, items, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = action_items_reassign(
            district=personas.district,
            from_user=personas.visit_team,
            to_user=personas.cabinet,
            by=personas.admin,
        )
    assert count == 2
    assignees = dict(ActionItem.objects.values_list("description", "assignee__email"))
    assert assignees == {
        "Share the walkthrough schedule": "cabinet@lakeside.test",
        "Order the readers": "cabinet@lakeside.test",
        "Book the library": "visitor@lakeside.test",
    }
    # Each is an ordinary reassignment: in the history, and the new assignee is told.
    changed = events_of(ActionItem).filter(pgh_obj_id=items["open"].pk, pgh_label="changed")
    assert changed.filter(assignee_id=personas.cabinet.pk).exists()
    assert sorted(m.to for m in mail.outbox) == [["cabinet@lakeside.test"]] * 2


def test_the_service_leaves_other_districts_alone(personas, items):
    elsewhere = ActionItemFactory(
        visit=VisitFactory(program=ProgramFactory(district=personas.other_district)),
        assignee=personas.visit_team,
    )
    action_items_reassign(
        district=personas.district,
        from_user=personas.visit_team,
        to_user=personas.cabinet,
        by=personas.admin,
    )
    elsewhere.refresh_from_db()
    assert elsewhere.assignee == personas.visit_team


@pytest.mark.parametrize("who", ["board", "deactivated", "outsider", "themselves", "switched_off"])
def test_the_service_refuses_someone_who_cannot_take_them(personas, items, who):
    if who == "deactivated":
        to_user = UserFactory()
        MembershipFactory(user=to_user, district=personas.district, is_active=False)
    elif who == "switched_off":
        to_user = UserFactory(is_active=False)
        MembershipFactory(user=to_user, district=personas.district)
    else:
        to_user = {
            "board": personas.board,
            "outsider": personas.outsider,
            "themselves": personas.visit_team,
        }[who]
    with pytest.raises(ValidationError):
        action_items_reassign(
            district=personas.district,
            from_user=personas.visit_team,
            to_user=to_user,
            by=personas.admin,
        )
    assert set(ActionItem.objects.values_list("assignee", flat=True)) == {personas.visit_team.pk}


def test_a_campus_leader_takes_only_their_own_campuses_items(personas, items):
    # The campus leader leads the visit's campus: they may take all of these.
    action_items_reassign(
        district=personas.district,
        from_user=personas.visit_team,
        to_user=personas.campus_leader,
        by=personas.admin,
    )
    other_campus = CampusFactory(district=personas.district)
    ActionItemFactory(
        visit=VisitFactory(program=ProgramFactory(district=personas.district), campus=other_campus),
        assignee=personas.cabinet,
    )
    with pytest.raises(ValidationError):
        action_items_reassign(
            district=personas.district,
            from_user=personas.cabinet,
            to_user=personas.campus_leader,
            by=personas.admin,
        )


def test_the_page_lists_the_items_and_offers_only_who_may_take_them(as_member, personas, items):
    MembershipFactory(
        user=UserFactory(email="gone@lakeside.test"), district=personas.district, is_active=False
    )
    page = as_member(personas.admin).get(reassign_url(personas.visit_team, personas)).text
    assert "Share the walkthrough schedule" in page
    assert "Order the readers" in page
    assert "Book the library" not in page
    offered = page.split('name="to_user"')[1].split("</select>")[0]
    assert "cabinet@lakeside.test" in offered
    assert "principal@lakeside.test" in offered
    for email in ("board@", "gone@", "visitor@", "outsider@"):
        assert email not in offered


def test_handing_over_on_the_page(as_member, personas, items):
    response = as_member(personas.admin).post(
        reassign_url(personas.visit_team, personas), {"to_user": personas.cabinet.pk}
    )
    assert response.status_code == 302
    member = membership(personas.visit_team, personas)
    assert response["Location"] == reverse("people:member", args=["lakeside", member.pk])
    assert ActionItem.objects.filter(assignee=personas.cabinet).count() == 2


@pytest.mark.parametrize("value", ["", "abc", "-1", str(10**30), "²"])
def test_bad_choices_are_refused_beside_the_field(as_member, personas, items, value):
    response = as_member(personas.admin).post(
        reassign_url(personas.visit_team, personas), {"to_user": value}
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert ActionItem.objects.filter(assignee=personas.visit_team).count() == 3


def test_a_person_of_another_district_is_not_a_choice(as_member, personas, items):
    response = as_member(personas.admin).post(
        reassign_url(personas.visit_team, personas), {"to_user": personas.outsider.pk}
    )
    assert "Select a valid choice" in response.text
    assert ActionItem.objects.filter(assignee=personas.visit_team).count() == 3


def test_a_member_with_nothing_open_is_told_so(as_member, personas):
    page = as_member(personas.admin).get(reassign_url(personas.board, personas)).text
    assert "has no open action items in this district" in page


def test_a_member_of_another_district_gets_404(as_member, personas, items):
    client = as_member(personas.outsider)
    url = reassign_url(personas.visit_team, personas)
    assert client.get(url).status_code == 404
    assert client.post(url, {"to_user": personas.cabinet.pk}).status_code == 404
    hillcrest = reassign_url(personas.visit_team, personas, slug="hillcrest")
    assert client.post(hillcrest, {"to_user": personas.cabinet.pk}).status_code == 404
    assert ActionItem.objects.filter(assignee=personas.visit_team).count() == 3


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_district_admins_hand_items_over(as_member, personas, items, role):
    client = as_member(personas.by_role()[role])
    url = reassign_url(personas.visit_team, personas)
    assert client.get(url).status_code == 403
    assert client.post(url, {"to_user": personas.cabinet.pk}).status_code == 403
    assert ActionItem.objects.filter(assignee=personas.visit_team).count() == 3


def test_reminders_are_not_sent_to_a_deactivated_member(personas, visit):
    ActionItemFactory(visit=visit, assignee=personas.visit_team, due_date=TODAY)
    ActionItemFactory(visit=visit, assignee=personas.cabinet, due_date=TODAY)
    membership_access_set(
        membership=membership(personas.visit_team, personas), active=False, by=personas.admin
    )
    send_action_item_reminders()
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"cabinet@lakeside.test"}


def test_reminders_still_go_to_someone_deactivated_in_another_district_only(personas, visit):
    other = MembershipFactory(
        user=personas.visit_team, district=personas.other_district, role=Role.BOARD
    )
    membership_access_set(membership=other, active=False, by=personas.outsider)
    ActionItemFactory(visit=visit, assignee=personas.visit_team, due_date=TODAY)
    send_action_item_reminders()
    assert {a for m in mail.outbox for a in m.to} == {"visitor@lakeside.test"}


def test_reminders_resume_after_reactivation(personas, visit):
    ActionItemFactory(visit=visit, assignee=personas.visit_team, due_date=TODAY)
    member = membership(personas.visit_team, personas)
    membership_access_set(membership=member, active=False, by=personas.admin)
    send_action_item_reminders()
    assert not mail.outbox
    membership_access_set(membership=member, active=True, by=personas.admin)
    send_action_item_reminders()
    assert {a for m in mail.outbox for a in m.to} == {"visitor@lakeside.test"}


def test_the_calendar_feed_stops_while_deactivated_and_returns_after(as_member, personas, visit):
    as_member(personas.visit_team).get(reverse("visits:calendar_feed", args=["lakeside"]))
    feed_url = f"/ics/{CalendarFeed.objects.get(user=personas.visit_team).token}.ics"
    calendar_app = Client()
    assert calendar_app.get(feed_url).status_code == 200
    member = membership(personas.visit_team, personas)
    admin = as_member(personas.admin)
    admin.post(reverse("people:access", args=["lakeside", member.pk]), {"active": "off"})
    assert calendar_app.get(feed_url).status_code == 404
    admin.post(reverse("people:access", args=["lakeside", member.pk]), {"active": "on"})
    assert calendar_app.get(feed_url).status_code == 200
