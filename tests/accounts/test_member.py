"""A district admin opens one member's page: who they are, how they sign in, and the form that
changes their role, title, campuses and departments."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import AccessEvent, Membership
from accounts.services import membership_update
from core.history import events_of
from core.roles import Role
from core.versioning import EditConflict
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    DepartmentFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
    VisitFactory,
)


def membership(user, personas):
    return Membership.objects.get(user=user, district=personas.district)


def member_url(member, slug="lakeside"):
    return reverse("people:member", args=[slug, member.pk])


def form_data(member, **changes):
    data = {
        "role": member.role,
        "title": member.title,
        "campuses": [c.pk for c in member.campuses.all()],
        "departments": [d.pk for d in member.departments.all()],
        "version": member.version,
    }
    return data | changes


def test_the_page_says_who_they_are_and_how_they_sign_in(as_member, personas):
    campus = CampusFactory(district=personas.district, name="Rio Vista Middle")
    user = UserFactory(
        email="ana@lakeside.test",
        full_name="Ana Ruiz",
        last_login=datetime.datetime(2026, 11, 3, 15, 0, tzinfo=datetime.UTC),
    )
    member = MembershipFactory(
        user=user,
        district=personas.district,
        role=Role.CAMPUS_LEADER,
        title="Principal",
        campuses=[campus],
    )
    page = as_member(personas.admin).get(member_url(member)).text
    for text in ("Ana Ruiz", "ana@lakeside.test", "Principal", "Campus leader", "Rio Vista Middle"):
        assert text in page
    assert "11/03/2026" in page
    assert "Password" in page
    assert "Single sign-on" not in page
    assert "with two-step" not in page
    assert "Active" in page


def test_single_sign_on_and_a_second_step_are_shown(as_member, personas):
    member = membership(personas.cabinet, personas)
    SocialAccount.objects.create(user=personas.cabinet, provider="google", uid="cab-1")
    Authenticator.objects.create(
        user=personas.cabinet, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    personas.cabinet.set_unusable_password()
    personas.cabinet.save()
    page = as_member(personas.admin).get(member_url(member)).text
    assert "Single sign-on" in page
    assert "with two-step" in page


def test_recovery_codes_alone_are_not_a_second_step(as_member, personas):
    member = membership(personas.cabinet, personas)
    Authenticator.objects.create(
        user=personas.cabinet, type=Authenticator.Type.RECOVERY_CODES, data={}
    )
    response = as_member(personas.admin).get(member_url(member))
    assert response.status_code == 200
    assert "cabinet@lakeside.test" in response.text
    assert "<dt>Signs in with</dt><dd>Password" in response.text
    assert "with two-step" not in response.text


def test_the_people_list_links_each_member_and_says_how_they_sign_in(as_member, personas):
    SocialAccount.objects.create(user=personas.board, provider="google", uid="board-1")
    page = as_member(personas.admin).get(reverse("people:index", args=["lakeside"])).text
    assert member_url(membership(personas.board, personas)) in page
    assert "Signs in with" in page
    row = page.split("board@lakeside.test")[1].split("</tr>")[0]
    assert "Single sign-on" in row


@pytest.mark.parametrize("count", [5, 40])
def test_the_people_list_asks_the_same_queries_however_many_sign_in_ways(
    as_member, personas, django_assert_max_num_queries, count
):
    for n in range(count):
        user = UserFactory()
        MembershipFactory(district=personas.district, user=user)
        SocialAccount.objects.create(user=user, provider="google", uid=f"u{n}")
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    client = as_member(personas.admin)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("people:index", args=["lakeside"])).status_code == 200


def test_the_member_page_has_a_small_fixed_query_budget(
    as_member, personas, django_assert_max_num_queries
):
    member = membership(personas.campus_leader, personas)
    client = as_member(personas.admin)
    with django_assert_max_num_queries(14):
        assert client.get(member_url(member)).status_code == 200


def test_changing_a_role_saves_it_and_writes_the_access_log(as_member, personas):
    member = membership(personas.cabinet, personas)
    campus = personas.district.campuses.get()
    response = as_member(personas.admin).post(
        member_url(member),
        form_data(member, role=Role.CAMPUS_LEADER, campuses=[campus.pk], title="Principal"),
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    assert response["Location"] == member_url(member)
    member.refresh_from_db()
    assert member.role == Role.CAMPUS_LEADER
    assert member.title == "Principal"
    assert member.bound_campus_ids() == {campus.pk}
    assert member.version == 2
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.ROLE_CHANGED)
    assert event.detail == "Cabinet → Campus leader; Campuses: - → Lakeside Elementary"
    assert event.user == personas.cabinet
    assert event.actor == personas.admin
    assert event.district == personas.district
    assert event.ip_address == "198.51.100.7"
    roles = list(
        events_of(Membership)
        .filter(pgh_obj_id=member.pk, pgh_label="changed")
        .values_list("role", flat=True)
    )
    assert roles == [Role.CAMPUS_LEADER]


def test_a_new_title_alone_is_saved_but_not_an_access_event(as_member, personas):
    member = membership(personas.cabinet, personas)
    as_member(personas.admin).post(member_url(member), form_data(member, title="Chief of staff"))
    member.refresh_from_db()
    assert member.title == "Chief of staff"
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.ROLE_CHANGED).exists()


def test_saving_what_is_stored_changes_nothing(as_member, personas):
    member = membership(personas.cabinet, personas)
    as_member(personas.admin).post(member_url(member), form_data(member))
    member.refresh_from_db()
    assert member.version == 1
    assert not AccessEvent.objects.exists()


def test_a_second_admins_stale_form_is_shown_the_conflict_not_saved(as_member, personas):
    member = membership(personas.cabinet, personas)
    stale = form_data(member, role=Role.BOARD)
    other_admin = UserFactory()
    MembershipFactory(user=other_admin, district=personas.district, role=Role.ADMIN)
    membership_update(membership=member, expected_version=1, by=other_admin, role=Role.VISIT_TEAM)
    response = as_member(personas.admin).post(member_url(member), stale)
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in response.text
    member.refresh_from_db()
    assert member.role == Role.VISIT_TEAM
    # Saving again from the re-armed form is deliberate, and goes through.
    again = as_member(personas.admin).post(member_url(member), stale | {"version": 2})
    assert again.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.BOARD


@pytest.mark.parametrize("version", ["", "0", "abc", "²"])
def test_a_missing_or_unreadable_version_is_a_conflict(as_member, personas, version):
    member = membership(personas.cabinet, personas)
    response = as_member(personas.admin).post(
        member_url(member), form_data(member, role=Role.BOARD, version=version)
    )
    assert "Someone else saved this while you were editing" in response.text
    member.refresh_from_db()
    assert member.role == Role.CABINET


def test_an_admin_cannot_change_their_own_role(as_member, personas):
    member = membership(personas.admin, personas)
    response = as_member(personas.admin).post(member_url(member), form_data(member, role="board"))
    assert response.status_code == 200
    assert "You cannot change your own role" in response.text
    member.refresh_from_db()
    assert member.role == Role.ADMIN


def test_an_admin_may_change_their_own_title(as_member, personas):
    member = membership(personas.admin, personas)
    as_member(personas.admin).post(member_url(member), form_data(member, title="Superintendent"))
    member.refresh_from_db()
    assert member.title == "Superintendent"


def test_a_campus_of_another_district_is_refused(as_member, personas):
    member = membership(personas.campus_leader, personas)
    foreign = CampusFactory(district=personas.other_district)
    response = as_member(personas.admin).post(
        member_url(member), form_data(member, campuses=[foreign.pk])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    member.refresh_from_db()
    assert member.bound_campus_ids() == {personas.district.campuses.get().pk}


def test_the_service_refuses_a_campus_of_another_district(personas):
    member = membership(personas.campus_leader, personas)
    with pytest.raises(Exception, match="Every campus must belong"):
        membership_update(
            membership=member,
            expected_version=1,
            by=personas.admin,
            role=Role.CAMPUS_LEADER,
            campuses=[CampusFactory(district=personas.other_district)],
        )


def test_a_campus_leader_must_lead_a_campus(as_member, personas):
    member = membership(personas.cabinet, personas)
    response = as_member(personas.admin).post(
        member_url(member), form_data(member, role=Role.CAMPUS_LEADER)
    )
    assert "A campus leader leads at least one campus." in response.text
    member.refresh_from_db()
    assert member.role == Role.CABINET


def test_a_department_lead_gets_departments_and_the_log_says_so(as_member, personas):
    member = membership(personas.board, personas)
    department = DepartmentFactory(district=personas.district, name="Athletics")
    as_member(personas.admin).post(
        member_url(member),
        form_data(member, role=Role.DEPARTMENT_LEAD, departments=[department.pk]),
    )
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.ROLE_CHANGED)
    assert event.detail == "Board → Department lead; Departments: - → Athletics"


@pytest.mark.parametrize(
    ("title", "saved"),
    [
        ("Directora de Educación Bilingüe 学校 🏫", True),
        ('<script>alert("x")</script>', True),
        ("x" * 201, False),
        ("a\x00b", False),
    ],
)
def test_titles_of_every_kind(as_member, personas, title, saved):
    member = membership(personas.cabinet, personas)
    response = as_member(personas.admin).post(member_url(member), form_data(member, title=title))
    member.refresh_from_db()
    assert (member.title == title) is saved
    if saved:
        page = as_member(personas.admin).get(member_url(member)).text
        assert '<script>alert("x")</script>' not in page
    else:
        assert response.status_code == 200
        assert 'class="errorlist' in response.text


def test_an_unknown_role_is_refused(as_member, personas):
    member = membership(personas.cabinet, personas)
    response = as_member(personas.admin).post(member_url(member), form_data(member, role="emperor"))
    assert "Select a valid choice" in response.text
    member.refresh_from_db()
    assert member.role == Role.CABINET


def test_a_member_of_another_district_gets_404(as_member, personas):
    member = membership(personas.cabinet, personas)
    client = as_member(personas.outsider)
    assert client.get(member_url(member)).status_code == 404
    # The outsider administers hillcrest; this district's membership is not found there either.
    assert client.get(member_url(member, slug="hillcrest")).status_code == 404
    assert client.post(member_url(member, slug="hillcrest"), form_data(member)).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_district_admins_open_or_change_a_member(as_member, personas, role):
    member = membership(personas.board, personas)
    client = as_member(personas.by_role()[role])
    assert client.get(member_url(member)).status_code == 403
    response = client.post(member_url(member), form_data(member, role=Role.CABINET))
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Role.BOARD


def test_open_action_items_are_counted_with_a_link_to_hand_them_over(as_member, personas):
    visit = VisitFactory(program=ProgramFactory(district=personas.district))
    ActionItemFactory(visit=visit, assignee=personas.visit_team)
    ActionItemFactory(visit=visit, assignee=personas.visit_team, status="done")
    member = membership(personas.visit_team, personas)
    page = as_member(personas.admin).get(member_url(member)).text
    assert "1 action item of this district is assigned to them" in page
    assert reverse("actions:reassign", args=["lakeside", member.pk]) in page


def test_the_service_raises_a_conflict_for_a_stale_version(personas):
    member = membership(personas.board, personas)
    with pytest.raises(EditConflict):
        membership_update(membership=member, expected_version=7, by=personas.admin, role="board")
