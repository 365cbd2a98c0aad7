"""A report whose rendering dies (hard time limit, out of memory) ends as failed, with a sentence
the member can act on, and is not handed from worker to worker forever."""

import datetime
import importlib

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reports import tasks
from reports.tasks import (
    BROKER_DOWN,
    MAX_ATTEMPTS,
    RENDER_FAILED,
    fail_stuck_reports,
    render_report,
)
from tests.factories import ReportFactory


def url(name, *args):
    return reverse(f"reports:{name}", args=["lakeside", *args])


def rendering_since(personas, minutes):
    return ReportFactory(
        district=personas.district,
        status="rendering",
        attempts=1,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes),
    )


def test_a_report_left_rendering_is_failed_by_the_sweep_and_retried(
    as_member, personas, monkeypatch
):
    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)
    stuck = rendering_since(personas, minutes=45)
    busy = rendering_since(personas, minutes=2)

    fail_stuck_reports()

    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert busy.status == "rendering"
    assert stuck.status == "failed"
    client = as_member(personas.cabinet)
    row = client.get(url("report", stuck.pk), HTTP_HX_REQUEST="true").text
    assert "The report took too long to render and was stopped." in row
    assert "Retry" in row
    client.post(url("retry", stuck.pk))
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error, stuck.attempts) == ("queued", "", 0)


def test_the_reason_a_report_failed_is_shown_in_the_readers_language(as_member, personas):
    stuck = rendering_since(personas, minutes=45)
    fail_stuck_reports()
    client = as_member(personas.cabinet)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    row = client.get(url("report", stuck.pk), HTTP_HX_REQUEST="true").text
    assert "El informe tardó demasiado en generarse y se detuvo." in row


class WorkerKilled(BaseException):
    """What the task sees of an out-of-memory kill: it never returns."""


def test_a_report_that_kills_its_worker_is_not_redelivered_forever(personas, monkeypatch):
    renders = []

    def dies(report):
        renders.append(report.pk)
        raise WorkerKilled

    monkeypatch.setattr(tasks, "render", dies)
    report = ReportFactory(district=personas.district)
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(WorkerKilled):
            render_report(report.pk)

    assert render_report(report.pk) == "gave up"

    report.refresh_from_db()
    assert len(renders) == MAX_ATTEMPTS == report.attempts
    assert report.status == "failed"
    assert report.error.startswith("The report stopped its renderer")


def test_a_failed_render_shows_a_sentence_not_the_exception(as_member, personas, monkeypatch):
    def broken(report):
        raise ValueError("relation reports_report has no column data_as_of")

    monkeypatch.setattr(tasks, "render", broken)
    report = ReportFactory(district=personas.district)

    assert render_report(report.pk) == "failed"

    page = as_member(personas.cabinet).get(url("index")).text
    assert "The report could not be rendered." in page
    assert "ValueError" not in page
    assert "data_as_of" not in page


def test_the_sweep_runs_on_the_beat_schedule_with_a_time_limit():
    tasks_on_beat = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert fail_stuck_reports.name in tasks_on_beat
    assert fail_stuck_reports.time_limit


def test_failures_recorded_before_show_a_sentence_too(personas):
    from django.apps import apps

    migration = importlib.import_module("reports.migrations.0004_failed_report_errors_as_sentences")
    old = ReportFactory(
        district=personas.district,
        status="failed",
        error="The report could not be rendered: KeyError: 'campus'",
    )
    down = ReportFactory(district=personas.district, status="failed", error=BROKER_DOWN)

    migration.errors_as_sentences(apps, None)

    old.refresh_from_db()
    down.refresh_from_db()
    assert (old.error, down.error) == (RENDER_FAILED, BROKER_DOWN)
