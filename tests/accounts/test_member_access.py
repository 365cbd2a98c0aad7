"""A district admin switches a member's access to the district off and on again."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessEvent, Membership
from core.history import events_of
from core.roles import Role
from tests.factories import ActionItemFactory, MembershipFactory, ProgramFactory, VisitFactory


def membership(user, personas):
    return Membership.objects.get(user=user, district=personas.district)


def access_url(member):
    return reverse("people:access", args=["lakeside", member.pk])


def test_the_confirmation_page_asks_first_and_changes_nothing(as_member, personas):
    member = membership(personas.cabinet, personas)
    response = as_member(personas.admin).get(access_url(member))
    assert response.status_code == 200
    assert "Deactivate cabinet@lakeside.test?" in response.text
    member.refresh_from_db()
    assert member.is_active


def test_a_deactivated_members_open_session_stops_at_their_next_request(as_member, personas):
    # With another district still open to them, they stay signed in and this one is a 404.
    MembershipFactory(user=personas.cabinet, district=personas.other_district, role=Role.BOARD)
    home = reverse("dashboard:home", args=["lakeside"])
    theirs = Client()
    theirs.force_login(personas.cabinet)
    assert theirs.get(home).status_code == 200

    member = membership(personas.cabinet, personas)
    response = as_member(personas.admin).post(access_url(member), {"active": "off"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:index", args=["lakeside"])

    assert theirs.get(home).status_code == 404
    assert theirs.post(home).status_code == 404
    assert "lakeside" not in theirs.get(reverse("accounts:pick_district") + "?all=1").text


def test_someone_deactivated_in_their_only_district_is_signed_out_everywhere(as_member, personas):
    home = reverse("dashboard:home", args=["lakeside"])
    theirs = Client()
    theirs.force_login(personas.cabinet)
    assert theirs.get(home).status_code == 200

    member = membership(personas.cabinet, personas)
    as_member(personas.admin).post(access_url(member), {"active": "off"})

    response = theirs.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    kinds = set(AccessEvent.objects.filter(user=personas.cabinet).values_list("kind", flat=True))
    assert kinds == {AccessEvent.Kind.DEACTIVATED, AccessEvent.Kind.SIGNED_OUT_EVERYWHERE}


def test_deactivation_and_reactivation_are_in_the_access_log(as_member, personas):
    member = membership(personas.board, personas)
    client = as_member(personas.admin)
    client.post(access_url(member), {"active": "off"}, REMOTE_ADDR="203.0.113.9")
    client.post(access_url(member), {"active": "on"}, REMOTE_ADDR="203.0.113.9")
    events = AccessEvent.objects.filter(
        user=personas.board,
        kind__in=[AccessEvent.Kind.DEACTIVATED, AccessEvent.Kind.REACTIVATED],
    ).order_by("pk")
    assert [e.kind for e in events] == [AccessEvent.Kind.DEACTIVATED, AccessEvent.Kind.REACTIVATED]
    for event in events:
        assert event.district == personas.district
        assert event.actor == personas.admin
        assert event.ip_address == "203.0.113.9"
        assert event.email == "board@lakeside.test"


def test_deactivating_someone_with_open_action_items_leads_to_handing_them_over(
    as_member, personas
):
    visit = VisitFactory(program=ProgramFactory(district=personas.district))
    ActionItemFactory(visit=visit, assignee=personas.visit_team, description="Share the schedule")
    member = membership(personas.visit_team, personas)
    client = as_member(personas.admin)
    assert "1 open action item" in client.get(access_url(member)).text
    response = client.post(access_url(member), {"active": "off"})
    assert response["Location"] == reverse("actions:reassign", args=["lakeside", member.pk])
    assert "Share the schedule" in client.get(response["Location"]).text


def test_the_people_page_shows_a_deactivated_member_as_such(as_member, personas):
    member = membership(personas.board, personas)
    client = as_member(personas.admin)
    client.post(access_url(member), {"active": "off"})
    page = client.get(reverse("people:index", args=["lakeside"]), {"q": "board@"}).text
    assert "Deactivated" in page
    assert "Reactivate" in page


def test_a_reactivated_member_gets_back_in(as_member, personas):
    member = membership(personas.board, personas)
    member.is_active = False
    member.save()
    client = as_member(personas.admin)
    assert "Reactivate board@lakeside.test?" in client.get(access_url(member)).text
    client.post(access_url(member), {"active": "on"})
    member.refresh_from_db()
    assert member.is_active
    other = Client()
    other.force_login(personas.board)
    assert other.get(reverse("dashboard:home", args=["lakeside"])).status_code == 200


def test_deactivation_only_closes_this_district(as_member, personas):
    MembershipFactory(user=personas.cabinet, district=personas.other_district, role=Role.BOARD)
    as_member(personas.admin).post(
        access_url(membership(personas.cabinet, personas)), {"active": "off"}
    )
    theirs = Client()
    theirs.force_login(personas.cabinet)
    assert theirs.get(reverse("dashboard:home", args=["hillcrest"])).status_code == 200


def test_an_admin_cannot_lock_themselves_out(as_member, personas):
    member = membership(personas.admin, personas)
    response = as_member(personas.admin).post(access_url(member), {"active": "off"})
    assert response.status_code == 200
    assert "You cannot deactivate yourself" in response.text
    member.refresh_from_db()
    assert member.is_active


def test_a_missing_or_unknown_choice_is_refused_not_a_crash(as_member, personas):
    member = membership(personas.cabinet, personas)
    client = as_member(personas.admin)
    for data in ({}, {"active": "maybe"}):
        response = client.post(access_url(member), data)
        assert response.status_code == 200
    member.refresh_from_db()
    assert member.is_active


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_district_admins_may_deactivate(as_member, personas, role):
    member = membership(personas.board, personas)
    response = as_member(personas.by_role()[role]).post(access_url(member), {"active": "off"})
    assert response.status_code in (403, 404)
    member.refresh_from_db()
    assert member.is_active


def test_deactivation_and_reactivation_are_in_the_history(as_member, personas):
    member = membership(personas.cabinet, personas)
    client = as_member(personas.admin)
    client.post(access_url(member), {"active": "off"})
    client.post(access_url(member), {"active": "on"})
    changes = list(
        events_of(Membership)
        .filter(pgh_obj_id=member.pk, pgh_label="changed")
        .order_by("pgh_id")
        .values_list("is_active", flat=True)
    )
    assert changes == [False, True]
