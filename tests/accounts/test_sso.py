"""Signing in through a district's identity provider, end to end over HTTP against a real
OpenID Connect provider (oidc-provider-mock, tests/oidc_mock.py): discovery, the authorization
code with PKCE, and the ID token's signature, audience, expiry and nonce; then who is let in."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from accounts.models import AccessEvent, Membership, User
from core.roles import Role
from tests.factories import InvitationFactory, MembershipFactory, UserFactory
from tests.oidc_mock import district_provider, now, running_provider
from tests.personas import PASSWORD

LOGIN = "/accounts/login/"
START = "/accounts/oidc/district-lakeside/login/"


@pytest.fixture
def provider_server():
    with running_provider() as server:
        yield server


@pytest.fixture
def sso(personas, provider_server):
    return district_provider(personas.district, provider_server.url)


def go_to_provider(client, email):
    """The email step, then the "Sign in with ..." button: where the browser is sent."""
    client.post(LOGIN, {"login": email})
    response = client.post(START, {"process": "login"})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sso_sign_in(client, server, email):
    """A whole sign-in through the provider, the person being `email` there. Returns our
    answer to the provider's redirect back."""
    authorize_url = go_to_provider(client, email)
    assert authorize_url.startswith(server.url + "/oauth2/authorize")
    back = urlsplit(server.authorize(authorize_url, email))
    assert back.path == "/accounts/oidc/district-lakeside/login/callback/"
    return client.get(f"{back.path}?{back.query}")


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refusal(client, response):
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert signed_in_as(client) is None
    return client.get(LOGIN).text


def test_a_member_signs_in_through_the_districts_provider(client, personas, sso, provider_server):
    provider_server.set_user("cabinet@lakeside.test", name="Cam Cabinet")
    response = sso_sign_in(client, provider_server, "cabinet@lakeside.test")
    assert signed_in_as(client) == personas.cabinet
    assert client.get(response["Location"], follow=True).request["PATH_INFO"] == "/d/lakeside/"
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.SIGNED_IN)
    assert (event.user, event.detail) == (personas.cabinet, "district-lakeside")
    # The next sign-in finds the account it was connected to.
    client.logout()
    sso_sign_in(client, provider_server, "cabinet@lakeside.test")
    assert signed_in_as(client) == personas.cabinet
    assert SocialAccount.objects.filter(user=personas.cabinet).count() == 1


def test_the_sign_in_uses_discovery_pkce_and_a_nonce(client, personas, sso, provider_server):
    provider_server.set_user("board@lakeside.test")
    sso_sign_in(client, provider_server, "board@lakeside.test")
    (asked,) = provider_server.authorize_requests[:1]
    assert asked["client_id"] == "lakeside-planning"
    assert asked["response_type"] == "code"
    assert set(asked["scope"].split()) >= {"openid", "email"}
    assert asked["code_challenge_method"] == "S256"
    assert len(asked["nonce"]) >= 32
    (token_request,) = provider_server.token_requests
    assert token_request["code_verifier"]
    assert signed_in_as(client) == personas.board


def test_without_pkce_the_provider_refuses_and_nobody_is_signed_in(
    client, personas, sso, provider_server, settings
):
    # The provider under test checks the code verifier: this is what it would do to a client
    # that sent none.
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "OAUTH_PKCE_ENABLED": False,
        },
    }
    provider_server.set_user("board@lakeside.test")
    page = refusal(client, sso_sign_in(client, provider_server, "board@lakeside.test"))
    assert "Single sign-on did not work" in page
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.SSO_REFUSED).exists()


def test_a_token_the_provider_signed_again_with_a_published_key_is_accepted(
    client, personas, sso, provider_server
):
    # The control for the refusals below: re-signing alone changes nothing.
    provider_server.set_user("board@lakeside.test")
    provider_server.resign()
    sso_sign_in(client, provider_server, "board@lakeside.test")
    assert signed_in_as(client) == personas.board


