import os
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


def test_compose_accepts_the_production_shape():
    result = config(SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    for service in ("postgres:", "redis:", "web:", "worker-renders:", "worker-emails:", "beat:"):
        assert service in result.stdout
    assert result.stdout.count("healthcheck:") == 6
    assert "gunicorn config.wsgi" in result.stdout


def test_compose_refuses_to_start_without_a_secret_key():
    result = config(SECRET_KEY="")
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr
