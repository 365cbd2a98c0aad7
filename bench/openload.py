"""An open-model load: sessions arrive on a schedule, whatever the server is doing.

Run by bench/run.py as its own process (`python -m bench.openload PLAN.json`), so the
generator's work is not counted in the server's process. Each persona's session is a short
script of requests with think time between them (cabinet reading the plan and theories and
recording a value, a tablet opening the observation form and saving observations, a campus
leader reading action items, the board reading and downloading a report). Sessions start as a
Poisson process at the rate that makes the step's offered requests per second; a request's
latency is measured from the moment it was meant to be sent (its session's arrival, or the end
of the previous request plus the think time), so a generator or server that falls behind shows
as latency instead of hiding it (no coordinated omission). A warm-up step is not counted; then
steps of rising rate, each reporting p50, p95 and p99 per request kind.

The plan (JSON) gives the port, signed-in session cookies per persona, the ids the scripts use,
and the steps. The result (JSON) is printed on stdout.
"""

import json
import random
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from bench.site import Client

P95_TARGET_MS = 300
# Shares of arriving sessions, and each persona's think time (seconds, mean of an exponential
# bounded to a quarter and four times the mean so one draw cannot stall a step).
MIX = {"cabinet": 0.3, "tablet": 0.35, "leader": 0.2, "board": 0.15}
THINK_S = 2.0


def _think(rng):
    return min(max(rng.expovariate(1 / THINK_S), THINK_S / 4), THINK_S * 4)


def _cabinet(ids, rng):
    yield "plan", "GET", "/d/demo/plan/", None
    yield "theories", "GET", "/d/demo/theories/", None
    measure = rng.choice(ids["measures"])
    value = {"observed_on": ids["today"], "value": rng.randint(1, 99)}
    yield "record measure value", "POST", f"/d/demo/plan/measures/{measure}/", value


def _tablet(ids, rng):
    visit = ids["visit"]
    yield "observation form", "GET", f"/d/demo/visits/{visit}/observe/", None
    for _ in range(2):
        observation = {
            "client_id": str(uuid.uuid4()),
            "kind": "classroom",
            "setting": "Room 1",
            "notes": "Open-model load",
        }
        yield "observation save", "JSON", f"/d/demo/visits/{visit}/observations/", observation


def _leader(ids, rng):
    yield "home", "GET", "/d/demo/", None
    yield "actions", "GET", "/d/demo/actions/", None


def _board(ids, rng):
    yield "home", "GET", "/d/demo/", None
    yield "reports", "GET", "/d/demo/reports/", None
    yield "download", "GET", f"/d/demo/reports/{ids['report']}/download/", None


SCRIPTS = {"cabinet": _cabinet, "tablet": _tablet, "leader": _leader, "board": _board}
REQUESTS_PER_SESSION = {"cabinet": 3, "tablet": 3, "leader": 2, "board": 3}


@dataclass
class Samples:
    lock: threading.Lock = field(default_factory=threading.Lock)
    # (step, kind, intended, latency_s, status)
    rows: list = field(default_factory=list)

    def add(self, *row):
        with self.lock:
            self.rows.append(row)


def _send(client, method, path, data):
    if method == "GET":
        return client.get(path)[0]
    if method == "JSON":
        headers = {"X-CSRFToken": client.csrf(), "Accept": "application/json"}
        return client.request("POST", path, body=data, headers=headers)[0]
    return client.post(path, data)[0]


def _session(*, step, persona, arrival, plan, samples, seed):
    rng = random.Random(seed)
    client = Client(plan["port"])
    client.cookies = dict(rng.choice(plan["cookies"][persona]))
    intended = arrival
    for kind, method, path, data in SCRIPTS[persona](plan["ids"], rng):
        # A session that starts late (every sender busy) still counts from its arrival.
        wait = intended - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            status = _send(client, method, path, data)
        except OSError:
            status = 0
        done = time.monotonic()
        samples.add(step, kind, intended, done - intended, status)
        intended = done + _think(rng)


def _percentile(ordered, fraction):
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000, 1)


