"""The pipeline with a real Redis broker and real Celery worker processes."""

import hashlib

from django.core.files.storage import default_storage
from django.db import transaction

from core.models import District
from dashboard.demo import seed_demo
from reports.models import Report
from reports.queue import request_report
from tests.celery_worker import wait_for


def request_board_summary():
    with transaction.atomic():
        report = request_report(
            district_id=District.objects.get(slug="demo").pk, user=None, kind="board_summary"
        )
    return report


def status_of(report):
    return Report.objects.values_list("status", flat=True).get(pk=report.pk)


def test_a_real_worker_renders_a_queued_report(transactional_db, worker):
    seed_demo(size="small")
    worker.start()
    report = request_board_summary()
    assert status_of(report) == "queued"
    wait_for(lambda: status_of(report) == "ready", timeout=90)
    report.refresh_from_db()
    with default_storage.open(report.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == report.sha256
    assert report.page_count > 0
    assert report.attempts == 1


def test_a_worker_killed_mid_render_does_not_lose_the_report(transactional_db, worker, media):
    seed_demo(size="large")
    worker.start()
    report = request_board_summary()
    wait_for(lambda: status_of(report) == "rendering", timeout=90, interval=0.01)
    worker.kill()
    assert status_of(report) == "rendering"
    worker.start()
    wait_for(lambda: status_of(report) == "ready", timeout=120)
    report.refresh_from_db()
    assert report.attempts == 2
    files = list((media / "reports" / "demo").iterdir())
    assert [f.name for f in files] == [report.file.name.rsplit("/", 1)[-1]]
    with default_storage.open(report.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == report.sha256
