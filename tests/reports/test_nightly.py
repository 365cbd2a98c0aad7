"""The nightly board summary: one per district per local day, however often beat runs it, each
district in its own slot of the night."""

import datetime
import threading
import time
from collections import Counter

import pytest
from django.db import connection
from django.test import TestCase

from reports import services, tasks
from reports.models import Report
from reports.tasks import NIGHTLY_SLOTS, nightly_slot, prerender_board_summaries
from tests.factories import PlanFactory, ReportFactory
from tests.helpers import district_moment, travel_to


@pytest.fixture
def nightly(personas, monkeypatch):
    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)
    PlanFactory(district=personas.district, status="adopted", adopted_on="2025-08-01")
    personas.district.nightly_board_summary = True
    personas.district.save()
    return personas.district


def nightly_summaries():
    return Report.objects.filter(kind="board_summary", requested_by=None).count()


def slot_start(district):
    start = district_moment("2026-11-17T03:00")
    return start + datetime.timedelta(minutes=10 * nightly_slot(district.pk))


def test_a_district_waits_for_its_own_slot_of_the_night(nightly):
    start = slot_start(nightly)
    with travel_to(start - datetime.timedelta(minutes=1)):
        prerender_board_summaries()
    assert nightly_summaries() == 0
    with travel_to(start):
        prerender_board_summaries()
    assert nightly_summaries() == 1


def test_nothing_is_made_before_the_night_begins(nightly):
    with travel_to("2026-11-17T02:59"):
        prerender_board_summaries()
    assert nightly_summaries() == 0


def test_a_run_beat_missed_is_caught_up_by_a_later_one(nightly):
    # Beat was down from 03:00; its first run after coming back makes the missing summary.
    with travel_to(slot_start(nightly) + datetime.timedelta(minutes=35)):
        prerender_board_summaries()
    assert nightly_summaries() == 1


def test_a_thousand_districts_are_spread_evenly_over_the_slots():
    per_slot = Counter(nightly_slot(district_id) for district_id in range(1, 1201))
    assert sorted(per_slot) == list(range(NIGHTLY_SLOTS))
    assert set(per_slot.values()) == {1200 // NIGHTLY_SLOTS}


def test_running_the_nightly_task_twice_on_one_day_makes_one_summary(nightly):
    with travel_to("2026-11-17T04:55"):
        prerender_board_summaries()
    # Beat restarted and ran it again late that evening, already the next day in UTC.
    with travel_to("2026-11-17T23:30"):
        prerender_board_summaries()
    assert nightly_summaries() == 1
    with travel_to("2026-11-18T04:55"):
        prerender_board_summaries()
    assert nightly_summaries() == 2


def test_the_nightly_summary_is_sent_to_the_workers_once_it_is_saved(nightly, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "enqueue_render", queued.append)
    with travel_to("2026-11-17T04:55"), TestCase.captureOnCommitCallbacks() as callbacks:
        prerender_board_summaries()
    assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [Report.objects.get(kind="board_summary", requested_by=None).pk]


def test_a_summary_a_member_asked_for_does_not_replace_the_nightly_one(nightly, personas):
    with travel_to("2026-11-17T01:00"):
        ReportFactory(district=nightly, kind="board_summary", requested_by=personas.cabinet)
    with travel_to("2026-11-17T04:55"):
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
    # The clock is moved for both threads: past every slot of the night.
    with travel_to("2026-11-17T04:55"):
        first.start()
        time.sleep(0.3)
        run()
        first.join()
    assert nightly_summaries() == 1
