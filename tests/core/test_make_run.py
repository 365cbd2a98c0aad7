"""`make run` on a machine with no configuration: SQLite, tasks in-process, demo data."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNCONFIGURED = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def make_run(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in UNCONFIGURED}
    env["SQLITE_PATH"] = str(tmp_path / "db.sqlite3")
    log = (tmp_path / "make-run.log").open("w+")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, Path(log.name).read_text()
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("make run did not serve within 3 minutes:\n" + Path(log.name).read_text())
        yield base, Path(log.name)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_make_run_serves_the_demo_on_sqlite_and_prints_the_logins(make_run, tmp_path):
    base, log = make_run
    assert (tmp_path / "db.sqlite3").exists()
    output = log.read_text()
    assert "admin@demo.test" in output
    assert "demo-pass-2026" in output

    health = urllib.request.urlopen(f"{base}/healthz").read().decode()
    assert '"vendor": "sqlite"' in health
    assert "in-process" in health

    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "login": "cabinet@demo.test",
            "password": "demo-pass-2026",
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    home = browser.open(request)
    assert home.url == f"{base}/d/demo/"
    assert "Demo Valley Unified School District" in home.read().decode()
