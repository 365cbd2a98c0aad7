"""One gunicorn configuration (config/gunicorn.conf.py) for production, the bench and the
cluster check, read from the environment like the settings."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_settings import PRODUCTION, production_environ

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SHAPE = ("workers", "threads", "max_requests", "max_requests_jitter", "timeout", "graceful_timeout")


def gunicorn_config(**env):
    result = subprocess.run(
        [GUNICORN, "--print-config", "--config", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**production_environ(), **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    values = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.M))
    return result, values


def test_the_defaults_recycle_workers_at_staggered_times_and_log_each_request():
    result, values = gunicorn_config()
    assert result.returncode == 0, result.stderr
    assert int(values["workers"]) >= 2
    assert int(values["threads"]) > 1
    assert int(values["max_requests"]) > 0 < int(values["max_requests_jitter"])
    assert 0 < int(values["timeout"]) <= 60
    assert int(values["graceful_timeout"]) > 0
    assert values["accesslog"] == "-"


def test_the_environment_sizes_the_server():
    env = {
        "GUNICORN_WORKERS": "5",
        "GUNICORN_THREADS": "8",
        "GUNICORN_MAX_REQUESTS": "300",
        "GUNICORN_MAX_REQUESTS_JITTER": "30",
        "GUNICORN_TIMEOUT": "20",
        "GUNICORN_GRACEFUL_TIMEOUT": "15",
    }
    result, values = gunicorn_config(**env)
    assert result.returncode == 0, result.stderr
    assert [values[name] for name in SHAPE] == ["5", "8", "300", "30", "20", "15"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GUNICORN_WORKERS": "five"}, "GUNICORN_WORKERS must be a whole number"),
        ({"GUNICORN_THREADS": "0"}, "GUNICORN_THREADS must be 1 or more"),
        ({"GUNICORN_TIMEOUT": "-1"}, "GUNICORN_TIMEOUT must be 1 or more"),
    ],
)
def test_a_bad_value_stops_gunicorn_with_a_reason(env, message):
    result, _values = gunicorn_config(**env)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_production_and_the_bench_start_gunicorn_with_it():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi"' in dockerfile
    bench = (ROOT / "bench" / "site.py").read_text()
    assert '"--config",\n            "config/gunicorn.conf.py"' in bench
    assert "--workers" not in bench
    assert "--timeout" not in bench
