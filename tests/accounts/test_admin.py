from django.urls import reverse

from core.roles import Role
from tests.factories import CampusFactory, MembershipFactory, UserFactory


def test_superuser_sees_every_districts_campuses(client, personas):
    CampusFactory(district=personas.other_district, name="Hillcrest Middle")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:core_campus_changelist"))
    assert "Lakeside Elementary" in response.text
    assert "Hillcrest Middle" in response.text


def test_staff_district_admin_sees_only_their_district(client, personas):
    CampusFactory(district=personas.other_district, name="Hillcrest Middle")
    user = UserFactory(is_staff=True)
    MembershipFactory(user=user, district=personas.district, role=Role.ADMIN)
    client.force_login(user)
    response = client.get(reverse("admin:core_campus_changelist"))
    assert response.status_code == 200
    assert "Lakeside Elementary" in response.text
    assert "Hillcrest Middle" not in response.text
    foreign = CampusFactory(district=personas.other_district)
    url = reverse("admin:core_campus_change", args=[foreign.pk])
    assert client.get(url).status_code in (302, 404)


def test_staff_without_a_district_admin_role_gets_nothing(client, personas):
    user = UserFactory(is_staff=True)
    MembershipFactory(user=user, district=personas.district, role=Role.CABINET)
    client.force_login(user)
    assert client.get(reverse("admin:core_campus_changelist")).status_code == 403


def test_membership_admin_rejects_a_campus_leader_without_a_campus(client, personas):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": UserFactory().pk, "district": personas.district.pk, "role": Role.CAMPUS_LEADER},
    )
    assert response.status_code == 200
    assert "A campus leader leads at least one campus." in response.text


def test_membership_admin_rejects_a_campus_of_another_district(client, personas):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    foreign = CampusFactory(district=personas.other_district)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": UserFactory().pk,
            "district": personas.district.pk,
            "role": Role.CAMPUS_LEADER,
            "campuses": [foreign.pk],
        },
    )
    assert "Every campus must belong to this membership" in response.text
