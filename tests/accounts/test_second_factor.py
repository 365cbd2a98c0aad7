"""Two-step sign-in with an authenticator app, and a district that requires it of its admins."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse

from accounts.models import AccessEvent
from tests.personas import PASSWORD
from tests.totp import current_code

HOME = "/d/lakeside/"
POLICY = "/d/lakeside/people/second-factor/"
ACTIVATE = "/accounts/2fa/totp/activate/"


def password_confirmed(client, user):
    """Signed in, with the password typed again just now: allauth asks for it before a second
    factor is added or removed."""
    client.force_login(user)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    return client


def require_for_admins(district):
    district.require_mfa_for_admins = True
    district.save()


def test_an_admin_without_a_second_factor_is_sent_to_set_one_up(client, personas):
    require_for_admins(personas.district)
    client.force_login(personas.admin)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE
    page = client.get(ACTIVATE, follow=True)
    assert "asks its admins to sign in with a second factor" in page.text


def test_other_roles_are_not_asked(as_member, personas):
    require_for_admins(personas.district)
    assert as_member(personas.cabinet).get(HOME).status_code == 200


def test_an_admin_with_an_authenticator_app_goes_on(as_member, personas):
    require_for_admins(personas.district)
    TOTP.activate(personas.admin, generate_totp_secret())
    assert as_member(personas.admin).get(HOME).status_code == 200


def test_the_rule_is_per_district(as_member, personas):
    require_for_admins(personas.other_district)
    assert as_member(personas.admin).get(HOME).status_code == 200


# allauth tells the person by email once the new authenticator is committed, while the request
# is still being answered; only a real commit shows that.
@pytest.mark.django_db(transaction=True)
def test_activating_shows_the_qr_code_inline_and_records_it(client, personas):
    password_confirmed(client, personas.cabinet)
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    # Drawn inline: the content security policy allows no data: images.
    assert "<svg" in page.text
    assert "data:image" not in page.text
    secret = page.context["form"].secret
    response = client.post(ACTIVATE, {"code": current_code(secret)})
    assert response.status_code == 302
    assert AccessEvent.objects.filter(
        kind=AccessEvent.Kind.MFA_CHANGED, user=personas.cabinet
    ).exists()
    assert any("cabinet@lakeside.test" in m.to for m in mail.outbox)


def test_signing_in_asks_for_the_code_after_the_password(client, personas):
    secret = generate_totp_secret()
    TOTP.activate(personas.cabinet, secret)
    response = client.post(
        "/accounts/login/", {"login": "cabinet@lakeside.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session
    wrong = client.post(response["Location"], {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post(response["Location"], {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.cabinet.pk)


def test_an_admin_switches_the_rule_on_and_it_is_logged(as_member, personas):
    response = as_member(personas.admin).post(POLICY, {"required": "on"})
    assert response.status_code == 302
    personas.district.refresh_from_db()
    assert personas.district.require_mfa_for_admins
    event = AccessEvent.objects.get(district=personas.district, kind=AccessEvent.Kind.SSO_CHANGED)
    assert event.actor == personas.admin


@pytest.mark.parametrize("role", ["cabinet", "board", "campus_leader"])
def test_only_admins_set_the_rule(as_member, personas, role):
    response = as_member(getattr(personas, role)).post(POLICY, {"required": "on"})
    assert response.status_code == 403
    personas.district.refresh_from_db()
    assert not personas.district.require_mfa_for_admins


def test_an_outsider_gets_404(as_member, personas):
    assert as_member(personas.outsider).get(POLICY).status_code == 404


def test_the_policy_page_is_linked_from_people(as_member, personas):
    page = as_member(personas.admin).get(reverse("people:index", args=["lakeside"]))
    assert f'href="{POLICY}"' in page.text


def test_the_authenticator_key_is_stored_encrypted_and_still_checks_codes(client, personas):
    secret = generate_totp_secret()
    TOTP.activate(personas.cabinet, secret)
    stored = Authenticator.objects.get(user=personas.cabinet, type=Authenticator.Type.TOTP)
    assert secret not in str(stored.data)
    response = client.post(
        "/accounts/login/", {"login": personas.cabinet.email, "password": PASSWORD}
    )
    client.post(response["Location"], {"code": current_code(secret)})
    assert client.session["_auth_user_id"] == str(personas.cabinet.pk)
