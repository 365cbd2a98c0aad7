"""A long report in a render worker with a low memory ceiling: does the worker hand the memory
back by replacing its process?

No report kind a member can request runs long (the large board summary is 15 pages), so the
bench renders the one the issue names: three years of the large demo's visit cohort, every visit
with its observations, debrief and action items (about 100 pages), through the same template
base and the same `html_to_pdf` (tagged PDF/UA, embedded fonts) as every report. It runs as a
task in a real Celery worker with the prefork pool, the way the renders worker runs in
production, with CELERY_MAX_MEMORY_PER_CHILD set low; each render writes what its process
measured to a file, since no result backend keeps task results.

`worker_memory()` is called by bench/run.py (after the large demo is seeded).
"""

import datetime
import itertools
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db.models import Count, Prefetch
from django.template import engines
from django.utils import timezone

from bench.site import BIN, ROOT, Process, production_env
from config.celery import app
from reports.rendering import html_to_pdf, page_counter_css
from visits.models import ActionItem, Observation, Visit

QUEUE = "bench-long-report"
WORKER_NAME = "bench-memory@localhost"
YEARS = 3

TEMPLATE = """{% extends "reports/pdf/base.html" %}
{% block cover_title %}{{ program.name }}: {{ visits|length }} visits{% endblock %}
{% block toc %}{% for year in years %}
<li><a href="#y{{ year.start|date:'Y' }}">{{ year.start|date:"Y" }}–{{ year.end|date:"Y" }}</a></li>
{% endfor %}{% endblock %}
{% block body %}{% for year in years %}
<h2 id="y{{ year.start|date:'Y' }}">{{ year.start|date:"Y" }}–{{ year.end|date:"Y" }}</h2>
{% for visit in year.visits %}
<h3>{{ visit.campus.name }}, {{ visit.date|date:"DATE_FORMAT" }}</h3>
<p>{{ visit.focus }} {{ visit.strengths }} {{ visit.instructional_alignment }}</p>
<table><thead><tr><th scope="col">Kind</th><th scope="col">Setting</th>
<th scope="col">Note and look-fors seen</th></tr></thead>
<tbody>{% for o in visit.shared %}<tr><td>{{ o.get_kind_display }}</td><td>{{ o.setting }}</td>
<td>{{ o.notes }} <span class="muted">{{ o.seen }}</span></td></tr>{% endfor %}</tbody></table>
{% if visit.items %}<p class="muted">Action items: {% for item in visit.items %}{{ item.description }}
({{ item.get_status_display }}){% if not forloop.last %}; {% endif %}{% endfor %}</p>{% endif %}
{% endfor %}{% endfor %}{% endblock %}
"""


