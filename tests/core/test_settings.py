"""The production configuration, checked the way an operator would: in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a" * 20 + "production-secret-key-that-is-long-and-random-0123456789",
    "ALLOWED_HOSTS": "planning.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/district",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
    "CACHE_URL": "redis://127.0.0.1:6379/15",
}


def production_environ():
    # Browser tests allow sync ORM calls beside Playwright's loop; a deployment never does.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**production_environ(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50 characters"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name"),
        ({"DATABASE_URL": "nonsense://"}, "DATABASE_URL is not a database URL"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL must be a redis:// URL"),
        ({"AXES_FAILURE_LIMIT": "five"}, "AXES_FAILURE_LIMIT must be a whole number"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0 or more"),
        ({"INVITATION_DAYS": "two weeks"}, "INVITATION_DAYS must be a whole number"),
        ({"INVITATION_DAYS": "0"}, "INVITATION_DAYS must be 1 or more"),
        ({"CONN_MAX_AGE": "-5"}, "CONN_MAX_AGE must be 0 or more"),
        ({"DB_POOL_SIZE": "four"}, "DB_POOL_SIZE must be a whole number"),
        ({"DB_POOL_SIZE": "-1"}, "DB_POOL_SIZE must be 0 or more"),
        ({"DB_POOL_SIZE": "4", "CONN_MAX_AGE": "60"}, "CONN_MAX_AGE must be 0 or unset"),
        ({"DB_POOL_SIZE": "4", "DB_POOL_MIN_SIZE": "8"}, "DB_POOL_MIN_SIZE must not be more"),
        ({"DB_POOL_SIZE": "4", "DB_POOL_TIMEOUT": "0"}, "DB_POOL_TIMEOUT must be 1 or more"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(env, message):
    result = manage("check", **{**PRODUCTION, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_check_deploy_warns_when_each_process_would_keep_its_own_cache():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "CACHE_URL": ""}
    )
    assert result.returncode != 0
    assert "core.W001" in result.stderr
    assert "CACHE_URL" in result.stderr


def shell(code, **env):
    result = manage("shell", "--no-imports", "-c", code, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sessions_are_read_from_the_cache_only_when_every_process_shares_it():
    engine = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    assert shell(engine) == "core.sessions"
    assert shell(engine, CACHE_URL="") == "django.contrib.sessions.backends.db"


def test_the_connection_pool_is_sized_by_the_environment_and_lends_connections(db):
    from django.db import connection

    test_database = connection.settings_dict
    lend = (
        "from django.db import connection; from django.conf import settings; "
        "connection.ensure_connection(); "
        "pool = settings.DATABASES['default']['OPTIONS']['pool']; "
        "print(type(connection.pool).__name__, pool['min_size'], pool['max_size'], "
        "settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    url = (
        f"postgres://{test_database['USER']}@{test_database['HOST']}:{test_database['PORT']}"
        f"/{test_database['NAME']}"
    )
    assert shell(lend, DATABASE_URL=url, DB_POOL_SIZE="6", CONN_MAX_AGE="") == (
        "ConnectionPool 6 6 0"
    )
    assert shell(
        lend, DATABASE_URL=url, DB_POOL_SIZE="6", DB_POOL_MIN_SIZE="2", CONN_MAX_AGE="0"
    ) == ("ConnectionPool 2 6 0")
    without = (
        "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    )
    assert shell(without, DB_POOL_SIZE="") == "{}"


def test_the_cache_key_prefix_moves_with_the_release_and_only_with_it(tmp_path):
    """A page part kept by the previous release is never served after a deploy: the shared
    cache's prefix is RELEASE, else a digest of the code and templates."""
    from config.env import source_digest

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ goal }}</p>")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "__init__.py").write_text("")
    before = source_digest(tmp_path)
    (tmp_path / "tests" / "test_page.py").write_text("def test(): pass")
    assert source_digest(tmp_path) == before
    page.write_text("<p>{{ goal.title }}</p>")
    assert source_digest(tmp_path) != before

    def prefix(**env):
        script = "from django.conf import settings; print(settings.CACHES['default']['KEY_PREFIX'])"
        result = manage("shell", "-c", script, **PRODUCTION, **env)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert prefix(RELEASE="2026.12.1-abcdef") == "2026.12.1-abcdef"
    assert prefix() == source_digest(ROOT)[:16]
