"""Every background task can be stopped and has a worker that takes it."""

import datetime
import re

import pytest
from celery import beat
from celery.schedules import maybe_schedule
from django.conf import settings

from config.celery import app
from reports import tasks
from tests.core.test_docker_compose import config
from tests.helpers import district_moment, travel_to


def app_tasks():
    app.loader.import_default_modules()
    # Celery's own tasks and those a test defines for itself are not the app's.
    return {
        name: task for name, task in app.tasks.items() if not name.startswith(("celery.", "tests."))
    }


def routed_queue(name):
    for route in app.amqp.routes:
        found = route(name)
        if found:
            return found["queue"]
    return None


def test_the_app_tasks_are_registered():
    assert {
        "reports.tasks.render_report",
        "reports.tasks.prerender_board_summaries",
        "visits.tasks.send_action_item_reminders",
    } <= set(app_tasks())


@pytest.mark.parametrize("name", sorted(app_tasks()))
def test_every_task_has_a_time_limit_below_the_redelivery_timeout(name):
    task = app.tasks[name]
    hard = task.time_limit or app.conf.task_time_limit
    soft = task.soft_time_limit or app.conf.task_soft_time_limit
    assert hard, f"{name} could run forever"
    assert soft, f"{name} is never warned before it is killed"
    assert soft < hard, f"{name} is killed before it is warned"
    # Redis hands an unacknowledged task to another worker after the visibility timeout: a task
    # allowed to run longer would run twice at once.
    assert hard < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


@pytest.mark.parametrize("name", sorted(app_tasks()))
def test_every_task_is_routed_to_a_declared_queue(name):
    queue = routed_queue(name)
    assert queue, f"{name} has no route: it would wait in a queue no worker reads"
    assert queue in {q.name for q in app.conf.task_queues}


def test_renders_and_emails_wait_in_separate_queues():
    assert routed_queue("reports.tasks.render_report") != routed_queue(
        "visits.tasks.send_action_item_reminders"
    )


def test_workers_recycle_their_processes():
    assert app.conf.worker_max_tasks_per_child
    assert app.conf.worker_max_memory_per_child


def test_docker_compose_runs_a_worker_for_each_queue_and_keeps_the_beat_schedule():
    result = config(SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    consumed = set()
    for listed in re.findall(r"-Q\s*-?\s*'?([\w,]+)", result.stdout):
        consumed |= set(listed.split(","))
    assert consumed == {q.name for q in app.conf.task_queues}
    assert re.search(r"--schedule\s*-?\s*/app/beat/", result.stdout)
    assert re.search(r"- beat:/app/beat|target: /app/beat", result.stdout)


@pytest.mark.parametrize(
    ("name", "local_time"),
    [("nightly-board-summaries", "03:00"), ("action-item-reminders", "07:00")],
)
def test_beat_runs_at_a_set_local_time_however_often_it_restarted(name, local_time):
    schedule = maybe_schedule(app.conf.beat_schedule[name]["schedule"], app=app)
    # Beat restarted mid-morning, without its schedule file.
    restarted = district_moment("2026-11-17T10:00")
    hour, minute = map(int, local_time.split(":"))
    at = district_moment("2026-11-18").replace(hour=hour, minute=minute)
    with travel_to(at - datetime.timedelta(minutes=1)):
        assert not schedule.is_due(restarted).is_due
    with travel_to(at + datetime.timedelta(minutes=1)):
        assert schedule.is_due(restarted).is_due
    # The day clocks go back an hour: still once, at the same local time.
    fall_back = district_moment("2026-11-01").replace(hour=hour, minute=minute)
    with travel_to(fall_back + datetime.timedelta(minutes=1)):
        assert schedule.is_due(fall_back - datetime.timedelta(days=1)).is_due
        assert not schedule.is_due(fall_back).is_due


def test_beat_runs_the_nightly_summaries_at_the_start_of_every_slot():
    schedule = maybe_schedule(
        app.conf.beat_schedule["nightly-board-summaries"]["schedule"], app=app
    )
    first = district_moment("2026-11-18").replace(
        hour=tasks.NIGHTLY_START.hour, minute=tasks.NIGHTLY_START.minute
    )
    last_run = first - datetime.timedelta(hours=12)
    runs = []
    for minute in range(0, 6 * 60):
        moment = first - datetime.timedelta(hours=1) + datetime.timedelta(minutes=minute)
        with travel_to(moment):
            if schedule.is_due(last_run).is_due:
                runs.append(moment)
                last_run = moment
    slot = datetime.timedelta(minutes=tasks.NIGHTLY_SLOT_MINUTES)
    assert runs == [first + n * slot for n in range(tasks.NIGHTLY_SLOTS)]


def test_everything_beat_sends_goes_to_a_queue_a_worker_reads(tmp_path):
    scheduler = beat.PersistentScheduler(
        app=app, schedule_filename=str(tmp_path / "celerybeat-schedule"), lazy=True
    )
    scheduler.setup_schedule()
    queues = {q.name for q in app.conf.task_queues}
    try:
        for entry in scheduler.schedule.values():
            assert routed_queue(entry.task) in queues, entry.task
    finally:
        scheduler.close()


@pytest.mark.parametrize("name", sorted(app_tasks()))
def test_retries_wait_less_than_the_redelivery_timeout(name):
    # Redis would hand a message held longer than the visibility timeout to a second worker.
    task = app.tasks[name]
    if getattr(task, "autoretry_for", None):
        assert task.retry_backoff
        assert (
            task.retry_backoff_max < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        )
