"""The nightly board summary: one per district per local day, however often beat runs it."""

import threading
import time

import pytest
from django.db import connection
from django.test import TestCase

from reports import services, tasks
from reports.models import Report
from reports.tasks import prerender_board_summaries
from tests.factories import PlanFactory, ReportFactory
from tests.helpers import travel_to


@pytest.fixture
def nightly(personas, monkeypatch):
    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)
    PlanFactory(district=personas.district, status="adopted", adopted_on="2025-08-01")
    personas.district.nightly_board_summary = True
    personas.district.save()
    return personas.district


def nightly_summaries():
    return Report.objects.filter(kind="board_summary", requested_by=None).count()


def test_running_the_nightly_task_twice_on_one_day_makes_one_summary(nightly):
    with travel_to("2026-11-17T03:15"):
        prerender_board_summaries()
    # Beat restarted and ran it again late that evening, already the next day in UTC.
    with travel_to("2026-11-17T23:30"):
        prerender_board_summaries()
    assert nightly_summaries() == 1
    with travel_to("2026-11-18T03:15"):
        prerender_board_summaries()
    assert nightly_summaries() == 2


def test_the_nightly_summary_is_sent_to_the_workers_once_it_is_saved(nightly, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "enqueue_render", queued.append)
    with travel_to("2026-11-17T03:15"), TestCase.captureOnCommitCallbacks() as callbacks:
        prerender_board_summaries()
    assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [Report.objects.get(kind="board_summary", requested_by=None).pk]


def test_a_summary_a_member_asked_for_does_not_replace_the_nightly_one(nightly, personas):
    with travel_to("2026-11-17T01:00"):
        ReportFactory(district=nightly, kind="board_summary", requested_by=personas.cabinet)
    with travel_to("2026-11-17T03:15"):
        prerender_board_summaries()
    assert nightly_summaries() == 1


def test_two_beats_running_the_nightly_task_at_once_make_one_summary(
    transactional_db, personas, monkeypatch
):
    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)
    PlanFactory(district=personas.district, status="adopted", adopted_on="2025-08-01")
    personas.district.nightly_board_summary = True
    personas.district.save()
    request = services.report_request

    def slow_request(**kwargs):
        time.sleep(1)
        return request(**kwargs)

    monkeypatch.setattr(services, "report_request", slow_request)

    def run():
        try:
            prerender_board_summaries()
        finally:
            connection.close()

    first = threading.Thread(target=run)
    first.start()
    time.sleep(0.3)
    run()
    first.join()
    assert nightly_summaries() == 1
