"""Load and fault runs against gunicorn and a Celery worker on loopback.

Everything here is bounded in time and count and talks only to 127.0.0.1.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid

from django.db import connection
from django.utils import timezone

from bench.site import ROOT, Client, free_port, production_env, start_gunicorn, start_worker
from core.history import events_of
from district_plan.models import Measure
from reports.models import Report
from theories.models import TheoryOfAction
from visits.models import Observation, Visit

USERS = {"cabinet": 20, "tablet": 20, "board": 10}


def _p95(samples):
    ordered = sorted(samples)
    return round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1) if ordered else None


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (started, seconds, status, label)

    def call(self, label, func, *args, **kwargs):
        started = time.monotonic()
        try:
            status = func(*args, **kwargs)[0]
        except OSError:
            status = 0
        with self.lock:
            self.samples.append((started, time.monotonic() - started, status, label))
        return status


def _cabinet(client, recorder, stop, measure_ids):
    rng = random.Random()
    while not stop.is_set():
        recorder.call("plan", client.get, "/d/demo/plan/")
        measure = rng.choice(measure_ids)
        recorder.call(
            "record measure value",
            client.post,
            f"/d/demo/plan/measures/{measure}/",
            {"observed_on": timezone.localdate().isoformat(), "value": rng.randint(1, 99)},
        )
        recorder.call("theories", client.get, "/d/demo/theories/")


def _tablet(client, recorder, stop, visit_id):
    while not stop.is_set():
        recorder.call("observation form", client.get, f"/d/demo/visits/{visit_id}/observe/")
        recorder.call(
            "observation save",
            client.request,
            "POST",
            f"/d/demo/visits/{visit_id}/observations/",
            body={
                "client_id": str(uuid.uuid4()),
                "kind": "classroom",
                "setting": "Room 1",
                "notes": "Load test",
            },
            headers={"X-CSRFToken": client.csrf(), "Accept": "application/json"},
        )


def _board(client, recorder, stop, report_id):
    while not stop.is_set():
        recorder.call("reports", client.get, "/d/demo/reports/")
        recorder.call("download", client.get, f"/d/demo/reports/{report_id}/download/")
        recorder.call("home", client.get, "/d/demo/")


OPEN_RATES = [
    int(rate) for rate in os.environ.get("BENCH_OPEN_RATES", "4,8,12,16,24,32,40,48,64").split(",")
]
OPEN_STEP_SECONDS = int(os.environ.get("BENCH_OPEN_STEP_SECONDS", "20"))
PERSONA_EMAILS = {
    "cabinet": "cabinet@demo.test",
    "tablet": "visitor@demo.test",
    "leader": "principal@demo.test",
    "board": "board@demo.test",
}


def open_load(*, port, report_id, workdir):
    """The open-model steps (bench/openload.py) in a process of their own; what they measured."""
    visit = (
        Visit.objects.filter(district__slug="demo", status__in=["planned", "in_progress"])
        .order_by("date")
        .first()
    )
    measures = Measure.objects.filter(district__slug="demo", goal__isnull=False)
    plan = {
        "port": port,
        "cookies": {
            persona: [Client(port).sign_in(email).cookies for _ in range(5)]
            for persona, email in PERSONA_EMAILS.items()
        },
        "ids": {
            "measures": list(measures.values_list("pk", flat=True)),
            "visit": visit.pk,
            "report": report_id,
            "today": timezone.localdate().isoformat(),
        },
        "warmup_rate": 2,
        "warmup_s": 10,
        "rates": OPEN_RATES,
        "step_s": OPEN_STEP_SECONDS,
    }
    # Holds signed-in session cookies: kept out of git (.gitignore) and rewritten each run.
    path = workdir / "openload-plan.json"
    path.write_text(json.dumps(plan))
    finished = subprocess.run(
        [sys.executable, "-m", "bench.openload", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60 * 30,
    )
    if finished.returncode:
        raise RuntimeError(finished.stderr[-2000:])
    return json.loads(finished.stdout)


def run_load(*, port, seconds, report_id, two_reports_at=None):
    """The closed stress run: 50 users with no think time. It measures the server saturated
    (queueing, not a user's wait); the open model above is the one to read for capacity."""
    measure_ids = list(
        Measure.objects.filter(district__slug="demo", goal__isnull=False).values_list(
            "pk", flat=True
        )
    )
    visit_id = (
        Visit.objects.filter(district__slug="demo", status__in=["planned", "in_progress"])
        .order_by("date")
        .first()
        .pk
    )
    recorder, stop = Recorder(), threading.Event()
    threads = []
    for role, count in USERS.items():
        email = {
            "cabinet": "cabinet@demo.test",
            "tablet": "visitor@demo.test",
            "board": "board@demo.test",
        }[role]
        for _ in range(count):
            client = Client(port).sign_in(email)
            target, args = {
                "cabinet": (_cabinet, (measure_ids,)),
                "tablet": (_tablet, (visit_id,)),
                "board": (_board, (report_id,)),
            }[role]
            threads.append(
                threading.Thread(target=target, args=(client, recorder, stop, *args), daemon=True)
            )
    started = time.monotonic()
    for thread in threads:
        thread.start()
    render_window = None
    if two_reports_at is not None:
        time.sleep(two_reports_at)
        requester = Client(port).sign_in("cabinet@demo.test")
        before = set(Report.objects.values_list("pk", flat=True))
        window_start = time.monotonic()
        for _ in range(2):
            requester.post("/d/demo/reports/request/", {"kind": "board_summary"})
        new = Report.objects.exclude(pk__in=before)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and new.exclude(status__in=["ready", "failed"]).exists():
            time.sleep(0.2)
        render_window = (window_start, time.monotonic())
    time.sleep(max(0, seconds - (time.monotonic() - started)))
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    elapsed = time.monotonic() - started
    samples = recorder.samples
    errors = [s for s in samples if not (200 <= s[2] < 400)]
    result = {
        "users": sum(USERS.values()),
        "seconds": round(elapsed, 1),
        "requests": len(samples),
        "requests_per_s": round(len(samples) / elapsed, 1),
        "median_ms": round(statistics.median(s[1] for s in samples) * 1000, 1),
        "p95_ms": _p95([s[1] for s in samples]),
        "errors": len(errors),
        "error_examples": sorted({f"{s[3]}: {s[2]}" for s in errors})[:5],
        "by_kind_p95_ms": {
            label: _p95([s[1] for s in samples if s[3] == label])
            for label in sorted({s[3] for s in samples})
        },
    }
    if render_window:
        inside = [s[1] for s in samples if render_window[0] <= s[0] <= render_window[1]]
        result["p95_ms_while_two_reports_render"] = _p95(inside)
        result["two_reports_render_s"] = round(render_window[1] - render_window[0], 1)
    return result


def redis_server(port):
    return subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def fault_runs(*, media_root):
    """Each fault run, with what was expected and what happened."""
    results = {}
    redis_port = free_port()
    redis = redis_server(redis_port)
    time.sleep(0.5)
    env = production_env(f"redis://127.0.0.1:{redis_port}/0", media_root)
    # One Redis for the broker, the cache and the sessions, as in production: the outage
    # below takes all three away at once.
    env["CACHE_URL"] = f"redis://127.0.0.1:{redis_port}/1"
    port = free_port()
    web = start_gunicorn(env, port, name="gunicorn-faults")
    worker = start_worker(env, "worker-faults")
    try:
        results["worker_killed_mid_render"] = _kill_worker(port, env, worker)
        worker = results["worker_killed_mid_render"].pop("_worker")
        results["redis_stopped_during_load"] = _redis_outage(port, redis_port)
        results["replayed_observations"] = _replay(port)
        results["concurrent_theory_saves"] = _concurrent_saves(port)
    finally:
        worker.stop()
        web.stop()
        redis.terminate()
    return results


def _kill_worker(port, env, worker):
    client = Client(port).sign_in("cabinet@demo.test")
    before = set(Report.objects.values_list("pk", flat=True))
    client.post("/d/demo/reports/request/", {"kind": "board_summary"})
    report = Report.objects.exclude(pk__in=before).get()
    deadline = time.monotonic() + 60
    while Report.objects.get(pk=report.pk).status != "rendering" and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.stop(sig=9)
    replacement = start_worker(env, "worker2")
    deadline = time.monotonic() + 90
    while Report.objects.get(pk=report.pk).status != "ready" and time.monotonic() < deadline:
        time.sleep(0.2)
    report.refresh_from_db()
    return {
        "expected": "the report still finishes, once",
        "status": report.status,
        "attempts": report.attempts,
        "ok": report.status == "ready" and report.attempts == 2,
        "_worker": replacement,
    }


def _redis_outage(port, redis_port):
    outcome = {}

    def outage():
        time.sleep(4)
        subprocess.run(
            ["redis-cli", "-p", str(redis_port), "shutdown", "nosave"], capture_output=True
        )
        client = Client(port).sign_in("cabinet@demo.test")
        before = set(Report.objects.values_list("pk", flat=True))
        client.post("/d/demo/reports/request/", {"kind": "board_summary"})
        during = Report.objects.exclude(pk__in=before).first()
        outcome["report_during_outage"] = (during.status, during.error) if during else None
        time.sleep(3)
        outcome["server"] = redis_server(redis_port)
        time.sleep(2)
        before = set(Report.objects.values_list("pk", flat=True))
        client.post("/d/demo/reports/request/", {"kind": "board_summary"})
        after = Report.objects.exclude(pk__in=before).first()
        deadline = time.monotonic() + 60
        while (
            after
            and Report.objects.get(pk=after.pk).status not in ("ready", "failed")
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)
        outcome["report_after_outage"] = Report.objects.get(pk=after.pk).status if after else None

    report_id = (
        Report.objects.filter(district__slug="demo", status="ready")
        .values_list("pk", flat=True)
        .first()
    )
    observations_before = Observation.objects.count()
    thread = threading.Thread(target=outage)
    thread.start()
    load = run_load(port=port, seconds=15, report_id=report_id)
    thread.join()
    outcome.pop("server")
    stored = Observation.objects.count() - observations_before
    return {
        "expected": "pages keep serving; report requests fail with a clear message; nothing lost",
        "page_errors": load["errors"],
        "error_examples": load["error_examples"],
        "observations_stored_during_run": stored,
        "report_during_outage": outcome.get("report_during_outage"),
        "report_after_outage": outcome.get("report_after_outage"),
        "ok": load["errors"] == 0
        and outcome.get("report_during_outage", ("",))[0] == "failed"
        and outcome.get("report_after_outage") == "ready",
    }


def _replay(port):
    visit = (
        Visit.objects.filter(district__slug="demo", status__in=["planned", "in_progress"])
        .order_by("date")
        .first()
    )
    client = Client(port).sign_in("visitor@demo.test")
    ids = [str(uuid.uuid4()) for _ in range(200)]
    before = Observation.objects.filter(visit=visit).count()
    statuses = []
    for _ in range(2):
        for client_id in ids:
            statuses.append(
                client.request(
                    "POST",
                    f"/d/demo/visits/{visit.pk}/observations/",
                    body={"client_id": client_id, "kind": "campus_tour", "notes": "Replay"},
                    headers={"X-CSRFToken": client.csrf(), "Accept": "application/json"},
                )[0]
            )
    stored = Observation.objects.filter(visit=visit).count() - before
    return {
        "expected": "200 queued observations sent twice are stored 200 times",
        "stored": stored,
        "first_pass_201": statuses[:200].count(201),
        "second_pass_200": statuses[200:].count(200),
        "ok": stored == 200,
    }


def _concurrent_saves(port):
    theory = TheoryOfAction.objects.filter(district__slug="demo").order_by("pk").first()
    changes_before = (
        events_of(TheoryOfAction).filter(pgh_obj_id=theory.pk, pgh_label="changed").count()
    )
    version_before = TheoryOfAction.objects.get(pk=theory.pk).version
    results = {"saved": 0, "conflicts": 0, "other": 0}
    lock = threading.Lock()

    def editor(name, email):
        client = Client(port).sign_in(email)
        for n in range(100):
            current = TheoryOfAction.objects.get(pk=theory.pk)
            status, body, _ = client.post(
                f"/d/demo/theories/{theory.pk}/",
                {
                    "strand": current.strand_id,
                    "if_clause": current.if_clause,
                    "then_clause": current.then_clause,
                    "so_that": current.so_that,
                    "owner": f"{name} {n}",
                    "status": current.status,
                    "progress": "not_assessed",
                    "version": current.version,
                },
            )
            with lock:
                if status == 302:
                    results["saved"] += 1
                elif b"Someone else saved this" in body:
                    results["conflicts"] += 1
                else:
                    results["other"] += 1

    threads = [
        threading.Thread(target=editor, args=(n, e))
        for n, e in (("A", "cabinet@demo.test"), ("B", "admin@demo.test"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    connection.close()
    version_after = TheoryOfAction.objects.get(pk=theory.pk).version
    changes = (
        events_of(TheoryOfAction).filter(pgh_obj_id=theory.pk, pgh_label="changed").count()
        - changes_before
    )
    return {
        "expected": "every save either lands (and is in the history) or is shown as a conflict",
        **results,
        "versions_added": version_after - version_before,
        "history_entries_added": changes,
        "ok": results["other"] == 0
        and version_after - version_before == results["saved"] == changes
        and results["saved"] + results["conflicts"] == 200,
    }
