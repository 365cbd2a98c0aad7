"""A district admin manages a member in Chromium: changes their role on the member page, then
deactivates them while they have the district open in another browser, whose next page load no
longer shows the district."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import AccessEvent, Membership
from core.roles import Role
from tests.e2e.conftest import SIZES, assert_accessible, sign_in, small_touch_targets

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _member_page(page, email):
    page.goto("/d/demo/people/")
    row = page.locator("tr", has_text=email)
    row.get_by_role("link").first.click()
    expect(page.locator("dl.facts")).to_contain_text(email)


def test_admin_changes_a_members_role_on_the_member_page(open_page, demo):
    page = open_page("phone")
    sign_in(page, "admin@demo.test")
    _member_page(page, "board@demo.test")
    expect(page.locator("dl.facts")).to_contain_text("Board")
    assert_accessible(page, "member-page", wcag=True)
    page.get_by_label("Role", exact=True).select_option(label="Cabinet")
    page.get_by_label("Title", exact=True).fill("Assistant Superintendent for Equity")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("board@demo.test was saved.")
    expect(page.locator("dl.facts")).to_contain_text("Assistant Superintendent for Equity")
    member = Membership.objects.get(district__slug="demo", user__email="board@demo.test")
    assert member.role == Role.CABINET
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.ROLE_CHANGED)
    assert event.detail == "Board → Cabinet"

    page.goto("/d/demo/people/log/")
    expect(page.locator("tbody")).to_contain_text("Board → Cabinet")
    assert_accessible(page, "access-log", wcag=True)


def test_a_deactivated_members_open_browser_loses_the_district_at_its_next_page(open_page, demo):
    theirs = open_page("laptop")
    sign_in(theirs, "visitor@demo.test")
    theirs.goto("/d/demo/actions/")
    expect(theirs.get_by_role("heading", level=1)).to_be_visible()
    assert theirs.url.endswith("/d/demo/actions/")

    admin = open_page("tablet-portrait")
    sign_in(admin, "admin@demo.test")
    _member_page(admin, "visitor@demo.test")
    admin.get_by_role("link", name="Deactivate").click()
    assert_accessible(admin, "member-deactivate", wcag=True)
    admin.get_by_role("button", name="Deactivate").click()
    expect(admin.get_by_role("status")).to_contain_text(
        "visitor@demo.test can no longer use this district."
    )
    # With open action items, the admin is offered to hand them over next.
    if "/actions/from/" in admin.url:
        assert_accessible(admin, "member-items-reassign", wcag=True)

    theirs.reload()
    expect(theirs.get_by_role("heading", name="Sign in")).to_be_visible()
    assert "/accounts/login/" in theirs.url
    theirs.goto("/d/demo/")
    assert "/accounts/login/" in theirs.url
    assert AccessEvent.objects.filter(
        kind=AccessEvent.Kind.DEACTIVATED, user__email="visitor@demo.test"
    ).exists()


def test_someone_signs_out_of_all_devices_from_their_account_page(open_page, demo):
    phone = open_page("phone")
    sign_in(phone, "cabinet@demo.test")
    laptop = open_page("laptop")
    sign_in(laptop, "cabinet@demo.test")
    laptop.get_by_role("link", name="Your account").click()
    expect(laptop.get_by_role("heading", name="Your account")).to_be_visible()
    assert_accessible(laptop, "your-account", wcag=True)
    laptop.get_by_role("link", name="Sign out of all devices").click()
    laptop.get_by_role("button", name="Sign out of all devices").click()
    expect(laptop.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(laptop.get_by_role("status")).to_contain_text("You were signed out on every device.")
    phone.goto("/d/demo/")
    assert "/accounts/login/" in phone.url


@pytest.mark.parametrize("size", list(SIZES))
def test_the_account_pages_pass_at_every_size(open_page, demo, size):
    page = open_page(size)
    sign_in(page, "cabinet@demo.test")
    expect(page).to_have_url(re.compile(r"/d/demo/$"))
    for name, path in (
        ("your-account", "/accounts/security/"),
        ("sign-out-everywhere", "/accounts/security/sign-out/"),
    ):
        page.goto(path)
        assert_accessible(page, f"{name}-{size}", wcag=True)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        if size != "laptop":
            assert small_touch_targets(page) == []
