from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Membership
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


def district_admin(personas):
    user = UserFactory(is_staff=True, email="staff-admin@lakeside.test")
    MembershipFactory(user=user, district=personas.district, role=Role.ADMIN)
    return user


def test_a_district_admin_cannot_add_someone_from_outside_their_district(client, personas):
    client.force_login(district_admin(personas))
    stranger = UserFactory(email="stranger@elsewhere.test")
    for user in (stranger, personas.outsider):
        response = client.post(
            reverse("admin:accounts_membership_add"),
            {"user": user.pk, "district": personas.district.pk, "role": Role.BOARD},
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.text
        assert not Membership.objects.filter(user=user, district=personas.district).exists()


def test_a_district_admin_cannot_pick_another_districts_campus(client, personas):
    client.force_login(district_admin(personas))
    second = UserFactory()
    MembershipFactory(user=second, district=personas.other_district, role=Role.BOARD)
    foreign = CampusFactory(district=personas.other_district)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": personas.board.pk,
            "district": personas.other_district.pk,
            "role": Role.CAMPUS_LEADER,
            "campuses": [foreign.pk],
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(district=personas.other_district, user=personas.board)


def test_user_autocomplete_offers_only_the_admins_people(client, personas):
    client.force_login(district_admin(personas))
    UserFactory(email="stranger@elsewhere.test")
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "membership", "field_name": "user", "term": "@"},
    )
    assert response.status_code == 200
    emails = response.text
    assert "cabinet@lakeside.test" in emails or "Person" in emails
    assert "stranger@elsewhere.test" not in emails
    assert "outsider@hillcrest.test" not in emails


def test_users_outside_the_district_cannot_be_opened_by_id(client, personas):
    client.force_login(district_admin(personas))
    stranger = UserFactory(email="stranger@elsewhere.test")
    for user in (stranger, personas.outsider):
        response = client.get(reverse("admin:accounts_user_change", args=[user.pk]), follow=True)
        assert response.redirect_chain == [(reverse("admin:index"), 302)]
        assert response.status_code == 200
        assert f"with ID “{user.pk}” doesn’t exist" in response.text
        assert user.email not in response.text


def test_a_persons_memberships_elsewhere_are_not_shown(client, personas):
    MembershipFactory(user=personas.cabinet, district=personas.other_district, role=Role.BOARD)
    user = district_admin(personas)
    # Given Django's own permissions on people, the admin sees the memberships inline.
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["change_user", "change_membership"])
    )
    client.force_login(user)
    response = client.get(reverse("admin:accounts_user_change", args=[personas.cabinet.pk]))
    assert response.status_code == 200
    assert "Lakeside Unified School District" in response.text
    assert "Hillcrest School District" not in response.text


def test_list_filters_do_not_name_other_districts(client, personas):
    client.force_login(district_admin(personas))
    for name in ("core_campus_changelist", "accounts_membership_changelist"):
        response = client.get(reverse(f"admin:{name}"))
        assert response.status_code == 200
        assert "Lakeside Unified School District" in response.text
        assert "Hillcrest School District" not in response.text


def test_every_foreign_key_of_an_admin_form_is_scoped(client, personas):
    """Walks every admin form a district admin can open: no choice names another district."""
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    foreign_campus = CampusFactory(district=personas.other_district)
    user = district_admin(personas)
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in django_admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue
        form = model_admin.get_form(request)()
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            related = queryset.model
            if related is type(personas.district):
                assert set(queryset) <= {personas.district}, (model, name)
            elif related is type(user):
                assert personas.outsider not in queryset, (model, name)
            else:
                assert foreign_campus not in queryset, (model, name)
                assert not queryset.exclude(district=personas.district).exists(), (model, name)


def test_a_membership_edited_in_the_django_admin_moves_its_version_on(client, personas):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    member = Membership.objects.get(user=personas.board, district=personas.district)
    url = reverse("admin:accounts_membership_change", args=[member.pk])
    data = {
        "user": member.user_id,
        "district": member.district_id,
        "role": "cabinet",
        "title": "Trustee",
        "opened_version": 1,
    }
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.role, member.version) == ("cabinet", 2)
    # A second edit from the page opened before the first is refused.
    response = client.post(url, data | {"role": "board"})
    assert "Someone else changed this record since you opened it." in response.text
    member.refresh_from_db()
    assert member.role == "cabinet"
