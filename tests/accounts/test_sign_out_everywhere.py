"""Signing out of all devices: a person from their own account page, or a district admin for a
member. Every session made before then stops at its next request."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils.crypto import salted_hmac

from accounts.models import AccessEvent, Membership, User
from accounts.services import user_sessions_end
from core.roles import Role
from tests.personas import PASSWORD

HOME = reverse("dashboard:home", args=["lakeside"])


def signed_in(user):
    client = Client()
    client.force_login(user)
    assert client.get(HOME).status_code == 200
    return client


def is_signed_out(client):
    response = client.get(HOME)
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_the_account_page_shows_the_address_and_how_they_sign_in(as_member, personas):
    Authenticator.objects.create(user=personas.cabinet, type=Authenticator.Type.TOTP, data={})
    page = as_member(personas.cabinet).get(reverse("accounts:security")).text
    assert "cabinet@lakeside.test" in page
    assert "Password" in page
    assert "with two-step" in page
    assert reverse("accounts:password_change") in page
    assert reverse("mfa_index") in page
    assert reverse("accounts:sign_out_everywhere") in page


def test_the_header_links_to_the_account_page(as_member, personas):
    page = as_member(personas.board).get(HOME).text
    assert reverse("accounts:security") in page
    assert "Your account" in page


def test_the_account_pages_ask_to_sign_in_first(client):
    for name in ("accounts:security", "accounts:sign_out_everywhere"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(reverse("accounts:sign_out_everywhere"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_confirmation_page_signs_no_one_out(personas):
    phone = signed_in(personas.cabinet)
    laptop = signed_in(personas.cabinet)
    assert laptop.get(reverse("accounts:sign_out_everywhere")).status_code == 200
    assert not is_signed_out(phone)


def test_signing_out_everywhere_ends_every_session_and_lands_on_sign_in(personas):
    phone = signed_in(personas.cabinet)
    laptop = signed_in(personas.cabinet)
    someone_else = signed_in(personas.board)
    response = laptop.post(reverse("accounts:sign_out_everywhere"), REMOTE_ADDR="192.0.2.4")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert is_signed_out(laptop)
    assert is_signed_out(phone)
    assert not is_signed_out(someone_else)
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.SIGNED_OUT_EVERYWHERE)
    assert event.user == event.actor == personas.cabinet
    assert event.district is None
    assert event.ip_address == "192.0.2.4"


def test_signing_in_again_afterwards_works(personas):
    user_sessions_end(user=personas.cabinet, by=personas.cabinet)
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"login": "cabinet@lakeside.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


def test_a_password_change_keeps_this_session_and_ends_the_others(personas):
    user_sessions_end(user=personas.cabinet, by=personas.cabinet)
    personas.cabinet.refresh_from_db()
    this = signed_in(personas.cabinet)
    other = signed_in(personas.cabinet)
    response = this.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "lantern-orchard-2027",
            "new_password2": "lantern-orchard-2027",
        },
    )
    assert response.status_code == 302
    assert not is_signed_out(this)
    assert is_signed_out(other)


def test_sessions_from_before_the_epoch_existed_stay_signed_in(personas):
    user = User.objects.get(pk=personas.cabinet.pk)
    djangos_own = salted_hmac(
        "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
        user.password,
        algorithm="sha256",
    ).hexdigest()
    assert user.session_epoch == 0
    assert user.get_session_auth_hash() == djangos_own
    user.session_epoch = 1
    assert user.get_session_auth_hash() != djangos_own


def test_the_epoch_moves_in_the_database_not_from_a_stale_copy(personas):
    stale = User.objects.get(pk=personas.cabinet.pk)
    user_sessions_end(user=personas.cabinet, by=personas.admin)
    user_sessions_end(user=stale, by=personas.admin)
    assert User.objects.get(pk=personas.cabinet.pk).session_epoch == 2
    assert stale.session_epoch == 2


def member_sign_out_url(user, personas, slug="lakeside"):
    member = Membership.objects.get(user=user, district=personas.district)
    return reverse("people:member_sign_out", args=[slug, member.pk])


def test_an_admin_signs_a_member_out_of_all_devices(as_member, personas):
    theirs = signed_in(personas.visit_team)
    admin = as_member(personas.admin)
    url = member_sign_out_url(personas.visit_team, personas)
    assert "Sign visitor@lakeside.test out of all devices?" in admin.get(url).text
    assert not is_signed_out(theirs)
    response = admin.post(url)
    assert response.status_code == 302
    assert is_signed_out(theirs)
    # The admin's own session goes on.
    assert admin.get(HOME).status_code == 200
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.SIGNED_OUT_EVERYWHERE)
    assert event.actor == personas.admin
    assert event.user == personas.visit_team
    assert event.district == personas.district


def test_an_admin_signing_themselves_out_lands_on_sign_in(as_member, personas):
    admin = as_member(personas.admin)
    response = admin.post(member_sign_out_url(personas.admin, personas))
    assert response["Location"] == reverse("accounts:login")
    assert is_signed_out(admin)


def test_a_member_of_another_district_cannot_sign_anyone_out(as_member, personas):
    theirs = signed_in(personas.visit_team)
    client = as_member(personas.outsider)
    assert client.post(member_sign_out_url(personas.visit_team, personas)).status_code == 404
    url = member_sign_out_url(personas.visit_team, personas, slug="hillcrest")
    assert client.post(url).status_code == 404
    assert not is_signed_out(theirs)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_district_admins_sign_a_member_out(as_member, personas, role):
    theirs = signed_in(personas.visit_team)
    client = as_member(personas.by_role()[role])
    response = client.post(member_sign_out_url(personas.visit_team, personas))
    assert response.status_code == 403
    assert not is_signed_out(theirs)
