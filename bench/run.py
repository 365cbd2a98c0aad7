"""`make bench`: query counts and server time for the main pages at both demo sizes, the
large board summary in the worker against WeasyPrint alone, and the time to seed.

Runs against the database in DATABASE_URL (the Makefile points it at a bench database) and
prints a table; the numbers are written to bench/results.json.
"""

import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Pages are timed with production settings (no query log, no debug toolbar of any kind), as the
# issue's targets are; plain HTTP on loopback, so no SSL redirect, and static files unhashed.
for name, value in {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "k" * 60,
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_MANIFEST": "0",
    "LOG_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(name, value)

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from weasyprint import HTML  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.load import fault_runs, open_load, run_load  # noqa: E402
from bench.openload import THINK_S  # noqa: E402
from bench.site import free_port, production_env, start_gunicorn, start_worker  # noqa: E402
from bench.targets import print_targets, targets  # noqa: E402
from bench.worker_memory import worker_memory  # noqa: E402
from benchmarking.models import DiscoveryAnalysis  # noqa: E402
from core.models import Campus, District  # noqa: E402
from dashboard.demo import refresh_planner_statistics, seed_demo  # noqa: E402
from district_plan.models import CampusPlan, Measure  # noqa: E402
from learning.models import Offering  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from reports.models import Report  # noqa: E402
from reports.rendering import STATIC_BASE, StaticOnlyFetcher, report_html  # noqa: E402
from reports.tasks import render_report  # noqa: E402
from theories.models import TheoryOfAction  # noqa: E402
from visits.models import Visit  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "25"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "30"))


def pages():
    demo = District.objects.get(slug="demo")
    visit = Visit.objects.filter(district=demo, status="closed").order_by("-date").first()
    planned = Visit.objects.filter(district=demo, status="planned").order_by("date").first()
    analysis = DiscoveryAnalysis.objects.get(district=demo, previous__isnull=False)
    campus = Campus.objects.filter(district=demo).exclude(cohort="").order_by("name").first()
    measure = Measure.objects.filter(district=demo, goal__isnull=False).order_by("pk").first()
    campus_plan = CampusPlan.objects.get(campus=campus)
    retreat = Meeting.objects.filter(district=demo, kind="cabinet_retreat").first()
    offering = Offering.objects.filter(district=demo).order_by("pk").first()
    theory = TheoryOfAction.objects.filter(district=demo).order_by("order", "pk").first()
    return {
        "baseline": "/d/demo/bench/baseline/",
        "home": "/d/demo/",
        "plan": "/d/demo/plan/",
        "theories": "/d/demo/theories/",
        "visit calendar": "/d/demo/visits/",
        "visit": f"/d/demo/visits/{visit.pk}/",
        "observation form": f"/d/demo/visits/{planned.pk}/observe/",
        "actions": "/d/demo/actions/?show=all",
        "trends": "/d/demo/visits/trends/",
        "reports": "/d/demo/reports/",
        "discovery heat map": f"/d/demo/discovery/analyses/{analysis.pk}/",
        "campus": f"/d/demo/campuses/{campus.pk}/",
        "measure by campus and group": f"/d/demo/plan/measures/{measure.pk}/",
        "campus plan": f"/d/demo/plan/campus-plans/{campus_plan.pk}/",
        "campus plans": "/d/demo/plan/campus-plans/",
        "campus list": "/d/demo/campuses/",
        "campus list by a measure": f"/d/demo/campuses/?measure={measure.pk}&sort=-measure_result",
        "comparable campuses": f"/d/demo/plan/campuses/{campus.pk}/comparable/",
        "theory": f"/d/demo/theories/{theory.pk}/",
        "meetings": "/d/demo/meetings/",
        "meeting": f"/d/demo/meetings/{retreat.pk}/",
        "learning offering": f"/d/demo/learning/{offering.pk}/",
        "inbox": "/d/demo/inbox/",
        "feedback queue": "/d/demo/public/feedback/",
        # Counted on its first request (built), timed from the cache like a family's visit.
        "public plan (es)": "/p/demo/es/",
        "scorecard": "/d/demo/scorecard/",
        "scorecard table": "/d/demo/scorecard/table/",
    }


def client():
    browser = Client()
    browser.force_login(User.objects.get(email="cabinet@demo.test"))
    return browser


def query_counts():
    browser = client()
    # A running site has read every kind of record's content type once (Django keeps them for
    # the process); counted cold, the first page to ask would pay for the whole site.
    ContentType.objects.get_for_models(*apps.get_models())
    counts = {}
    for name, url in pages().items():
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


def timings():
    """Each page's median and p95 over REPEATS requests, taken in rounds that visit every page
    once: a burst of other work on the shared cores then slows every page a little rather than
    one page a lot (timed page by page, one run's page doubled while the next run's did not)."""
    browser, urls = client(), pages()
    # The first request warms caches and connections; its size is what a browser loads.
    first = {name: browser.get(url) for name, url in urls.items()}
    samples = {name: [] for name in first}
    for _ in range(REPEATS):
        for name, url in urls.items():
            started = time.perf_counter()
            browser.get(url)
            samples[name].append((time.perf_counter() - started) * 1000)
    result = {}
    for name in first:
        samples[name].sort()
        result[name] = {
            "median_ms": round(statistics.median(samples[name]), 1),
            "p95_ms": round(samples[name][int(len(samples[name]) * 0.95) - 1], 1),
            "kb": round(len(first[name].content) / 1024, 1),
        }
    base = result["baseline"]["median_ms"]
    for row in result.values():
        row["ratio"] = round(row["median_ms"] / base, 1)
    return result


