"""`make cluster-check`: the production shape spread over "machines" on this one, and a browser
session that proves nothing depends on which process answers.

Started here: two gunicorn web servers (config/gunicorn.conf.py) behind HAProxy (TLS, round
robin per request, no stickiness, each response naming its server in X-Served-By), a renders
worker and an emails worker, and moto's S3 server; PostgreSQL (DATABASE_URL) and Redis
(CELERY_BROKER_URL, also the cache) are the ones already running. Every process gets a file
folder (MEDIA_ROOT) of its own, which must stay empty: files live in S3.

A scripted Chromium session (Playwright) then signs in, edits a theory, uploads Discovery
evidence, requests a board summary and downloads it, with each form served by one web server
and sent to the other; the report rendered by the worker downloads through the web server that
did not take the request. Each step prints PASS or FAIL; any failure exits non-zero. Everything
started is stopped on the way out, failure or interrupt included. Logs: test-artifacts/cluster/.
"""

import datetime
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOGS = ROOT / "test-artifacts" / "cluster"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
BUCKET = "cluster-files"
WORKERS = ("renders@cluster", "emails@cluster")
PASSWORD = "demo-pass-2026"


class Failed(Exception):
    pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self):
        self.processes = {}

    def start(self, name, args, env):
        log = open(LOGS / f"{name}.log", "w")  # noqa: SIM115 - closed in stop_all()
        self.processes[name] = (
            subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            ),
            log,
        )

    def check_running(self):
        for name, (process, _log) in self.processes.items():
            if process.poll() is not None:
                raise Failed(f"{name} exited with {process.returncode} (see {name}.log)")

    def stop_all(self):
        """Stops every process started here (each in its own process group), last first."""
        for process, log in reversed(self.processes.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)
            log.close()
        stopped = len(self.processes)
        self.processes = {}
        return stopped

    def log(self, name):
        return (LOGS / f"{name}.log").read_text(errors="replace")


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise Failed(f"timed out after {seconds} s waiting for {what}")


def answers(port, path="/", tls=False):
    import http.client
    import ssl

    if tls:
        connection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=5, context=ssl._create_unverified_context()
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def self_signed_pem(path):
    """A certificate for 127.0.0.1 and its key, in the one file HAProxy reads."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        certificate.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


HAPROXY_CONFIG = """\
global
    nbthread 1
    maxconn 512

defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 60s
    timeout server 60s

frontend site
    bind 127.0.0.1:{lb} ssl crt {pem}
    http-request set-header X-Forwarded-Proto https
    use_backend static if {{ path_beg /static/ }}
    default_backend web

# Round robin, request by request, with no stickiness: consecutive requests of one browser go
# to different servers. Static files have their own rotation, so a page's stylesheet does not
# decide where its next form goes.
backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz hdr Host 127.0.0.1
    http-response set-header X-Served-By %s
{servers}

