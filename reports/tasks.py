"""Rendering runs in Celery workers, never in a web request.

`render_report` takes a report id, claims the report with a conditional update (so a second
delivery of a finished report does nothing), acknowledges late (a worker killed mid-render
leaves the message to be delivered again) and retries transient failures with backoff."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from core.models import District
from district_plan.models import Plan
from reports.models import Report
from reports.rendering import render

log = logging.getLogger(__name__)

TRANSIENT = (DatabaseError, OSError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
    soft_time_limit=540,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
)
def render_report(self, report_id):
    claimed = Report.objects.filter(
        pk=report_id, status__in=[Report.Status.QUEUED, Report.Status.RENDERING]
    ).update(
        status=Report.Status.RENDERING,
        started_at=timezone.now(),
        error="",
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "nothing to do"
    report = Report.objects.select_related("district").get(pk=report_id)
    try:
        result = render(report)
    except TRANSIENT:
        if self.request.retries >= self.max_retries:
            _fail(
                report_id, "The report could not be rendered after several tries; retry it later."
            )
        raise
    except Exception as exc:
        log.exception("Report %s failed to render", report_id)
        _fail(report_id, f"The report could not be rendered: {type(exc).__name__}: {exc}"[:1000])
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


def _fail(report_id, message):
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.READY).update(
        status=Report.Status.FAILED, error=message, finished_at=timezone.now()
    )


@shared_task
def prerender_board_summaries():
    """Nightly, for districts that turned it on: a board summary of the adopted plan."""
    plans = Plan.objects.filter(status=Plan.Status.ADOPTED, district__nightly_board_summary=True)
    for district_id in plans.values_list("district_id", flat=True).distinct():
        _board_summary_once_today(district_id)


@transaction.atomic
def _board_summary_once_today(district_id):
    # reports.services enqueues this module's tasks, so it is imported here, not at the top.
    from reports.services import report_request

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
        report_request(district_id=district_id, user=None, kind=Report.Kind.BOARD_SUMMARY)
