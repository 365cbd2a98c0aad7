import os
from contextlib import nullcontext

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.celery_worker import Worker
from tests.helpers import travel_to
from tests.personas import load_personas, make_personas


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


# Hashing strength is not under test; a fast hasher keeps seeding and sign-in quick.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The personas are built once, with the test database; each test that asks for them reads
    them back inside its own transaction (see `personas`)."""
    moment = os.environ.get("TEST_NOW")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        travel_to(moment) if moment else nullcontext(),
    ):
        make_personas()


@pytest.fixture(autouse=True)
def _transactional_tests_start_empty(request, django_db_blocker):
    """Browser and worker tests commit what they write and the database is emptied after each;
    the first of them starts empty too, without the shared personas, like every later one."""
    marker = request.node.get_closest_marker("django_db")
    committing = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not committing:
        return
    with django_db_blocker.unblock():
        if load_personas() is not None:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def personas(db):
    # Built for this test when a browser test has emptied the database since the session began.
    return load_personas() or make_personas()


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
