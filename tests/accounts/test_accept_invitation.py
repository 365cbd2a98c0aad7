"""The page an invitation email links to: a newcomer sets a password and lands in the district;
someone with an account signs in and accepts with one button; a link works once."""

import datetime
import threading

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessEvent, Invitation, Membership, User
from accounts.services import InvitationUnusable, invitation_accept
from core.roles import Role
from tests.factories import InvitationFactory, UserFactory
from tests.personas import PASSWORD

NEW_PASSWORD = "lantern-orchard-2026"


def url(invitation_or_token):
    token = getattr(invitation_or_token, "token", invitation_or_token)
    return reverse("accounts:invitation", args=[token])


@pytest.fixture
def invitation(personas):
    return InvitationFactory(
        district=personas.district,
        email="rosa@lakeside.test",
        role=Role.CAMPUS_LEADER,
        title="Principal",
        campuses=[personas.district.campuses.get()],
        invited_by=personas.admin,
    )


def accept(client, invitation, **fields):
    data = {"full_name": "Rosa Díaz", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(url(invitation), data | fields)


# --- A newcomer ----------------------------------------------------------------------------


def test_the_page_shows_the_district_and_the_role_without_signing_in(client, invitation):
    response = client.get(url(invitation))
    assert response.status_code == 200
    assert "Join Lakeside Unified School District" in response.text
    assert "Campus leader" in response.text
    assert "Lakeside Elementary" in response.text
    # Django's password rules are shown next to the field.
    assert "too similar to your other personal information" in response.text


def test_a_newcomer_sets_a_password_and_lands_signed_in_in_the_district(
    client, personas, invitation
):
    response = accept(client, invitation)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home", args=["lakeside"])
    user = User.objects.get(email="rosa@lakeside.test")
    assert user.full_name == "Rosa Díaz"
    assert user.check_password(NEW_PASSWORD)
    assert int(client.session[SESSION_KEY]) == user.pk
    membership = Membership.objects.get(user=user)
    assert (membership.district, membership.role, membership.title) == (
        personas.district,
        Role.CAMPUS_LEADER,
        "Principal",
    )
    assert list(membership.campuses.all()) == list(personas.district.campuses.all())
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert AccessEvent.objects.filter(
        kind=AccessEvent.Kind.INVITATION_ACCEPTED, user=user, district=personas.district
    ).exists()
    assert client.get(response["Location"]).status_code == 200


def test_accepting_proves_the_address(client, personas, invitation):
    accept(client, invitation)
    user = User.objects.get(email="rosa@lakeside.test")
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "entirely numeric"),
        ({"password1": "rosa@lakeside", "password2": "rosa@lakeside"}, "password1", "too similar"),
        ({"password2": "something-else-2026"}, "password2", "The two passwords differ"),
        ({"full_name": ""}, "full_name", "This field is required"),
    ],
)
def test_a_refused_password_or_name_is_explained_beside_the_field(
    client, invitation, fields, field, message
):
    response = accept(client, invitation, **fields)
    assert response.status_code == 200
    error = response.text.split(f'id="id_{field}_error"')[1].split("</ul>")[0]
    assert message in error
    assert not User.objects.filter(email="rosa@lakeside.test").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_name_written_as_html_is_kept_as_text(client, invitation):
    script = '<script>alert("x")</script>'
    response = accept(client, invitation, full_name=script)
    assert response.status_code == 302
    assert User.objects.get(email="rosa@lakeside.test").full_name == script


# --- Links that do not work ----------------------------------------------------------------


def test_an_unknown_link_is_a_404_that_says_so(client, personas):
    for token in ("no-such-token", "x" * 500, "<script>"):
        response = client.get(url(token))
        assert response.status_code == 404
        assert "does not match any invitation" in response.text
        assert client.post(url(token)).status_code == 404


def test_a_used_link_is_gone_and_a_second_accept_fails_cleanly(client, invitation):
    assert accept(client, invitation).status_code == 302
    client.logout()
    response = accept(client, invitation, full_name="Someone Else")
    assert response.status_code == 410
    assert "already been accepted" in response.text
    assert Membership.objects.filter(user__email="rosa@lakeside.test").count() == 1
    assert User.objects.get(email="rosa@lakeside.test").full_name == "Rosa Díaz"


