"""Rendering runs in Celery workers, never in a web request.

`render_report` takes a report id, claims the report with a conditional update (so a second
delivery of a finished report does nothing), acknowledges late (a worker killed mid-render
leaves the message to be delivered again) and retries transient failures with backoff. Each
claim counts an attempt on the report; past `MAX_ATTEMPTS` the report is failed instead, so one
that kills its worker is not passed from worker to worker forever. `fail_stuck_reports` (on the
beat schedule) fails a report left rendering by a worker that was killed, so the member sees it
failed and can retry it.

`enqueue_render` queues a render once the report's row is saved (`transaction.on_commit`); the
members' requests go through reports.queue, the nightly summary through this module. Tasks call
reports.services, never the other way round (a contract in pyproject.toml)."""

import datetime
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.models import District
from district_plan.models import Plan
from reports import services
from reports.models import Report
from reports.rendering import render

log = logging.getLogger(__name__)

TRANSIENT = (DatabaseError, OSError)
MAX_ATTEMPTS = 3
RENDER_TIME_LIMIT = 600
# Longer than a render may run, plus the backoff before a retry claims the report again.
STUCK_AFTER = datetime.timedelta(seconds=2 * RENDER_TIME_LIMIT)
IN_PROGRESS = [Report.Status.QUEUED, Report.Status.RENDERING]

# What members read about a failed report: stored in English, shown in the reader's language;
# the exception goes to the log.
RENDER_FAILED = gettext_noop(
    "The report could not be rendered. Retry it; if it fails again, tell your district "
    "administrator."
)
TRANSIENT_FAILED = gettext_noop(
    "The report could not be rendered after several tries; retry it later."
)
STOPPED = gettext_noop(
    "The report took too long to render and was stopped. Retry it; if it stops again, tell "
    "your district administrator."
)
GAVE_UP = gettext_noop(
    "The report stopped its renderer several times, so it was not tried again. Retry it "
    "later; if it fails again, tell your district administrator."
)
BROKER_DOWN = gettext_noop(
    "The report service could not be reached, so this report was not started. "
    "Nothing was lost; retry it in a minute."
)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=RENDER_TIME_LIMIT,
    soft_time_limit=RENDER_TIME_LIMIT - 60,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=120,
    # Every run claims an attempt, so retries stay within the cap.
    max_retries=MAX_ATTEMPTS - 1,
)
def render_report(self, report_id):
    claimed = Report.objects.filter(
        pk=report_id, status__in=IN_PROGRESS, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=Report.Status.RENDERING,
        started_at=timezone.now(),
        error="",
        attempts=F("attempts") + 1,
    )
    if not claimed:
        # Still in progress here means every attempt died with its worker: stop redelivering.
        gave_up = Report.objects.filter(pk=report_id, status__in=IN_PROGRESS).update(
            status=Report.Status.FAILED, error=GAVE_UP, finished_at=timezone.now()
        )
        return "gave up" if gave_up else "nothing to do"
    report = Report.objects.select_related("district").get(pk=report_id)
    try:
        result = render(report)
    except TRANSIENT:
        if self.request.retries >= self.max_retries:
            _fail(report_id, TRANSIENT_FAILED)
        raise
    except Exception:
        log.exception("Report %s failed to render", report_id)
        _fail(report_id, RENDER_FAILED)
        return "failed"
    name = default_storage.save(
        f"reports/{report.district.slug}/{report.pk}-{result['sha256'][:12]}.pdf",
        ContentFile(result["pdf"]),
    )
    finished = Report.objects.filter(pk=report_id, status=Report.Status.RENDERING).update(
        status=Report.Status.READY,
        file=name,
        finished_at=timezone.now(),
        data_as_of=result["data_as_of"],
        duration_ms=result["duration_ms"],
        page_count=result["page_count"],
        size_bytes=result["size_bytes"],
        sha256=result["sha256"],
    )
    if not finished:
        # Another delivery finished it first; keep its file, not ours.
        default_storage.delete(name)
        return "finished elsewhere"
    return "ready"


def enqueue_render(report_id):
    """Sends a saved report to the render workers (call it from `transaction.on_commit`)."""
    try:
        render_report.delay(report_id)
    except Exception:
        # Without a broker the web keeps working; the request says why it did not start.
        log.exception("Could not enqueue report %s", report_id)
        Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
            status=Report.Status.FAILED, error=BROKER_DOWN
        )


def _fail(report_id, message):
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.READY).update(
        status=Report.Status.FAILED, error=message, finished_at=timezone.now()
    )


@shared_task(time_limit=60, soft_time_limit=50)
def fail_stuck_reports():
    """Fails reports whose worker died mid-render (hard time limit, out of memory), which
    otherwise read "Rendering" forever; the member can then retry them."""
    return Report.objects.filter(
        status=Report.Status.RENDERING, started_at__lt=timezone.now() - STUCK_AFTER
    ).update(status=Report.Status.FAILED, error=STOPPED, finished_at=timezone.now())


# Nightly summaries are spread over ten-minute slots from 03:00 to 04:50 local time (beat runs
# the task at the start of each, settings.CELERY_BEAT_SCHEDULE), each district in the slot its id
# falls in: a host of a thousand districts renders about eighty at a time instead of all at
# 03:00, so a member's own report waits behind a few. Both hours come after any daylight-saving
# change (02:00), so no slot is skipped or run twice.
NIGHTLY_START = datetime.time(3, 0)
NIGHTLY_SLOT_MINUTES = 10
NIGHTLY_SLOTS = 12


def nightly_slot(district_id):
    return district_id % NIGHTLY_SLOTS


def _nightly_slots_begun(moment):
    local = timezone.localtime(moment)
    minutes = (local.hour - NIGHTLY_START.hour) * 60 + local.minute - NIGHTLY_START.minute
    if minutes < 0:
        return 0
    return min(NIGHTLY_SLOTS, minutes // NIGHTLY_SLOT_MINUTES + 1)


@shared_task
def prerender_board_summaries():
    """Nightly, for districts that turned it on: a board summary of the adopted plan, for the
    districts whose slot has begun and that have none yet today (a run that beat missed is
    caught up by the next one; run by hand after 05:00 it makes every one still missing)."""
    today = timezone.localdate()
    made_today = Report.objects.filter(
        district_id=OuterRef("district_id"),
        kind=Report.Kind.BOARD_SUMMARY,
        requested_by__isnull=True,
        requested_at__date=today,
    )
    due = (
        Plan.objects.filter(status=Plan.Status.ADOPTED, district__nightly_board_summary=True)
        .alias(slot=F("district_id") % NIGHTLY_SLOTS)
        .filter(slot__lt=_nightly_slots_begun(timezone.now()))
        .exclude(Exists(made_today))
    )
    for district_id in due.values_list("district_id", flat=True).distinct():
        _board_summary_once_today(district_id)


@transaction.atomic
def _board_summary_once_today(district_id):
    # Beat may run this more than once a day (a restart, a second beat): the district's row lock
    # makes concurrent runs take turns, and a run finding today's nightly summary adds none.
    District.objects.select_for_update().filter(pk=district_id).first()
    made_today = Report.objects.filter(
        district_id=district_id,
        kind=Report.Kind.BOARD_SUMMARY,
        requested_by__isnull=True,
        requested_at__date=timezone.localdate(),
    )
    if not made_today.exists():
        report = services.report_request(
            district_id=district_id, user=None, kind=Report.Kind.BOARD_SUMMARY
        )
        transaction.on_commit(lambda: enqueue_render(report.pk))
