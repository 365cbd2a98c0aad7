import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import SIZES, assert_accessible, sign_in, small_touch_targets

DEMO_ROLES = {
    "admin@demo.test": "District admin",
    "cabinet@demo.test": "Cabinet",
    "visitor@demo.test": "Visit team",
    "principal@demo.test": "Campus leader",
    "dept@demo.test": "Department lead",
    "board@demo.test": "Board",
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("email", list(DEMO_ROLES))
def test_each_demo_role_signs_in_and_sees_the_district_home(open_page, demo, email, size):
    page = open_page(size)
    sign_in(page, email)
    expect(page).to_have_url(re.compile(r"/d/demo/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo Valley Unified School District")
    if size == "phone":
        # On a phone the links wait behind the header's menu.
        page.get_by_role("button", name="Menu").click()
    expect(page.locator(".who")).to_contain_text(DEMO_ROLES[email])
    nav = page.get_by_role("navigation", name="District")
    for label in ("Plan", "Theories of action", "Discovery", "Visits", "Action items", "Reports"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    assert_accessible(page, f"home-{email}-{size}")
    if size != "laptop":
        assert small_touch_targets(page) == []


def test_sign_in_page_is_accessible_and_touch_friendly(open_page, demo):
    page = open_page("tablet-portrait")
    page.goto("/accounts/login/")
    assert_accessible(page, "login")
    assert small_touch_targets(page) == []


def test_wrong_password_shows_a_clear_message(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test", "not-my-password")
    expect(page.get_by_role("alert")).to_contain_text(
        "That email address and password do not match an account."
    )
    expect(page.get_by_label("Email address")).to_have_value("cabinet@demo.test")
    assert_accessible(page, "login-error")


def test_repeated_wrong_passwords_lock_the_account_out(open_page, demo):
    page = open_page()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, "cabinet@demo.test", "guess")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Sign-in is locked for this email address.")
    sign_in(page, "cabinet@demo.test")
    expect(page.get_by_role("alert")).to_contain_text("Sign-in is locked")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    assert_accessible(page, "lockout")


def test_other_district_is_not_found_and_sign_out_works(open_page, demo):
    page = open_page()
    sign_in(page, "other@demo.test")
    expect(page).to_have_url(re.compile(r"/d/other/$"))
    response = page.goto("/d/demo/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.goto("/d/other/")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/d/other/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/d/other/$"))
