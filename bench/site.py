"""The production shape on loopback for the load and fault runs: gunicorn and a Celery worker
with production settings, and a small HTTP client that signs in like a browser."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(broker_url, media_root):
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CELERY_BROKER_URL": broker_url,
        "MEDIA_ROOT": str(media_root),
        "STATIC_MANIFEST": "0",
        "CONN_MAX_AGE": "60",
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "CELERY_RESTORE_INTERVAL": "1",
        "CELERY_RESTORE_THROTTLE": "1",
        "LOG_LEVEL": "WARNING",
    }


class Process:
    def __init__(self, args, env, log):
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def start_gunicorn(env, port, workers=None, threads=None, name="gunicorn"):
    """gunicorn as production runs it (config/gunicorn.conf.py); `workers` and `threads`
    override the file's numbers, as GUNICORN_WORKERS and GUNICORN_THREADS would."""
    sized = {"GUNICORN_WORKERS": workers, "GUNICORN_THREADS": threads}
    web = Process(
        [
            str(BIN / "gunicorn"),
            "--config",
            "config/gunicorn.conf.py",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        {**env, **{k: str(v) for k, v in sized.items() if v is not None}},
        ROOT / "bench" / f"{name}.log",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if Client(port).get("/healthz")[0] in (200, 503):
                return web
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start; see bench/gunicorn.log")


def start_worker(env, name="worker"):
    return Process(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        env,
        ROOT / "bench" / f"{name}.log",
    )


class Client:
    """Speaks to the site as a browser behind a TLS proxy would (the site runs with secure
    cookies), keeping its own cookies."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        all_headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Origin": f"https://127.0.0.1:{self.port}",
            "Referer": f"https://127.0.0.1:{self.port}/",
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None and not isinstance(body, bytes):
            body = urllib.parse.urlencode(body, doseq=True).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        all_headers |= headers or {}
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(header).items():
                    self.cookies[key] = morsel.value
            return response.status, data, response
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, body=data, headers={"X-CSRFToken": self.csrf(), **kwargs})

    def csrf(self):
        if "csrftoken" not in self.cookies:
            self.get("/accounts/login/")
        return self.cookies["csrftoken"]

    def sign_in(self, email, password="demo-pass-2026"):
        status, body, _ = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body={"csrfmiddlewaretoken": token, "login": email, "password": password},
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {email} answered {status}")
        return self