backend static
    balance roundrobin
{static_servers}
"""


def haproxy_config(*, lb_port, pem, web_ports):
    servers = [f"    server {name} 127.0.0.1:{port}" for name, port in web_ports.items()]
    return HAPROXY_CONFIG.format(
        lb=lb_port,
        pem=pem,
        servers="\n".join(f"{server} check inter 1s" for server in servers),
        static_servers="\n".join(servers),
    )


def environment(*, database_url, redis_url, s3_port, media_root):
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "cluster-check-" + "s" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "CACHE_URL": redis_url,
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "cluster",
        "AWS_SECRET_ACCESS_KEY": "cluster",
        "MEDIA_ROOT": str(media_root),
        "STATIC_MANIFEST": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


class Check:
    def __init__(self):
        self.results = []

    def step(self, name, func):
        started = time.monotonic()
        try:
            detail = func()
        except Exception as error:
            self.results.append((name, False))
            message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            print(f"FAIL  {name}: {message}", flush=True)
            return False
        self.results.append((name, True))
        print(f"PASS  {name}: {detail} ({time.monotonic() - started:.1f} s)", flush=True)
        return True

    @property
    def passed(self):
        return bool(self.results) and all(ok for _name, ok in self.results)


class Browser:
    """One Chromium context through the load balancer; X-Served-By on each response from the
    web backend names the server that answered."""

    def __init__(self, playwright, base_url):
        self.browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        self.context = self.browser.new_context(
            base_url=base_url, ignore_https_errors=True, viewport={"width": 1366, "height": 768}
        )
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()

    def open(self, path):
        """Goes to `path`; the server that answered."""
        return served_by(self.page.goto(path))

    def post(self, click, to_other_than):
        """Sends a form with `click`, to the server other than `to_other_than`; the server
        that answered the POST."""
        self.next_request_to_other_than(to_other_than)
        with self.page.expect_response(
            lambda response: response.request.method == "POST" and served_by(response)
        ) as posted:
            click()
        self.page.wait_for_load_state()
        server = served_by(posted.value)
        if server == to_other_than:
            raise Failed(f"the form from {server} was posted to it again")
        return server

    def get(self, path, to_other_than):
        """A GET through the browser's session (its cookies), to the server other than
        `to_other_than`; the response."""
        self.next_request_to_other_than(to_other_than)
        return self.context.request.get(path, max_redirects=0)

    def next_request_to_other_than(self, server):
        """Round robin sends a request to the server after the one the last request went to:
        once the page is quiet, a probe or two make that the server other than `server`."""
        self.page.wait_for_load_state("networkidle")
        for _ in range(2):
            if served_by(self.context.request.get("/healthz")) == server:
                return
        raise Failed("the load balancer did not alternate between the web servers")

    def close(self):
        self.context.close()
        self.browser.close()


def served_by(response):
    return response.headers.get("x-served-by")


def main():
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("CELERY_BROKER_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis://"):
        sys.exit(
            "Set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis): `make cluster-check`."
        )
    started = time.monotonic()
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    workdir = Path(tempfile.mkdtemp(prefix="cluster-check-"))
    cluster = Cluster()
    check = Check()

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        run(check, cluster, workdir, database_url=database_url, redis_url=redis_url)
    except KeyboardInterrupt:
        print("FAIL  interrupted", flush=True)
        check.results.append(("interrupted", False))
    finally:
        stopped = cluster.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"      stopped the {stopped} processes started here", flush=True)
    seconds = time.monotonic() - started
    if check.passed:
        print(f"CLUSTER CHECK PASSED in {seconds:.0f} s", flush=True)
        return 0
    print(f"CLUSTER CHECK FAILED in {seconds:.0f} s (logs in {LOGS.relative_to(ROOT)}/)")
    return 1


def run(check, cluster, workdir, *, database_url, redis_url):
    ports = {name: free_port() for name in ("lb", "web1", "web2", "s3")}
    media = {name: workdir / name / "media" for name in ("web1", "web2", "renders", "emails")}
    for folder in media.values():
        folder.mkdir(parents=True)
    env = environment(
        database_url=database_url,
        redis_url=redis_url,
        s3_port=ports["s3"],
        media_root=workdir / "setup" / "media",
    )
    base_url = f"https://127.0.0.1:{ports['lb']}"

    def start():
        import boto3
        import redis

        # The cluster's own Redis number starts empty, like a fresh deployment's.
        redis.Redis.from_url(redis_url).flushdb()
        cluster.start(
            "s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(ports["s3"])], env
        )
        # The image's static files, as the Dockerfile collects them.
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--size", "small")
        wait_for(lambda: answers(ports["s3"]).status < 500, 30, "the S3 server")
        boto3.client(
            "s3",
            endpoint_url=env["AWS_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster",
        ).create_bucket(Bucket=BUCKET)
        for name in ("web1", "web2"):
            cluster.start(
                name,
                [
                    str(BIN / "gunicorn"),
                    "--config",
                    "config/gunicorn.conf.py",
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{ports[name]}",
                ],
                {
                    **env,
                    "MEDIA_ROOT": str(media[name]),
                    "GUNICORN_WORKERS": "1",
                    "GUNICORN_THREADS": "4",
                },
            )
        for queue in ("renders", "emails"):
            cluster.start(
                queue,
                [
                    str(BIN / "celery"),
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    queue,
                    "-n",
                    f"{queue}@cluster",
                    "-O",
                    "fair",
                    "--concurrency=1",
                    "--loglevel=INFO",
                ],
                {**env, "MEDIA_ROOT": str(media[queue])},
            )
        pem = workdir / "lb.pem"
        self_signed_pem(pem)
        config = workdir / "haproxy.cfg"
        config.write_text(
            haproxy_config(
                lb_port=ports["lb"], pem=pem, web_ports={n: ports[n] for n in ("web1", "web2")}
            )
        )
        cluster.start("haproxy", [HAPROXY, "-f", str(config), "-db"], env)
        for name in ("web1", "web2"):
            wait_for(lambda name=name: answers(ports[name], "/healthz").status == 200, 60, name)
        wait_for(lambda: answers(ports["lb"], "/healthz", tls=True).status == 200, 30, "HAProxy")
        for worker in WORKERS:
            wait_for(
                lambda worker=worker: "ready." in cluster.log(worker.split("@")[0]), 60, worker
            )
        cluster.check_running()
        return (
            f"web1 :{ports['web1']} and web2 :{ports['web2']} behind HAProxy "
            f"{base_url}, workers {' and '.join(WORKERS)}, S3 (moto) :{ports['s3']}, "
            f"{urllib.parse.urlsplit(database_url).path[1:]}, Redis {redis_url.rsplit('/', 1)[-1]}"
        )

    if not check.step("start the cluster", start):
        return

    def round_robin():
        # Both servers must be up in HAProxy's eyes before the rotation is exact.
        time.sleep(1.5)
        served = [
            answers(ports["lb"], "/healthz", tls=True).getheader("X-Served-By") for _ in range(4)
        ]
        if sorted(set(served)) != ["web1", "web2"] or any(
            a == b for a, b in itertools.pairwise(served)
        ):
            raise Failed(f"/healthz answered by {served}")
        return f"four /healthz answered by {', '.join(served)}"

    if not check.step("round robin without stickiness", round_robin):
        return

    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = Browser(playwright, base_url)
        page = browser.page
        try:
            steps(check, browser, page, expect, cluster)
        finally:
            browser.close()

    def nothing_local():
        import boto3

        stored = [
            name for name, folder in media.items() for path in folder.rglob("*") if path.is_file()
        ]
        if stored:
            raise Failed(f"files written to local disk by {sorted(set(stored))}")
        keys = [
            item["Key"]
            for item in boto3.client(
                "s3",
                endpoint_url=env["AWS_S3_ENDPOINT_URL"],
                region_name="us-east-1",
                aws_access_key_id="cluster",
                aws_secret_access_key="cluster",
            )
            .list_objects_v2(Bucket=BUCKET)
            .get("Contents", [])
        ]
        wanted = [key for key in keys if key.startswith(("evidence/", "reports/"))]
        kinds = {key.split("/")[0] for key in wanted}
        if kinds != {"evidence", "reports"}:
            raise Failed(f"the bucket holds {keys}")
        return f"every process's MEDIA_ROOT is empty; the bucket holds {', '.join(sorted(wanted))}"

    check.step("files only in S3", nothing_local)

    def emails():
        manage(env, "shell", "--no-imports", "-c", REMINDERS)
        done = re.compile(r"Task visits\.tasks\.send_action_item_reminders\[[^\]]+\] succeeded")
        wait_for(lambda: done.search(cluster.log("emails")), 60, "the emails worker")
        if "Task visits.tasks." in cluster.log("renders"):
            raise Failed("the renders worker took an email task")
        return "action-item reminders ran on the emails worker, not the renders worker"

    check.step("emails on their own worker", emails)
    cluster.check_running()


REMINDERS = (
    "from visits.tasks import send_action_item_reminders; send_action_item_reminders.delay()"
)


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise Failed(f"manage.py {args[0]}: {result.stderr.strip()[-500:]}")
    return result.stdout


def steps(check, browser, page, expect, cluster):
    def sign_in():
        form_from = browser.open("/accounts/login/")
        page.get_by_label("Email address").fill("cabinet@demo.test")
        email_to = browser.post(page.get_by_role("button", name="Continue").click, form_from)
        page.get_by_label("Password").fill(PASSWORD)
        password_to = browser.post(
            page.get_by_role("button", name="Sign in", exact=True).click, email_to
        )
        expect(page.get_by_role("link", name="Your account")).to_be_visible()
        home_from = browser.open("/d/demo/")
        again = browser.get("/d/demo/", home_from)
        if "/accounts/login/" in page.url or again.status != 200:
            raise Failed(f"not signed in on {home_from} or {served_by(again)}")
        return (
            f"sign-in page from {form_from}, email posted to {email_to}, password to "
            f"{password_to}; then signed in on {home_from} and {served_by(again)}"
        )

    if not check.step("sign in", sign_in):
        return

    def edit():
        page.goto("/d/demo/theories/")
        # Strands open folded; the first one's plain link draws the page with it open.
        opener = page.locator("details.fold .fold-body a").first.get_attribute("href")
        page.goto(urllib.parse.urljoin(page.url, opener))
        edit_path = urllib.parse.urlsplit(
            page.locator("a[href$='/edit/']").first.get_attribute("href")
        ).path
        form_from = browser.open(edit_path)
        owner = f"Cluster check {time.strftime('%H:%M:%S')}"
        page.get_by_label("Owner").fill(owner)
        saved_to = browser.post(page.get_by_role("button", name="Save theory").click, form_from)
        theory = edit_path.removesuffix("edit/")
        shown_by = [browser.open(theory)]
        expect(page.locator("main")).to_contain_text(owner)
        again = browser.get(theory, shown_by[0])
        shown_by.append(served_by(again))
        if owner not in again.text():
            raise Failed(f"{shown_by[1]} does not show the new owner")
        return (
            f"theory form from {form_from}, saved through {saved_to}; the new owner shown by "
            f"{' and '.join(shown_by)}"
        )

    check.step("edit a theory", edit)

    def upload():
        page.goto("/d/demo/discovery/")
        page.get_by_role("link", name="Discovery Analysis", exact=True).last.click()
        evidence = page.get_by_role("link", name="Evidence", exact=True).get_attribute("href")
        form_from = browser.open(evidence)
        form = page.locator("form", has=page.get_by_role("button", name="Add evidence"))
        summary = f"Cluster check walkthrough notes {time.strftime('%H:%M:%S')}"
        form.get_by_label("Summary").fill(summary)
        # Any date: this step is about where the file goes.
        form.get_by_label("Date").fill("2025-10-01")
        content = b"%PDF-1.4\n% cluster check evidence\n" + os.urandom(2048).hex().encode()
        form.get_by_label("Attachment").set_input_files(
            {"name": "walkthrough.pdf", "mimeType": "application/pdf", "buffer": content}
        )
        posted_to = browser.post(form.get_by_role("button", name="Add evidence").click, form_from)
        link = page.locator("li", has_text=summary).get_by_role(
            "link", name=re.compile("walkthrough.pdf")
        )
        response = browser.get(link.get_attribute("href"), posted_to)
        if response.status != 200 or response.body() != content:
            raise Failed(f"the attachment came back {response.status}, {len(response.body())} B")
        return (
            f"evidence form from {form_from}, file posted to {posted_to}, the same "
            f"{len(content)} bytes downloaded through {served_by(response)}"
        )

    check.step("upload Discovery evidence", upload)

    def report():
        page_from = browser.open("/d/demo/reports/")
        requested_to = browser.post(
            page.get_by_role("button", name="Request report").click, page_from
        )
        download = page.locator("table.reports tbody tr").first.get_by_role(
            "link", name=re.compile("Download PDF")
        )
        expect(download).to_be_visible(timeout=90_000)
        if not re.search(
            r"Task reports\.tasks\.render_report\[[^\]]+\] succeeded", cluster.log("renders")
        ):
            raise Failed("the renders worker logged no finished render")
        response = browser.get(download.get_attribute("href"), requested_to)
        if response.status != 200 or not response.body().startswith(b"%PDF"):
            raise Failed(f"the download answered {response.status}")
        return (
            f"requested through {requested_to}, rendered by renders@cluster, "
            f"{len(response.body()) // 1024} KB PDF downloaded through {served_by(response)}"
        )

    check.step("request and download a report", report)

    def public_cache():
        import redis

        cache = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
        before = set(cache.scan_iter(match="*public-plan:*"))
        first = browser.context.request.get("/p/demo/en/")
        keys = set(cache.scan_iter(match="*public-plan:*")) - before
        if first.status != 200 or len(keys) != 1:
            raise Failed(f"the public page answered {first.status}; new cache keys {keys}")
        second = browser.get("/p/demo/en/", served_by(first))
        if second.body() != first.body():
            raise Failed(f"{served_by(second)} answered differently from {served_by(first)}")
        return (
            f"built by {served_by(first)} and kept in Redis; the same page from the cache "
            f"on {served_by(second)}"
        )

    check.step("public page cache shared", public_cache)

    def plan_body():
        import redis

        cache = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
        pattern = "*fragment:district_plan/index.html#plan-body:*"
        before = set(cache.scan_iter(match=pattern))
        drawn_by = browser.open("/d/demo/plan/")
        kept = set(cache.scan_iter(match=pattern)) - before
        if len(kept) != 1:
            raise Failed(f"the plan's body was not kept in Redis once: {kept}")
        browser.next_request_to_other_than(drawn_by)
        shown_by = served_by(page.goto("/d/demo/plan/"))
        if shown_by == drawn_by:
            raise Failed("the load balancer sent the second view to the same server")
        goals = page.locator("ol.goal-list > li")
        first = goals.first.get_attribute("id")
        # The kept body's forms carry this reader's token, put in by the server that sent it.
        posted_to = browser.post(
            page.get_by_role("button", name="Move goal down").first.click, shown_by
        )
        expect(goals.nth(1)).to_have_attribute("id", first)
        return (
            f"drawn by {drawn_by} and kept in Redis; sent from there by {shown_by}, whose form "
            f"moved a goal through {posted_to}"
        )

    check.step("plan body kept once for every server", plan_body)

    def sign_out():
        signed_out_by = browser.post(
            page.get_by_role("button", name="Sign out").first.click,
            served_by(page.goto("/d/demo/")),
        )
        refused_by = []
        for _ in range(2):
            response = browser.context.request.get("/d/demo/", max_redirects=0)
            refused_by.append(served_by(response))
            if response.status != 302 or "/accounts/login/" not in response.headers["location"]:
                raise Failed(f"{refused_by[-1]} answered {response.status} after signing out")
        if sorted(refused_by) != ["web1", "web2"]:
            raise Failed(f"only {refused_by} were asked")
        return f"signed out through {signed_out_by}, then sent to sign in by both servers"

    check.step("sign out", sign_out)


if __name__ == "__main__":
    sys.exit(main())