@pytest.mark.parametrize(
    "doctoring",
    [
        pytest.param(lambda server: server.sign_with_unpublished_key(), id="another-key"),
        pytest.param(lambda server: server.resign(aud="someone-else"), id="wrong-audience"),
        pytest.param(lambda server: server.resign(nonce="not-this-sign-in"), id="wrong-nonce"),
        pytest.param(lambda server: server.resign(iss="https://evil.example"), id="wrong-issuer"),
        pytest.param(lambda server: server.resign(exp=now() - 600, iat=now() - 4200), id="expired"),
    ],
)
def test_an_id_token_that_does_not_check_out_is_refused(
    client, personas, sso, provider_server, doctoring
):
    provider_server.set_user("board@lakeside.test")
    doctoring(provider_server)
    page = refusal(client, sso_sign_in(client, provider_server, "board@lakeside.test"))
    assert "Single sign-on did not work, so you are not signed in." in page
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.SSO_REFUSED)
    assert event.district == personas.district
    assert "Invalid ID token" in event.detail


def test_an_address_outside_the_allowed_domains_is_refused(client, personas, sso, provider_server):
    provider_server.set_user("board@elsewhere.test")
    page = refusal(client, sso_sign_in(client, provider_server, "board@elsewhere.test"))
    assert (
        "board@elsewhere.test is not an address Lakeside Unified School District signs in with"
        in page
    )
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.SSO_REFUSED)
    assert (event.email, event.detail) == (
        "board@elsewhere.test",
        "address outside the allowed domains",
    )
    assert not User.objects.filter(email="board@elsewhere.test").exists()


def test_an_address_the_provider_did_not_verify_is_refused(client, personas, sso, provider_server):
    provider_server.set_user("board@lakeside.test", verified=False)
    page = refusal(client, sso_sign_in(client, provider_server, "board@lakeside.test"))
    assert "Lakeside ID did not confirm your email address" in page


def test_a_deactivated_member_is_refused(client, personas, sso, provider_server):
    Membership.objects.filter(user=personas.board).update(is_active=False)
    provider_server.set_user("board@lakeside.test")
    page = refusal(client, sso_sign_in(client, provider_server, "board@lakeside.test"))
    assert "Your access to Lakeside Unified School District was switched off by its admin." in page
    assert AccessEvent.objects.get(kind=AccessEvent.Kind.SSO_REFUSED).detail == "deactivated member"


def test_someone_not_invited_gets_no_access(client, personas, sso, provider_server):
    provider_server.set_user("newcomer@lakeside.test")
    page = refusal(client, sso_sign_in(client, provider_server, "newcomer@lakeside.test"))
    assert "You have no access to Lakeside Unified School District yet." in page
    assert not User.objects.filter(email="newcomer@lakeside.test").exists()


def test_someone_invited_is_let_in_with_the_invited_role(client, personas, sso, provider_server):
    InvitationFactory(
        district=personas.district, email="newcomer@lakeside.test", role=Role.VISIT_TEAM
    )
    provider_server.set_user("newcomer@lakeside.test", name="Nia Newcomer")
    sso_sign_in(client, provider_server, "newcomer@lakeside.test")
    user = signed_in_as(client)
    assert user.email == "newcomer@lakeside.test"
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.district, membership.role) == (personas.district, Role.VISIT_TEAM)
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.INVITATION_ACCEPTED, user=user).exists()


def test_with_a_default_role_someone_not_invited_joins_read_only(client, personas, provider_server):
    district_provider(personas.district, provider_server.url, default_role=Role.BOARD)
    provider_server.set_user("newcomer@lakeside.test")
    sso_sign_in(client, provider_server, "newcomer@lakeside.test")
    user = signed_in_as(client)
    assert Membership.objects.get(user=user).role == Role.BOARD


def test_a_member_of_another_district_is_not_let_into_this_one(
    client, personas, sso, provider_server
):
    other = UserFactory(email="dual@lakeside.test")
    MembershipFactory(user=other, district=personas.other_district)
    provider_server.set_user("dual@lakeside.test")
    refusal(client, sso_sign_in(client, provider_server, "dual@lakeside.test"))


def test_the_email_step_offers_the_districts_provider(client, personas, sso):
    first = client.get(LOGIN)
    assert "Continue" in first.text
    assert 'name="password"' not in first.text
    page = client.post(LOGIN, {"login": "Cabinet@Lakeside.test"})
    assert "Sign in with Lakeside ID" in page.text
    assert f'action="{START}"' in page.text
    assert 'name="password"' in page.text
    other = client.post(LOGIN, {"login": "outsider@hillcrest.test"})
    assert "Sign in with" not in other.text
    assert 'name="password"' in other.text


def test_an_address_of_an_allowed_domain_is_offered_the_provider(client, personas, sso):
    page = client.post(LOGIN, {"login": "someone-new@lakeside.test"})
    assert "Sign in with Lakeside ID" in page.text