def test_a_withdrawn_link_is_gone(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    response = client.get(url(invitation))
    assert response.status_code == 410
    assert "withdrew it" in response.text
    assert accept(client, invitation).status_code == 410
    assert not User.objects.filter(email="rosa@lakeside.test").exists()


def test_an_expired_link_is_gone(client, invitation, settings):
    with time_machine.travel(invitation.expires_at + datetime.timedelta(minutes=1)):
        response = client.get(url(invitation))
        assert response.status_code == 410
        assert "It has expired." in response.text
        assert accept(client, invitation).status_code == 410
    assert not User.objects.filter(email="rosa@lakeside.test").exists()


def test_a_link_still_works_on_its_last_day(client, invitation):
    with time_machine.travel(invitation.expires_at - datetime.timedelta(minutes=1)):
        assert accept(client, invitation).status_code == 302


def test_the_service_refuses_a_stale_copy_of_a_used_invitation(personas, invitation):
    stale = Invitation.objects.get(pk=invitation.pk)
    invitation_accept(invitation=invitation, full_name="Rosa", password=NEW_PASSWORD)
    with pytest.raises(InvitationUnusable) as refused:
        invitation_accept(invitation=stale, full_name="Rosa", password=NEW_PASSWORD)
    assert refused.value.status == Invitation.Status.ACCEPTED


def test_two_accepts_at_the_same_moment_make_one_member(transactional_db, personas):
    # Two tabs of the same signed-in person: no account to create, so nothing but the
    # invitation's own lock stands between the second accept and a second membership.
    invitation = InvitationFactory(district=personas.district, email="outsider@hillcrest.test")
    outcomes = []
    start = threading.Barrier(2)

    def take_it():
        try:
            copy = Invitation.objects.get(pk=invitation.pk)
            start.wait()
            invitation_accept(invitation=copy, user=personas.outsider)
            outcomes.append("accepted")
        except InvitationUnusable:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    assert (
        Membership.objects.filter(user=personas.outsider, district=personas.district).count() == 1
    )


# --- Someone who already has an account ----------------------------------------------------


def test_someone_with_an_account_is_asked_to_sign_in_first(client, personas):
    invitation = InvitationFactory(district=personas.district, email="outsider@hillcrest.test")
    response = client.get(url(invitation))
    assert response.status_code == 200
    login = reverse("accounts:login") + "?next=" + url(invitation).replace("/", "%2F")
    assert login in response.text
    assert 'name="password1"' not in response.text
    # Posting a password for an address that has an account makes nothing.
    response = client.post(
        url(invitation),
        {"full_name": "Mallory", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert not Membership.objects.filter(user=personas.outsider, district=personas.district)
    assert personas.outsider.check_password(PASSWORD)
    assert SESSION_KEY not in client.session


def test_signing_in_comes_back_to_the_invitation(client, personas):
    invitation = InvitationFactory(district=personas.district, email="outsider@hillcrest.test")
    response = client.post(
        reverse("accounts:login") + "?next=" + url(invitation),
        {"login": "outsider@hillcrest.test", "password": PASSWORD, "next": url(invitation)},
    )
    assert response.status_code == 302
    assert response["Location"] == url(invitation)


def test_a_signed_in_member_of_another_district_accepts_with_one_button(as_member, personas):
    invitation = InvitationFactory(
        district=personas.district, email="outsider@hillcrest.test", role=Role.BOARD
    )
    client = as_member(personas.outsider)
    page = client.get(url(invitation))
    assert "Accept the invitation" in page.text
    response = client.post(url(invitation))
    assert response["Location"] == reverse("dashboard:home", args=["lakeside"])
    assert Membership.objects.get(user=personas.outsider, district=personas.district).role == (
        Role.BOARD
    )
    # Their place in their own district is untouched.
    assert Membership.objects.get(
        user=personas.outsider, district=personas.other_district
    ).role == (Role.ADMIN)
    assert client.get(response["Location"]).status_code == 200


def test_someone_signed_in_as_another_address_is_told_so(as_member, personas, invitation):
    client = as_member(personas.outsider)
    response = client.get(url(invitation))
    assert "You are signed in as outsider@hillcrest.test" in response.text
    assert "rosa@lakeside.test" in response.text
    client.post(url(invitation))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user=personas.outsider, district=personas.district)


def test_an_address_that_became_a_member_meanwhile_is_refused_cleanly(as_member, personas):
    invitation = InvitationFactory(district=personas.district, email="cabinet@lakeside.test")
    response = as_member(personas.cabinet).post(url(invitation))
    assert response.status_code == 200
    assert "already a member of this district" in response.text
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_for_an_existing_user_keeps_their_password(personas):
    user = UserFactory(email="keep@lakeside.test")
    invitation = InvitationFactory(district=personas.district, email="keep@lakeside.test")
    invitation_accept(invitation=invitation, user=user)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