def _summary(rows, seconds):
    latencies = sorted(r[3] for r in rows)
    errors = [r for r in rows if not (200 <= r[4] < 400)]
    kinds = {}
    for kind in sorted({r[1] for r in rows}):
        ordered = sorted(r[3] for r in rows if r[1] == kind)
        kinds[kind] = {
            "requests": len(ordered),
            "errors": sum(1 for r in errors if r[1] == kind),
            "p50_ms": _percentile(ordered, 0.50),
            "p95_ms": _percentile(ordered, 0.95),
            "p99_ms": _percentile(ordered, 0.99),
        }
    return {
        "requests": len(rows),
        "achieved_per_s": round(len(rows) / seconds, 1) if seconds else None,
        "errors": len(errors),
        "error_examples": sorted({f"{r[1]}: {r[4]}" for r in errors})[:5],
        "p50_ms": _percentile(latencies, 0.50),
        "p95_ms": _percentile(latencies, 0.95),
        "p99_ms": _percentile(latencies, 0.99),
        "by_kind": kinds,
    }


def _step(pool, *, name, rate, seconds, plan, samples, rng, before=None):
    """Starts sessions for `seconds` at `rate` requests per second and waits for them to end,
    so one step's backlog is not measured in the next."""
    mean_requests = sum(share * REQUESTS_PER_SESSION[p] for p, share in MIX.items())
    personas, weights = zip(*MIX.items(), strict=True)
    session_rate = rate / mean_requests
    if before:
        before()
    start = time.monotonic()
    arrival = start + rng.expovariate(session_rate)
    sessions = []
    while arrival < start + seconds:
        delay = arrival - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        sessions.append(
            pool.submit(
                _session,
                step=name,
                persona=rng.choices(personas, weights)[0],
                arrival=arrival,
                plan=plan,
                samples=samples,
                seed=rng.random(),
            )
        )
        arrival += rng.expovariate(session_rate)
    wait(sessions, timeout=plan.get("drain_s", 60))
    with samples.lock:
        rows = [r for r in samples.rows if r[0] == name]
    return {"step": name, "offered_per_s": rate, **_summary(rows, seconds)}


def _held(summary):
    return summary["errors"] == 0 and all(
        k["p95_ms"] <= P95_TARGET_MS for k in summary["by_kind"].values()
    )


def _held_by_kind(steps):
    """Per request kind, the highest step rate at which that kind alone held the target: which
    page gives way first as the load rises."""
    held = {}
    for step in steps:
        for kind, figures in step["by_kind"].items():
            held.setdefault(kind, None)
            if figures["errors"] == 0 and figures["p95_ms"] <= P95_TARGET_MS:
                held[kind] = max(held[kind] or 0, step["offered_per_s"])
    return held


def _two_reports(plan):
    client = Client(plan["port"])
    client.cookies = dict(plan["cookies"]["cabinet"][0])
    for _ in range(2):
        client.post("/d/demo/reports/request/", {"kind": "board_summary"})


def run(plan):
    """The warm-up, then each rate until one is not held (every kind's p95 within the target
    and no errors), then the highest rate held again while two board summaries render."""
    samples, rng = Samples(), random.Random(plan.get("seed", 7))
    steps, sustained, rendering = [], None, None
    with ThreadPoolExecutor(max_workers=plan.get("senders", 400)) as pool:
        common = {"plan": plan, "samples": samples, "rng": rng}
        _step(pool, name="warm-up", rate=plan["warmup_rate"], seconds=plan["warmup_s"], **common)
        for rate in plan["rates"]:
            summary = _step(pool, name=f"{rate}/s", rate=rate, seconds=plan["step_s"], **common)
            steps.append(summary)
            if not _held(summary):
                break
            sustained = summary
        if sustained:
            rendering = _step(
                pool,
                name="while two board summaries render",
                rate=sustained["offered_per_s"],
                seconds=plan["step_s"],
                before=lambda: _two_reports(plan),
                **common,
            )
    return {
        "p95_target_ms": P95_TARGET_MS,
        "steps": steps,
        "held_by_kind": _held_by_kind(steps),
        "sustained_per_s": sustained["offered_per_s"] if sustained else None,
        "sustained_p95_ms": sustained["p95_ms"] if sustained else None,
        "while_rendering": rendering,
        "rendering_p95_ratio": (
            round(rendering["p95_ms"] / sustained["p95_ms"], 2)
            if rendering and sustained and sustained["p95_ms"]
            else None
        ),
    }


def main(path):
    with open(path) as file:
        plan = json.load(file)
    json.dump(run(plan), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
