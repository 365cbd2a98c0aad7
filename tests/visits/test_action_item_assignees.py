"""An action item goes only to someone who can act on it: the owning campus's leaders or the
owning department's leads, and those who run visits. One rule decides both who is offered and
who may update the item."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Membership
from core.roles import Role, may_update_action_item
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    DepartmentFactory,
    MembershipFactory,
    ProgramFactory,
    VisitFactory,
)
from tests.helpers import travel_to
from visits.models import ActionItem
from visits.selectors import assignee_choices, district_members

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


@pytest.fixture
def other_principal(personas):
    campus = CampusFactory(district=personas.district, name="Hillside Middle")
    return MembershipFactory(
        district=personas.district,
        role=Role.CAMPUS_LEADER,
        campuses=[campus],
        user__full_name="Olga Otherschool",
    ).user


@pytest.fixture
def other_lead(personas):
    department = DepartmentFactory(district=personas.district, name="Multilingual")
    return MembershipFactory(
        district=personas.district,
        role=Role.DEPARTMENT_LEAD,
        departments=[department],
        user__full_name="Dario Otherdept",
    ).user


def named(personas, *roles):
    return {getattr(personas, role).get_full_name() for role in roles}


def reassign_form(client, item):
    """The item's reassign form, as its "Reassign or move" on the list fetches it."""
    return client.get(
        reverse("actions:item", args=["lakeside", item.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"item-{item.pk}-reassign",
    ).text


def offered(page, item):
    """The names the item's "Assigned to" list offers."""
    select = re.search(rf'<select id="assignee-{item.pk}".*?</select>', page, re.S).group(0)
    return set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select))


def test_a_campus_item_offers_its_campus_leaders_and_those_who_run_visits_only(
    as_member, personas, visit, other_principal, other_lead
):
    item = ActionItemFactory(visit=visit)
    page = reassign_form(as_member(personas.cabinet), item)
    assert offered(page, item) == named(personas, "admin", "cabinet", "visit_team", "campus_leader")


def test_a_member_deactivated_in_the_district_is_not_offered(as_member, personas, visit):
    item = ActionItemFactory(visit=visit)
    personas.campus_leader.memberships.update(is_active=False)
    page = reassign_form(as_member(personas.cabinet), item)
    assert offered(page, item) == named(personas, "admin", "cabinet", "visit_team")


def test_a_department_item_offers_its_department_leads_and_those_who_run_visits_only(
    as_member, personas, visit, other_principal, other_lead
):
    item = ActionItemFactory(
        visit=visit,
        owner="department",
        department=personas.district.departments.get(name="Special Education"),
    )
    page = reassign_form(as_member(personas.cabinet), item)
    assert offered(page, item) == named(
        personas, "admin", "cabinet", "visit_team", "department_lead"
    )


def test_the_new_item_form_never_offers_board_members_or_other_campuses_principals(
    as_member, personas, visit, other_principal
):
    page = (
        as_member(personas.visit_team)
        .get(
            reverse("visits:visit", args=["lakeside", visit.pk]),
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="action-item-form",
        )
        .text
    )
    form = page[page.index('id="id_assignee"') :]
    form = form[: form.index("</select>")]
    assert personas.campus_leader.get_full_name() in form
    assert personas.department_lead.get_full_name() in form
    assert personas.board.get_full_name() not in form
    assert "Olga Otherschool" not in form


def test_offered_is_exactly_who_may_update_for_every_member_and_item(
    personas, visit, other_principal, other_lead
):
    items = [
        ActionItemFactory(visit=visit),
        *(
            ActionItemFactory(visit=visit, owner="department", department=department)
            for department in personas.district.departments.all()
        ),
    ]
    members = district_members(personas.district)
    for item in items:
        may = {
            m.user_id
            for m in Membership.objects.filter(district=personas.district)
            if may_update_action_item(m, item)
        }
        assert {user.pk for user in assignee_choices(members=members, item=item)} == may


@pytest.mark.parametrize("who", ["board", "other_principal", "department_lead"])
def test_reassigning_to_someone_who_cannot_act_on_it_is_refused_and_saves_nothing(
    as_member, personas, visit, other_principal, who
):
    item = ActionItemFactory(visit=visit, assignee=personas.campus_leader)
    person = other_principal if who == "other_principal" else getattr(personas, who)
    response = as_member(personas.visit_team).post(
        reverse("actions:item", args=["lakeside", item.pk]),
        {"assignee": person.pk, "due_date": "", "version": item.version},
        follow=True,
    )
    assert (
        f"{person.get_full_name()} cannot update items owned by "
        f"{item.owner_label}" in response.text.replace("&#x27;", "'")
    )
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.assignee, stored.version) == (personas.campus_leader, 1)


def test_a_new_item_for_the_board_is_refused_next_to_the_assignee(as_member, personas, visit):
    response = as_member(personas.visit_team).post(
        reverse("visits:action_item_new", args=["lakeside", visit.pk]),
        {"description": "Share the schedule", "owner": "campus", "assignee": personas.board.pk},
    )
    assert response.status_code == 200
    assert f"{personas.board.get_full_name()} cannot update items owned by" in response.text
    assert not ActionItem.objects.exists()


def test_who_may_be_assigned_follows_the_owner_chosen(as_member, personas, visit):
    client = as_member(personas.visit_team)
    url = reverse("visits:action_item_new", args=["lakeside", visit.pk])
    department = personas.district.departments.get()
    refused = client.post(
        url,
        {
            "description": "Plan the co-teaching",
            "owner": "department",
            "department": department.pk,
            "assignee": personas.campus_leader.pk,
        },
    )
    assert "cannot update items owned by Special Education" in refused.text
    assert not ActionItem.objects.exists()
    client.post(
        url,
        {
            "description": "Plan the co-teaching",
            "owner": "department",
            "department": department.pk,
            "assignee": personas.department_lead.pk,
        },
    )
    assert ActionItem.objects.get().assignee == personas.department_lead


def test_moving_an_item_to_a_department_its_assignee_does_not_lead_is_refused_in_the_admin(
    client, personas, visit
):
    personas.admin.is_staff = True
    personas.admin.save()
    client.force_login(personas.admin)
    item = ActionItemFactory(visit=visit, assignee=personas.campus_leader)
    response = client.post(
        reverse("admin:visits_actionitem_change", args=[item.pk]),
        {
            "district": item.district_id,
            "visit": item.visit_id,
            "campus": item.campus_id,
            "owner": "department",
            "department": personas.district.departments.get().pk,
            "assignee": personas.campus_leader.pk,
            "description": item.description,
            "due_date": item.due_date.isoformat(),
            "status": item.status,
            "completed_on": "",
            "opened_version": item.version,
        },
    )
    assert response.status_code == 200
    assert "cannot update items owned by Special Education" in response.text
    assert ActionItem.objects.get(pk=item.pk).owner == "campus"