def cohort_html(district_slug="demo", today=None):
    """The long report's HTML: the cohort (the district's visit program with the most visits)
    over the last three years, in one query per kind of record."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365 * YEARS)
    visits = Visit.objects.filter(district__slug=district_slug, date__gte=since, date__lte=today)
    program_id = (
        visits.values("program")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("program", flat=True)
        .first()
    )
    shared = Observation.objects.filter(private=False).prefetch_related("look_fors")
    visits = list(
        visits.filter(program_id=program_id)
        .select_related("campus", "program", "district")
        .prefetch_related(
            Prefetch("observations", queryset=shared.order_by("created_at"), to_attr="shared"),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.order_by("due_date", "pk"),
                to_attr="items",
            ),
        )
        .order_by("date", "pk")
    )
    for visit in visits:
        for observation in visit.shared:
            observation.seen = "; ".join(f.text for f in observation.look_fors.all())
    years = []
    for visit in visits:
        start = datetime.date(visit.date.year - (visit.date.month < 8), 8, 1)
        if not years or years[-1]["start"] != start:
            years.append({"start": start, "end": start.replace(year=start.year + 1), "visits": []})
        years[-1]["visits"].append(visit)
    context = {
        "report": {"title": "Three years of the visit cohort"},
        "district": visits[0].district,
        "program": visits[0].program,
        "visits": visits,
        "first": visits[0].date,
        "last": visits[-1].date,
        "years": years,
        "data_as_of": timezone.now(),
        "language": "en",
        "page_counter_css": page_counter_css(),
    }
    return engines["django"].from_string(TEMPLATE).render(context)


def _rss_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


@shared_task(name="bench.render_long_report", time_limit=900, soft_time_limit=840)
def render_long_report(out_path):
    """Renders the long report in this worker process and appends what it measured."""
    before = _rss_kib()
    started = time.monotonic()
    pdf, pages = html_to_pdf(cohort_html())
    row = {
        "pid": os.getpid(),
        "pages": pages,
        "pdf_kib": len(pdf) // 1024,
        "seconds": round(time.monotonic() - started, 1),
        "rss_before_mb": round(before / 1024, 1),
        "rss_after_mb": round(_rss_kib() / 1024, 1),
        # What the pool compares with CELERY_MAX_MEMORY_PER_CHILD after the task (billiard's
        # mem_rss is the process's peak resident size on Linux).
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    with open(out_path, "a") as out:
        out.write(json.dumps(row) + "\n")


def worker_memory(*, renders=2, max_memory_mb=200, timeout_s=600):
    """Starts a prefork render worker (one process, -O fair, CELERY_MAX_MEMORY_PER_CHILD at
    `max_memory_mb`), has it render the long report `renders` times one after another, and
    returns:

        {"max_memory_per_child_mb": 200,
         "renders": [{"pid", "pages", "pdf_kib", "seconds", "rss_before_mb", "rss_after_mb",
                      "peak_rss_mb", "replaced"}, ...],   # one per render, in order
         "ok": True}

    "replaced" says the pool replaced the render's process afterwards (the next render ran in
    a new process, or, after the last, the pool lists the process no more). "ok" holds when
    every render finished and every process that went past the ceiling was replaced. When a
    render does not finish in `timeout_s`, "error" says which and "ok" is False.
    """
    workdir = Path(tempfile.mkdtemp(prefix="worker-memory-"))
    out = workdir / "renders.jsonl"
    env = production_env(settings.CELERY_BROKER_URL, workdir / "media")
    env["CELERY_MAX_MEMORY_PER_CHILD"] = str(max_memory_mb * 1024)
    # A message left by an interrupted run would be one render too many.
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(QUEUE)
    worker = Process(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--include",
            "bench.worker_memory",
            "-Q",
            QUEUE,
            "-n",
            WORKER_NAME,
            "-O",
            "fair",
            "--pool=prefork",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        env,
        ROOT / "bench" / "worker-memory.log",
    )
    error, rows, last_replaced = None, [], False
    try:
        for n in range(1, renders + 1):
            render_long_report.apply_async(args=[str(out)], queue=QUEUE)
            if not _wait(lambda n=n: len(_rows(out)) >= n, timeout_s):
                error = f"render {n} did not finish in {timeout_s} s (see worker-memory.log)"
                break
        rows = _rows(out)
        if rows:
            # The pool replaces a process just after its task ends.
            last = rows[-1]["pid"]
            _wait(lambda: _pool_processes() and last not in _pool_processes(), 30)
            last_replaced = last not in _pool_processes()
    finally:
        worker.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    for row, following in itertools.pairwise(rows):
        row["replaced"] = following["pid"] != row["pid"]
    if rows:
        rows[-1]["replaced"] = last_replaced
    result = {
        "max_memory_per_child_mb": max_memory_mb,
        "renders": rows,
        "ok": error is None
        and len(rows) == renders
        and all(row["replaced"] for row in rows if row["peak_rss_mb"] > max_memory_mb),
    }
    if error:
        result["error"] = error
    return result


def _pool_processes():
    stats = app.control.inspect(destination=[WORKER_NAME], timeout=2).stats() or {}
    return stats.get(WORKER_NAME, {}).get("pool", {}).get("processes", [])


def _rows(out):
    return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []


def _wait(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()
