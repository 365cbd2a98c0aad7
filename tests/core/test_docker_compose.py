import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def compose_command():
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return ["docker", "compose"]


def config(**env):
    return subprocess.run(
        [*compose_command(), "-f", str(ROOT / "docker-compose.yml"), "config"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def service_command(name):
    """The command of one service, as a list, from the resolved configuration."""
    result = config(SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    block = re.search(rf"^  {name}:\n(.*?)(?=^  \S|^\S)", result.stdout, re.M | re.S)[1]
    command = re.search(r"^    command:\n((?:    - .*\n)+)", block, re.M)[1]
    return [line.strip()[2:].strip("'\"") for line in command.splitlines()]


def test_compose_accepts_the_production_shape():
    result = config(SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    for service in (
        "postgres:",
        "redis:",
        "migrate:",
        "web:",
        "worker-renders:",
        "worker-emails:",
        "beat:",
    ):
        assert service in result.stdout
    # Every long-running service has one; the one-off migration has none.
    assert result.stdout.count("healthcheck:") == 6


def test_the_web_runs_gunicorn_with_the_shared_configuration():
    web = service_command("web")
    assert web[:3] == ["gunicorn", "--config", "config/gunicorn.conf.py"]
    assert "--workers" not in web
    assert "--timeout" not in web


def test_workers_hand_tasks_only_to_free_processes():
    for worker in ("worker-renders", "worker-emails"):
        command = service_command(worker)
        assert command[command.index("-O") + 1] == "fair"


def test_compose_refuses_to_start_without_a_secret_key():
    result = config(SECRET_KEY="")
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr
