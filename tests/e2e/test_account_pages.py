"""The sign-in pages allauth serves (password reset, two-step sign-in) in a real browser, at a
phone, a tablet and a laptop size, and a whole two-step sign-in done the way a person does it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import SIZES, assert_accessible, sign_in, small_touch_targets
from tests.totp import current_code

PASSWORD = "demo-pass-2026"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def check(page, name, size):
    assert_accessible(page, f"{name}-{size}", wcag=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    if size != "laptop":
        assert small_touch_targets(page) == []


@pytest.mark.parametrize("size", list(SIZES))
def test_password_reset_pages_pass_at_every_size(open_page, demo, size):
    page = open_page(size)
    page.goto("/accounts/login/")
    check(page, "login", size)
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/$"))
    check(page, "password-reset", size)
    page.get_by_label("Email").fill("cabinet@demo.test")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    check(page, "password-reset-sent", size)


@pytest.mark.parametrize("size", list(SIZES))
def test_setting_up_two_step_sign_in_and_signing_in_with_it(open_page, demo, size):
    page = open_page(size)
    sign_in(page, "cabinet@demo.test")
    expect(page).to_have_url(re.compile(r"/d/demo/$"))
    page.goto("/accounts/2fa/")
    check(page, "mfa-index", size)
    page.goto("/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a second factor is added.
    check(page, "reauthenticate", size)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    check(page, "mfa-activate", size)
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    check(page, "mfa-recovery-codes", size)
    assert any("cabinet@demo.test" in m.to for m in mail.outbox)

    page.context.clear_cookies()
    sign_in(page, "cabinet@demo.test")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    check(page, "mfa-authenticate", size)
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/d/demo/$"))