def board_summary():
    """The worker's time against WeasyPrint alone on the same HTML, both warm (the first
    render of a process loads fonts) and as the median of three runs."""
    demo = District.objects.get(slug="demo")
    worker, alone = [], []
    for _ in range(4):
        report = Report.objects.create(
            district=demo, kind="board_summary", title="Bench board summary"
        )
        started = time.perf_counter()
        render_report(report.pk)
        worker.append(time.perf_counter() - started)
        html, _ = report_html(report)
        started = time.perf_counter()
        HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf(
            pdf_variant="pdf/ua-1", pdf_tags=True
        )
        alone.append(time.perf_counter() - started)
    report.refresh_from_db()
    worker_s, alone_s = statistics.median(worker[1:]), statistics.median(alone[1:])
    return {
        "status": report.status,
        "pages": report.page_count,
        "worker_s": round(worker_s, 2),
        "weasyprint_alone_s": round(alone_s, 2),
        "overhead_ratio": round(worker_s / alone_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def print_open_load(result):
    cpus = os.cpu_count()
    print(
        f"\nopen-model load (sessions arriving on a schedule, think time {THINK_S} s, latency from "
        f"the intended send time; target: every kind's p95 <= {result['p95_target_ms']} ms, "
        "no errors)"
    )
    print(
        f"{'step':<34}{'offered/s':>10}{'achieved/s':>11}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>7}"
    )
    rows = result["steps"] + ([result["while_rendering"]] if result["while_rendering"] else [])
    for step in rows:
        print(
            f"{step['step']:<34}{step['offered_per_s']:>10}{step['achieved_per_s']:>11}"
            f"{step['p50_ms']:>7}{step['p95_ms']:>7}{step['p99_ms']:>7}{step['errors']:>7}"
        )
        for kind, figures in step["by_kind"].items():
            print(
                f"    {kind:<30}{'':>21}{figures['p50_ms']:>7}{figures['p95_ms']:>7}{figures['p99_ms']:>7}"
            )
    sustained = result["sustained_per_s"]
    per_core = round(sustained / cpus, 1) if sustained else None
    print(
        f"highest rate held: {sustained} requests/s ({per_core} per core on {cpus} cores, "
        f"generator included; target >= 20 per core); p95 while two board summaries render: "
        f"x{result['rendering_p95_ratio']} of the same rate idle (target <= 1.3)"
    )
    print("highest rate each request kind held on its own (p95 and errors of that kind):")
    for kind, rate in result["held_by_kind"].items():
        print(f"    {kind:<30}{rate if rate is not None else 'none'}")


def main():
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()}}
    with override_settings(
        ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"], MEDIA_ROOT=ROOT / "bench" / "media"
    ):
        seed_demo(size="small")
        refresh_planner_statistics()
        small = query_counts()
        started = time.perf_counter()
        seed_demo(size="large")
        results["seed_large_s"] = round(time.perf_counter() - started, 2)
        refresh_planner_statistics()
        large = query_counts()
        results["queries"] = {name: {"small": small[name], "large": large[name]} for name in small}
        results["timings_large"] = timings()
        results["board_summary_large"] = board_summary()
        results["long_report"] = worker_memory()
        media_root = ROOT / "bench" / "media"
        # The production shape: the broker's Redis is the shared cache and holds the sessions.
        env = production_env(settings.CELERY_BROKER_URL, media_root)
        port = free_port()
        web, worker = start_gunicorn(env, port), start_worker(env)
        try:
            ready = Report.objects.filter(district__slug="demo", status="ready").first()
            results["open_load"] = open_load(port=port, report_id=ready.pk, workdir=ROOT / "bench")
            results["load"] = run_load(
                port=port, seconds=LOAD_SECONDS, report_id=ready.pk, two_reports_at=8
            )
        finally:
            worker.stop()
            web.stop()
        results["faults"] = fault_runs(media_root=media_root)
    results["targets"] = targets(results)

    print(f"\nseed_demo --size large: {results['seed_large_s']} s")
    summary = results["board_summary_large"]
    print(
        f"\nlarge board summary: {summary['pages']} pages, {summary['worker_s']} s in the worker, "
        f"{summary['weasyprint_alone_s']} s WeasyPrint alone (x{summary['overhead_ratio']}), "
        f"peak memory of the process {summary['peak_rss_mb']} MB"
    )
    long_report = results["long_report"]
    print(
        f"\nlong report in a renders worker (CELERY_MAX_MEMORY_PER_CHILD "
        f"{long_report['max_memory_per_child_mb']} MB): "
        + "; ".join(
            f"{r['pages']} pages in {r['seconds']} s, RSS {r['rss_before_mb']} -> "
            f"{r['rss_after_mb']} MB (peak {r['peak_rss_mb']}), process "
            f"{'replaced' if r['replaced'] else 'kept'}"
            for r in long_report["renders"]
        )
        + ("" if long_report["ok"] else f" NOT OK {long_report.get('error', '')}")
    )
    print_open_load(results["open_load"])
    load = results["load"]
    print(
        f"\nstress (closed, saturating: queueing, not capacity): {load['users']} users for {load['seconds']} s: {load['requests_per_s']} requests/s, "
        f"median {load['median_ms']} ms, p95 {load['p95_ms']} ms, {load['errors']} errors "
        f"{load['error_examples'] or ''}; p95 while two board summaries render: "
        f"{load.get('p95_ms_while_two_reports_render')} ms ({load.get('two_reports_render_s')} s to render both)"
    )
    print("\nfault runs:")
    for name, fault in results["faults"].items():
        details = {k: v for k, v in fault.items() if k not in ("expected", "ok")}
        print(f"  {'ok  ' if fault['ok'] else 'FAIL'} {name}: {fault['expected']} -> {details}")
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print_targets(results["targets"])
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