def test_a_bad_email_stays_on_the_first_step(client, personas, sso):
    page = client.post(LOGIN, {"login": "not an address"})
    assert "Enter an email address" in page.text
    assert 'name="password"' not in page.text


def test_a_disabled_provider_is_not_offered(client, personas, sso):
    sso.enabled = False
    sso.save()
    page = client.post(LOGIN, {"login": "cabinet@lakeside.test"})
    assert "Sign in with" not in page.text
    assert client.post(START, {"process": "login"})["Location"] == LOGIN


def test_when_the_district_requires_it_members_cannot_use_a_password(client, personas, sso):
    sso.require_sso = True
    sso.save()
    page = client.post(LOGIN, {"login": "cabinet@lakeside.test"})
    assert "signs its members in through Lakeside ID" in page.text
    assert "Site administrator? Sign in with your password" in page.text
    response = client.post(LOGIN, {"login": "cabinet@lakeside.test", "password": PASSWORD})
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert "use the &quot;Sign in with Lakeside ID&quot; button" in response.text
    assert AccessEvent.objects.filter(
        kind=AccessEvent.Kind.SIGN_IN_FAILED, detail__contains="single sign-on required"
    ).exists()
    # A member of another district without that rule still signs in with a password.
    assert (
        client.post(LOGIN, {"login": "outsider@hillcrest.test", "password": PASSWORD}).status_code
        == 302
    )


def test_a_superuser_keeps_a_break_glass_password(client, personas, sso):
    sso.require_sso = True
    sso.save()
    root = UserFactory(email="root@lakeside.test", is_superuser=True, is_staff=True)
    MembershipFactory(user=root, district=personas.district, role=Role.ADMIN)
    response = client.post(LOGIN, {"login": "root@lakeside.test", "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_as(client) == root


def test_password_reset_does_not_help_a_member_who_must_use_sso(client, personas, sso):
    sso.require_sso = True
    sso.save()
    answer = client.post("/accounts/password/reset/", {"email": "cabinet@lakeside.test"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@lakeside.test"})
    assert answer.status_code == unknown.status_code == 302
    assert answer["Location"] == unknown["Location"]
    assert not [m for m in mail.outbox if "cabinet@lakeside.test" in m.to]


def test_the_invitation_page_offers_to_accept_with_the_provider(
    client, personas, sso, provider_server
):
    invitation = InvitationFactory(district=personas.district, email="newcomer@lakeside.test")
    page = client.get(f"/accounts/invitation/{invitation.token}/")
    assert "Accept with Lakeside ID" in page.text
    start = parse_qs(urlsplit(go_to_provider_from(client, page.text)).query)
    assert start["client_id"] == ["lakeside-planning"]


def go_to_provider_from(client, html):
    response = client.post(START, {"process": "login", "next": "/d/lakeside/"})
    assert response.status_code == 302
    return response["Location"]


def test_a_site_administrator_is_not_signed_in_by_a_districts_provider(
    client, personas, sso, provider_server
):
    # The district's admin chooses the provider: it must not be a way to the whole site.
    root = UserFactory(email="root@lakeside.test", is_superuser=True, is_staff=True)
    MembershipFactory(user=root, district=personas.district, role=Role.ADMIN)
    provider_server.set_user("root@lakeside.test")
    page = refusal(client, sso_sign_in(client, provider_server, "root@lakeside.test"))
    assert "Site administrators sign in with their password" in page
    assert not SocialAccount.objects.exists()


def test_a_member_of_another_district_too_is_not_signed_in_by_this_ones_provider(
    client, personas, sso, provider_server
):
    # Else this district's provider would open the other district's pages.
    MembershipFactory(user=personas.cabinet, district=personas.other_district)
    provider_server.set_user("cabinet@lakeside.test")
    page = refusal(client, sso_sign_in(client, provider_server, "cabinet@lakeside.test"))
    assert "member of other districts too" in page


def test_an_invitation_does_not_hand_another_districts_member_to_this_provider(
    client, personas, sso, provider_server
):
    InvitationFactory(district=personas.district, email="outsider@hillcrest.test")
    sso.allowed_domains = ["lakeside.test", "hillcrest.test"]
    sso.save()
    provider_server.set_user("outsider@hillcrest.test")
    refusal(client, sso_sign_in(client, provider_server, "outsider@hillcrest.test"))
    assert not Membership.objects.filter(
        user=personas.outsider, district=personas.district
    ).exists()
