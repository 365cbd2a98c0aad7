import runpy
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.helpers import query_budget
from tests.personas import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password, **extra})


def test_sign_in_with_email_and_password_lands_on_the_district(client, personas):
    response = sign_in(client, "cabinet@lakeside.test")
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.request["PATH_INFO"] == "/d/lakeside/"


def test_email_capitalisation_does_not_matter(client, personas):
    response = sign_in(client, "  Cabinet@Lakeside.TEST ")
    assert response.status_code == 302


def test_wrong_password_says_so_clearly(client, personas):
    response = sign_in(client, "cabinet@lakeside.test", "not-the-password")
    assert response.status_code == 200
    assert "That email address and password do not match an account." in response.text


def test_sign_in_returns_to_the_page_asked_for(client, personas):
    response = sign_in(client, "board@lakeside.test", next="/d/lakeside/campuses/")
    assert response["Location"] == "/d/lakeside/campuses/"


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example/"])
def test_sign_in_never_sends_anyone_to_another_site(client, personas, target):
    page = client.get(LOGIN, {"next": target})
    assert f'name="next" value="{target}"' not in page.text
    response = sign_in(client, "board@lakeside.test", next=target)
    assert response["Location"] == reverse("accounts:pick_district")


def test_the_lockout_page_keeps_where_the_person_was_going(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "cabinet@lakeside.test", "wrong", next="/d/lakeside/plan/")
    assert response.status_code == 429
    assert 'name="next" value="/d/lakeside/plan/"' in response.text
    response = sign_in(client, "cabinet@lakeside.test", "wrong", next="https://evil.example")
    assert 'name="next" value="https://evil.example"' not in response.text


def test_repeated_failures_lock_the_email_out_with_a_clear_message(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "cabinet@lakeside.test", "wrong").status_code == 200
    response = sign_in(client, "cabinet@lakeside.test", "wrong")
    assert response.status_code == 429
    assert "Sign-in is locked for this email address." in response.text
    assert "Try again in 15 minutes" in response.text
    # Even the right password is refused while locked out.
    response = sign_in(client, "cabinet@lakeside.test")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_cannot_be_dodged_by_capitalisation(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "cabinet@lakeside.test", "wrong")
    assert sign_in(client, "CABINET@lakeside.test").status_code == 429


def test_lockout_is_per_email(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "cabinet@lakeside.test", "wrong")
    assert sign_in(client, "board@lakeside.test").status_code == 302


def settings_from_environment(monkeypatch, settings, **env):
    """Apply what config/settings.py makes of these environment variables to the client
    settings, so the test checks the shipped configuration rather than a copy of it."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    computed = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings.py"))
    for name, value in computed.items():
        if name.startswith(("AXES_IPWARE_", "IPWARE_")):
            setattr(settings, name, value)


def behind_proxy(client_address):
    # The load balancer connects from its own address and appends the one it saw.
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": client_address}


def test_behind_a_load_balancer_the_lockout_is_per_client(client, personas, settings, monkeypatch):
    settings_from_environment(monkeypatch, settings, TRUSTED_PROXY_COUNT="1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"login": "cabinet@lakeside.test", "password": "wrong"},
            **behind_proxy("198.51.100.7"),
        )
    locked = client.post(
        LOGIN,
        {"login": "cabinet@lakeside.test", "password": PASSWORD},
        **behind_proxy("198.51.100.7"),
    )
    assert locked.status_code == 429
    other = client.post(
        LOGIN,
        {"login": "cabinet@lakeside.test", "password": PASSWORD},
        **behind_proxy("203.0.113.20"),
    )
    assert other.status_code == 302


def test_behind_a_load_balancer_a_forged_forwarded_for_does_not_dodge_the_lockout(
    client, personas, settings, monkeypatch
):
    settings_from_environment(monkeypatch, settings, TRUSTED_PROXY_COUNT="1")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"login": "cabinet@lakeside.test", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 198.51.100.7",
        )
    response = client.post(
        LOGIN,
        {"login": "cabinet@lakeside.test", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7",
    )
    assert response.status_code == 429


def test_without_a_proxy_forwarded_for_is_not_trusted(client, personas, settings, monkeypatch):
    settings_from_environment(monkeypatch, settings, TRUSTED_PROXY_COUNT="0")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"login": "cabinet@lakeside.test", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )
    response = client.post(
        LOGIN,
        {"login": "cabinet@lakeside.test", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


def test_success_clears_earlier_failures(client, personas):
    sign_in(client, "cabinet@lakeside.test", "wrong")
    sign_in(client, "cabinet@lakeside.test")
    assert not AccessAttempt.objects.filter(username="cabinet@lakeside.test").exists()


def test_sign_out_needs_a_post_and_ends_the_session(client, personas):
    client.force_login(personas.cabinet)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/d/lakeside/").status_code == 302


def test_password_change(client, personas):
    client.force_login(personas.cabinet)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase-2027",
            "new_password2": "a-much-longer-passphrase-2027",
        },
    )
    assert response.status_code == 302
    personas.cabinet.refresh_from_db()
    assert personas.cabinet.check_password("a-much-longer-passphrase-2027")


def test_password_change_explains_a_weak_password(client, personas):
    client.force_login(personas.cabinet)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert "This password is too short." in response.text


@pytest.mark.parametrize("url", ["/accounts/password/", "/accounts/districts/", "/"])
def test_account_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_user_with_several_districts_picks_one(client, personas):
    MembershipFactory(user=personas.cabinet, district=personas.other_district, role="board")
    client.force_login(personas.cabinet)
    response = client.get(reverse("accounts:pick_district"))
    assert response.status_code == 200
    assert 'href="/d/lakeside/"' in response.text
    assert 'href="/d/hillcrest/"' in response.text


def test_a_user_with_one_district_goes_straight_there(client, personas):
    client.force_login(personas.board)
    response = client.get(reverse("accounts:pick_district"))
    assert response["Location"] == "/d/lakeside/"


def test_a_user_with_no_district_is_told_so(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:pick_district"))
    assert "not a member of any district yet" in response.text


def test_district_picker_query_budget(client, personas):
    MembershipFactory(user=personas.cabinet, district=personas.other_district, role="board")
    client.force_login(personas.cabinet)
    with query_budget(4):
        client.get(reverse("accounts:pick_district"))
