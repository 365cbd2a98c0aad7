"""Sessions are read from the shared cache (core.sessions, with CACHE_URL), so a signed-in
request costs no session query, and still end everywhere when they should."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from accounts.services import membership_access_set, user_sessions_end
from core.sessions import SessionStore
from tests.personas import PASSWORD

HOME = reverse("dashboard:home", args=["lakeside"])
SIGN_IN = reverse("accounts:login")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def cached(client):
    return cache.get(SessionStore.cache_key_prefix + client.session.session_key)


def session_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


def test_the_tests_run_with_sessions_in_the_shared_cache():
    # make test sets CACHE_URL, as production does; the rest of this module relies on it.
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_signed_in_page_reads_its_session_from_the_cache_not_the_database(personas):
    browser = signed_in(personas.cabinet)
    assert cached(browser)["_auth_user_id"] == str(personas.cabinet.pk)
    assert session_queries(browser, HOME) == []


def test_a_session_the_cache_lost_is_read_back_from_the_database_and_cached_again(personas):
    browser = signed_in(personas.cabinet)
    cache.clear()
    assert len(session_queries(browser, HOME)) == 1
    assert cached(browser)["_auth_user_id"] == str(personas.cabinet.pk)
    assert session_queries(browser, HOME) == []


def test_signing_out_everywhere_refuses_sessions_the_cache_still_holds(personas):
    phone = signed_in(personas.cabinet)
    assert cached(phone)
    user_sessions_end(user=personas.cabinet, by=personas.cabinet)
    response = phone.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_a_deactivated_member_is_refused_though_their_session_is_cached(personas):
    tablet = signed_in(personas.cabinet)
    assert tablet.get(HOME).status_code == 200
    membership = Membership.objects.get(user=personas.cabinet, district=personas.district)
    membership_access_set(membership=membership, active=False, by=personas.admin)
    response = tablet.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_signing_out_removes_the_session_from_the_cache_and_the_database(personas):
    browser = Client()
    response = browser.post(SIGN_IN, {"login": personas.cabinet.email, "password": PASSWORD})
    assert response.status_code == 302
    key = browser.session.session_key
    assert cache.get(SessionStore.cache_key_prefix + key)
    browser.post(reverse("account_logout"))
    assert cache.get(SessionStore.cache_key_prefix + key) is None
    assert not Session.objects.filter(session_key=key).exists()
    assert browser.get(HOME).status_code == 302


@pytest.fixture
def cache_down(settings):
    # Nothing listens on port 1: every cache call fails as it does while Redis restarts.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }


def test_with_the_cache_down_sessions_are_kept_in_the_database(personas, cache_down):
    account = reverse("accounts:security")
    browser = Client()
    response = browser.post(SIGN_IN, {"login": personas.cabinet.email, "password": PASSWORD})
    assert response.status_code == 302
    assert browser.get(account).status_code == 200
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()
    browser.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert browser.get(account).status_code == 302
