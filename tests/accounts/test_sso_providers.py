"""Google Workspace and Microsoft Entra ID: allauth's own providers, given the app of the
district whose button was pressed. Only the start of the flow is checked here (it goes to
Google's and Microsoft's servers); the generic provider is tested end to end in test_sso.py."""

from urllib.parse import parse_qs, urlsplit

from accounts.adapters import SocialAccountAdapter, social_app
from accounts.models import IdentityProvider
from core.roles import Role
from tests.factories import MembershipFactory, UserFactory
from tests.oidc_mock import district_provider
from tests.personas import PASSWORD

LOGIN = "/accounts/login/"


def test_google_is_asked_for_the_districts_hosted_domain_with_pkce(client, personas):
    district_provider(
        personas.district,
        "",
        kind=IdentityProvider.Kind.GOOGLE,
        name="Google",
        client_id="1234.apps.googleusercontent.com",
        hosted_domain="lakeside.test",
    )
    page = client.post(LOGIN, {"login": "cabinet@lakeside.test"})
    assert 'action="/accounts/google/login/"' in page.text
    assert "form-action 'self' https://accounts.google.com" in page["Content-Security-Policy"]
    response = client.post("/accounts/google/login/", {"process": "login"})
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert target.netloc == "accounts.google.com"
    assert query["client_id"] == ["1234.apps.googleusercontent.com"]
    assert query["hd"] == ["lakeside.test"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://testserver/accounts/google/login/callback/"]


def test_microsoft_is_asked_for_the_districts_tenant_with_pkce(client, personas):
    district_provider(
        personas.district,
        "",
        kind=IdentityProvider.Kind.MICROSOFT,
        name="Microsoft",
        client_id="app-id",
        tenant="tenant-guid",
    )
    client.post(LOGIN, {"login": "cabinet@lakeside.test"})
    response = client.post("/accounts/microsoft/login/", {"process": "login"})
    target = urlsplit(response["Location"])
    assert target.netloc == "login.microsoftonline.com"
    assert target.path == "/tenant-guid/oauth2/v2.0/authorize"
    assert parse_qs(target.query)["code_challenge_method"] == ["S256"]


def test_microsoft_addresses_are_trusted_only_at_the_allowed_domains(personas):
    provider = district_provider(
        personas.district, "", kind=IdentityProvider.Kind.MICROSOFT, tenant="t"
    )
    app = social_app(provider)
    assert app.settings["verified_email"] == ["lakeside.test"]
    assert app.settings["tenant"] == "t"


def test_the_button_of_one_district_does_not_finish_with_another_districts_app(
    client, personas, rf
):
    district_provider(personas.district, "", kind=IdentityProvider.Kind.GOOGLE, client_id="a")
    district_provider(personas.other_district, "", kind=IdentityProvider.Kind.GOOGLE, client_id="b")
    client.post(LOGIN, {"login": "outsider@hillcrest.test"})
    response = client.post("/accounts/google/login/", {"process": "login"})
    assert parse_qs(urlsplit(response["Location"]).query)["client_id"] == ["b"]


def test_without_a_district_chosen_there_is_no_app(client, personas):
    district_provider(personas.district, "", kind=IdentityProvider.Kind.GOOGLE)
    response = client.post("/accounts/google/login/", {"process": "login"})
    assert response["Location"] == LOGIN
    assert "Single sign-on is not available" in client.get(LOGIN).text


def test_a_member_of_two_districts_is_offered_no_provider(client, personas):
    # No one district's provider may sign in an account that is in another district too.
    user = UserFactory(email="both@elsewhere.test")
    MembershipFactory(user=user, district=personas.district, role=Role.BOARD)
    MembershipFactory(user=user, district=personas.other_district, role=Role.BOARD)
    district_provider(
        personas.other_district,
        "https://id.example",
        name="Hillcrest ID",
        allowed_domains=["elsewhere.test"],
        require_sso=True,
    )
    page = client.post(LOGIN, {"login": "both@elsewhere.test"})
    assert "Sign in with Hillcrest ID" not in page.text
    assert (
        client.post(LOGIN, {"login": "both@elsewhere.test", "password": PASSWORD}).status_code
        == 302
    )


def test_a_member_of_one_district_is_offered_its_provider_whatever_the_domain(client, personas):
    user = UserFactory(email="consultant@elsewhere.test")
    MembershipFactory(user=user, district=personas.other_district, role=Role.BOARD)
    district_provider(
        personas.other_district, "https://id.example", name="Hillcrest ID", allowed_domains=[]
    )
    page = client.post(LOGIN, {"login": "consultant@elsewhere.test"})
    assert "Sign in with Hillcrest ID" in page.text


def test_the_adapter_lists_no_app_for_an_unknown_generic_provider(personas, rf):
    request = rf.get("/")
    request.session = {}
    assert SocialAccountAdapter(request).list_apps(request, provider="district-nowhere") == []
