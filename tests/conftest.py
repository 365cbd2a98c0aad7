import os

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.celery_worker import Worker
from tests.helpers import travel_to
from tests.personas import make_personas


@pytest.fixture(autouse=True)
def _test_now(request):
    """TEST_NOW runs the suite as if it were that moment in the district's zone: `make test`
    runs the date-sensitive modules again at a few fixed moments, so no test depends on the day
    it runs. Browser tests keep the real clock: Chromium and the worker live in other processes;
    so do tests that compare the app's clock with PostgreSQL's, which time-machine cannot move."""
    moment = os.environ.get("TEST_NOW")
    if not moment or any(request.node.get_closest_marker(m) for m in ("e2e", "db_clock")):
        yield
        return
    with travel_to(moment):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits (password reset) count in the cache; one test's requests must not count
    # against the next.
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing strength is not under test; a fast hasher keeps seeding and sign-in quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _language_of_the_test():
    # A request in Spanish leaves Spanish active in the thread (LocaleMiddleware never
    # deactivates); the next test must not inherit it.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # Files the tests write (reports) go to a folder of their own.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.fixture
def as_member(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def worker(media, tmp_path):
    """A Celery worker process on the test database and Redis, started by the test."""
    from config.celery import app

    app.control.purge()
    started = Worker(media, tmp_path / "worker.log")
    yield started
    started.stop()
