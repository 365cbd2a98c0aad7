import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from tests.factories import CampusFactory, MembershipFactory, UserFactory


def url(slug="lakeside"):
    return reverse("people:index", args=[slug])


def test_lists_every_member_of_this_district_only(as_member, personas):
    response = as_member(personas.admin).get(url())
    assert response.status_code == 200
    for email in ("admin@lakeside.test", "principal@lakeside.test", "dept@lakeside.test"):
        assert email in response.text
    assert "outsider@hillcrest.test" not in response.text


def test_shows_role_bindings_last_sign_in_and_status(as_member, personas):
    campus = CampusFactory(district=personas.district, name="Rio Vista Middle")
    user = UserFactory(
        email="leader@lakeside.test",
        full_name="Ana Ruiz",
        is_active=False,
        last_login=datetime.datetime(2026, 11, 3, 15, 0, tzinfo=datetime.UTC),
    )
    MembershipFactory(
        user=user, district=personas.district, role=Role.CAMPUS_LEADER, campuses=[campus]
    )
    response = as_member(personas.admin).get(url(), {"q": "ana ruiz"})
    row = response.text.split("leader@lakeside.test")[1].split("</tr>")[0]
    assert "Campus leader" in row
    assert "Rio Vista Middle" in row
    assert "11/03/2026" in row
    assert "Switched off" in row
    assert "Never" in as_member(personas.admin).get(url(), {"q": "board@"}).text


def test_search_ignores_accents_and_case(as_member, personas):
    MembershipFactory(district=personas.district, user__full_name="José Peña")
    client = as_member(personas.admin)
    assert "José Peña" in client.get(url(), {"q": "jose pena"}).text
    assert "José Peña" in client.get(url(), {"q": "PEÑA"}).text
    assert "cabinet@lakeside.test" in client.get(url(), {"q": "CABINET@"}).text
    assert "cabinet@lakeside.test" not in client.get(url(), {"q": "peña"}).text


def test_role_filter(as_member, personas):
    response = as_member(personas.admin).get(url(), {"role": Role.BOARD})
    assert "board@lakeside.test" in response.text
    assert "cabinet@lakeside.test" not in response.text


def test_unknown_role_is_refused_beside_the_field(as_member, personas):
    response = as_member(personas.admin).get(url(), {"role": "emperor"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "cabinet@lakeside.test" in response.text


def test_htmx_filter_gets_only_the_table(as_member, personas):
    response = as_member(personas.admin).get(
        url(), {"q": "board"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="people-table"
    )
    assert response.text.lstrip().startswith('<div id="people-table"')


def test_outsider_gets_404(as_member, personas):
    assert as_member(personas.outsider).get(url()).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_members_who_do_not_manage_the_district_are_refused(as_member, personas, role):
    response = as_member(personas.by_role()[role]).get(url())
    assert response.status_code == 403
    assert b"manage campuses, departments and members" in response.content


def test_people_link_only_for_district_admins(as_member, personas):
    home = reverse("dashboard:home", args=["lakeside"])
    assert url() in as_member(personas.admin).get(home).text
    assert url() not in as_member(personas.cabinet).get(home).text


@pytest.mark.parametrize("count", [5, 50])
def test_query_count_does_not_grow_with_the_members(
    as_member, personas, django_assert_max_num_queries, count
):
    campus = CampusFactory(district=personas.district)
    for _ in range(count):
        MembershipFactory(district=personas.district, role=Role.CAMPUS_LEADER, campuses=[campus])
    client = as_member(personas.admin)
    # Members, their campuses and departments, and the pending invitations among the rest.
    with django_assert_max_num_queries(7):
        assert client.get(url()).status_code == 200
