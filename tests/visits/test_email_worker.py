"""With a real broker, a reminder does not wait behind a PDF render."""

import pytest
from django.db import transaction

from dashboard.demo import seed_demo
from reports.models import Report
from reports.queue import request_report
from tests.celery_worker import Worker, wait_for
from visits.models import ActionItem
from visits.tasks import queue_action_item_email


@pytest.fixture
def emails_worker(media, tmp_path):
    from config.celery import app

    app.control.purge()
    started = Worker(media, tmp_path / "worker.log", queues=["emails"])
    yield started
    started.stop()
    app.control.purge()


def test_an_email_goes_while_every_render_waits(transactional_db, emails_worker):
    seed_demo(size="small")
    item = ActionItem.objects.filter(assignee__isnull=False).first()
    ActionItem.objects.filter(pk=item.pk).update(status="open", assigned_notified_at=None)
    with transaction.atomic():
        reports = [
            request_report(district_id=item.district_id, user=None, kind="board_summary")
            for _ in range(3)
        ]
    emails_worker.start()
    queue_action_item_email(item.pk, "assigned")
    wait_for(
        lambda: ActionItem.objects.get(pk=item.pk).assigned_notified_at is not None, timeout=60
    )
    assert set(
        Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True)
    ) == {"queued"}
