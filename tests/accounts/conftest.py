import pytest

from config.celery import app


@pytest.fixture
def tasks_in_process():
    # Queued emails run at once, here, as they do without a broker.
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
