"""The admin's single sign-on page: the district's identity provider, its write-only secret."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.models import AccessEvent, IdentityProvider
from accounts.secrets import SecretUnreadable, decrypt, encrypt
from core.roles import Role
from tests.oidc_mock import district_provider

URL = "/d/lakeside/people/sign-in/"
SECRET = "GOCSPX-very-secret-value-4321"


def google(**overrides):
    return {
        "kind": "google",
        "name": "Google",
        "client_id": "1234.apps.googleusercontent.com",
        "client_secret": SECRET,
        "hosted_domain": "Lakeside.test",
        "allowed_domains": "lakeside.test, staff.lakeside.test",
        "default_role": "",
        "enabled": "on",
    } | overrides


def test_an_admin_sets_up_google_workspace(as_member, personas):
    client = as_member(personas.admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert "http://testserver/accounts/google/login/callback/" in page.text
    assert "http://testserver/accounts/microsoft/login/callback/" in page.text
    assert "http://testserver/accounts/oidc/district-lakeside/login/callback/" in page.text
    response = client.post(URL, google())
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(district=personas.district)
    assert (provider.kind, provider.hosted_domain) == ("google", "lakeside.test")
    assert provider.allowed_domains == ["lakeside.test", "staff.lakeside.test"]
    assert provider.client_secret == SECRET
    assert SECRET not in provider.client_secret_encrypted
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.SSO_CHANGED)
    assert (event.district, event.actor) == (personas.district, personas.admin)
    assert SECRET not in event.detail


def test_the_secret_is_never_shown_back_and_an_empty_field_keeps_it(as_member, personas):
    client = as_member(personas.admin)
    client.post(URL, google())
    page = client.get(URL)
    assert SECRET not in page.text
    assert SECRET[:-4] not in page.text
    assert "The stored secret ends in 4321." in page.text
    assert "A secret is stored." in page.text
    client.post(URL, google(client_secret="", name="Google Workspace"))
    provider = IdentityProvider.objects.get(district=personas.district)
    assert (provider.name, provider.client_secret) == ("Google Workspace", SECRET)
    client.post(URL, google(client_secret="another-secret-value-9999"))
    provider.refresh_from_db()
    assert provider.client_secret == "another-secret-value-9999"


def test_a_short_secret_shows_no_hint(as_member, personas):
    as_member(personas.admin).post(URL, google(client_secret="short-1"))
    assert IdentityProvider.objects.get().client_secret_hint == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"client_secret": ""}, "Enter the client secret."),
        ({"allowed_domains": "not a domain!"}, "is not a domain"),
        ({"allowed_domains": "someone@lakeside.test"}, "is not a domain"),
        ({"allowed_domains": ""}, "This field is required."),
        ({"kind": "openid_connect", "server_url": ""}, "Enter the provider&#x27;s issuer URL."),
        ({"kind": "microsoft", "tenant": ""}, "Enter the district&#x27;s tenant ID."),
        ({"kind": "saml"}, "Select a valid choice."),
        ({"default_role": Role.ADMIN}, "Select a valid choice."),
    ],
)
def test_bad_settings_are_refused_beside_the_field(as_member, personas, changes, message):
    response = as_member(personas.admin).post(URL, google(**changes))
    assert response.status_code == 200
    assert message in response.text
    assert not IdentityProvider.objects.exists()


def test_only_the_fields_of_the_chosen_provider_are_kept(as_member, personas):
    as_member(personas.admin).post(
        URL, google(kind="microsoft", tenant="abcd-1234", server_url="https://x.example")
    )
    provider = IdentityProvider.objects.get()
    assert (provider.tenant, provider.server_url, provider.hosted_domain) == ("abcd-1234", "", "")


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_other_roles_may_not_open_it(as_member, personas, role):
    user = personas.by_role()[role]
    assert as_member(user).get(URL).status_code == 403
    assert as_member(user).post(URL, google()).status_code == 403
    assert not IdentityProvider.objects.exists()


def test_an_admin_of_another_district_gets_404(as_member, personas):
    assert as_member(personas.outsider).get(URL).status_code == 404
    assert as_member(personas.outsider).post(URL, google()).status_code == 404


def test_the_people_page_links_to_it(as_member, personas):
    assert URL in as_member(personas.admin).get("/d/lakeside/people/").text


def test_secrets_round_trip_and_another_key_cannot_read_them(settings):
    token = encrypt("s3cret")
    assert token != "s3cret"
    assert decrypt(token) == "s3cret"
    settings.SSO_SECRET_KEY = "m5rXGzqQ1c3vHgqk7S0L0m0r6YbE7y5aZx2W1bQvC8o="
    with pytest.raises(SecretUnreadable):
        decrypt(token)


def test_a_provider_whose_secret_cannot_be_read_offers_no_secret(personas, settings):
    from accounts.adapters import social_app

    provider = district_provider(personas.district, "https://id.example")
    settings.SSO_SECRET_KEY = "m5rXGzqQ1c3vHgqk7S0L0m0r6YbE7y5aZx2W1bQvC8o="
    assert social_app(provider).secret == ""


@pytest.mark.parametrize("value", ["too-short", "!" * 44])
def test_a_bad_sso_secret_key_stops_the_site(monkeypatch, settings, value):
    import runpy
    from pathlib import Path

    monkeypatch.setenv("SSO_SECRET_KEY", value)
    with pytest.raises(ImproperlyConfigured, match="SSO_SECRET_KEY"):
        runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings.py"))
