"""Single sign-on in Chromium, against a real OpenID Connect provider on this machine
(oidc-provider-mock, tests/oidc_mock.py): the email step, the provider's own page, and back."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import IdentityProvider, Membership
from tests.e2e.conftest import SIZES, assert_accessible, small_touch_targets
from tests.oidc_mock import running_provider

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def provider_server():
    with running_provider() as server:
        yield server


@pytest.fixture
def demo_sso(demo, provider_server):
    # seed_demo points `demo` at the provider `make run` starts; here, at this test's.
    IdentityProvider.objects.filter(district__slug="demo").update(server_url=provider_server.url)
    return provider_server


def check(page, name, size):
    assert_accessible(page, f"{name}-{size}", wcag=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    if size != "laptop":
        assert small_touch_targets(page) == []


def start(page, email):
    # The provider's page pulls its stylesheet from a CDN; the test needs none of it.
    page.route(re.compile(r"^https://cdn\."), lambda route: route.abort())
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()


def at_the_provider_say_i_am(page, email):
    expect(page).to_have_url(re.compile(r"/oauth2/authorize\?"))
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_member_signs_in_through_the_districts_provider(open_page, demo_sso, size):
    demo_sso.set_user("cabinet@demo.test", name="Carmen Cabinet")
    page = open_page(size)
    start(page, "cabinet@demo.test")
    button = page.get_by_role("button", name="Sign in with Demo ID")
    expect(button).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    check(page, "login-sso", size)
    button.click()
    at_the_provider_say_i_am(page, "cabinet@demo.test")
    expect(page).to_have_url(re.compile(r"/d/demo/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo Valley Unified School District")


def test_an_address_outside_the_allowed_domains_is_turned_away(open_page, demo_sso):
    demo_sso.set_user("cabinet@elsewhere.test")
    page = open_page()
    start(page, "cabinet@demo.test")
    page.get_by_role("button", name="Sign in with Demo ID").click()
    at_the_provider_say_i_am(page, "cabinet@elsewhere.test")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "cabinet@elsewhere.test is not an address Demo Valley Unified School District signs in with."
    )
    assert_accessible(page, "login-sso-refused", wcag=True)


def test_a_deactivated_member_is_turned_away(open_page, demo_sso):
    Membership.objects.filter(user__email="board@demo.test").update(is_active=False)
    demo_sso.set_user("board@demo.test")
    page = open_page("phone")
    start(page, "board@demo.test")
    page.get_by_role("button", name="Sign in with Demo ID").click()
    at_the_provider_say_i_am(page, "board@demo.test")
    expect(page.get_by_role("status")).to_contain_text("was switched off by its admin")
    page.goto("/d/demo/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/d/demo/$"))


def test_a_forged_id_token_signs_no_one_in(open_page, demo_sso):
    demo_sso.set_user("cabinet@demo.test")
    demo_sso.sign_with_unpublished_key()
    page = open_page()
    start(page, "cabinet@demo.test")
    page.get_by_role("button", name="Sign in with Demo ID").click()
    at_the_provider_say_i_am(page, "cabinet@demo.test")
    expect(page.get_by_role("status")).to_contain_text("Single sign-on did not work")
    page.goto("/d/demo/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/d/demo/$"))


@pytest.mark.parametrize("size", list(SIZES))
def test_when_required_the_password_is_only_a_break_glass_for_site_admins(
    open_page, demo_sso, size
):
    IdentityProvider.objects.filter(district__slug="demo").update(require_sso=True)
    page = open_page(size)
    start(page, "cabinet@demo.test")
    expect(page.get_by_text("signs its members in through Demo ID")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_hidden()
    check(page, "login-sso-required", size)
    # A member who tries the password anyway is refused, and told what to do.
    page.get_by_text("Site administrator? Sign in with your password").click()
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text('use the "Sign in with Demo ID" button')
    # admin@demo.test is the demo's superuser: the break-glass password works.
    start(page, "admin@demo.test")
    page.get_by_text("Site administrator? Sign in with your password").click()
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/d/demo/$"))


@pytest.mark.parametrize("size", list(SIZES))
def test_the_admins_settings_page_passes_at_every_size(open_page, demo, size):
    from tests.e2e.conftest import sign_in

    page = open_page(size)
    sign_in(page, "admin@demo.test")
    page.goto("/d/demo/people/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on")
    expect(page.get_by_text("/accounts/oidc/district-demo/login/callback/")).to_be_visible()
    check(page, "sso-settings", size)


def test_an_invited_person_accepts_through_the_provider(open_page, demo_sso):
    from core.models import District
    from core.roles import Role
    from tests.factories import InvitationFactory

    invitation = InvitationFactory(
        district=District.objects.get(slug="demo"), email="nia@demo.test", role=Role.VISIT_TEAM
    )
    demo_sso.set_user("nia@demo.test", name="Nia Newcomer")
    page = open_page("phone")
    page.route(re.compile(r"^https://cdn\."), lambda route: route.abort())
    page.goto(f"/accounts/invitation/{invitation.token}/")
    check(page, "accept-invitation-sso", "phone")
    page.get_by_role("button", name="Accept with Demo ID").click()
    at_the_provider_say_i_am(page, "nia@demo.test")
    expect(page).to_have_url(re.compile(r"/d/demo/$"))
    membership = Membership.objects.get(user__email="nia@demo.test")
    assert (membership.district.slug, membership.role) == ("demo", Role.VISIT_TEAM)
