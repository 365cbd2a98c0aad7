"""Action-item emails are sent at least once: a failed send is retried and never lost."""

import datetime
import threading
import time
from smtplib import SMTPServerDisconnected

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.core.mail import get_connection
from django.core.mail.backends import locmem
from django.db import connection
from django.utils import translation

from config.celery import app
from core.roles import Role
from tests.factories import ActionItemFactory, MembershipFactory, ProgramFactory, VisitFactory
from tests.helpers import travel_to
from visits import services
from visits.models import ActionItem
from visits.tasks import send_action_item_email, send_action_item_reminders

TODAY = datetime.date(2026, 11, 17)


class FlakyBackend(locmem.EmailBackend):
    """The test outbox behind a mail server that drops the next `failures` sends."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


@pytest.fixture(autouse=True)
def _tasks_in_process():
    # Queued emails run at once, here, as they do without a broker.
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.visits.test_action_item_emails.FlakyBackend"
    FlakyBackend.failures = 0
    yield FlakyBackend
    FlakyBackend.failures = 0


@pytest.fixture
def visit(personas):
    return VisitFactory(
        program=ProgramFactory(district=personas.district), campus=personas.district.campuses.get()
    )


def assign(visit, user, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return services.action_item_create(
            visit=visit,
            user=user,
            owner="campus",
            description="Share the walkthrough schedule",
            assignee=user,
            **fields,
        )


def sent_to(user, subject_word=""):
    return [m for m in mail.outbox if m.to == [user.email] and subject_word in m.subject]


def test_each_email_is_sent_once_however_often_the_tasks_run(personas, visit):
    assignee = personas.department_lead
    soon = ActionItemFactory(
        visit=visit, assignee=assignee, due_date=TODAY + datetime.timedelta(days=3)
    )
    late = ActionItemFactory(
        visit=visit, assignee=assignee, due_date=TODAY - datetime.timedelta(days=1)
    )
    send_action_item_email(soon.pk, "assigned")
    send_action_item_email(soon.pk, "assigned")
    send_action_item_reminders()
    send_action_item_reminders()
    sent = sorted((m.subject, m.body.split("\n\n")[1]) for m in mail.outbox)
    assert sent == sorted(
        [
            ("An action item is assigned to you", late.description),
            ("An action item is assigned to you", soon.description),
            ("An action item is due soon", soon.description),
            ("An action item is overdue", late.description),
        ]
    )


def test_a_failed_send_releases_its_claim_and_retries_with_backoff(personas, visit, flaky_mail):
    item = ActionItemFactory(visit=visit, assignee=personas.department_lead)
    flaky_mail.failures = 2
    countdowns = []
    # As a worker runs it: each failure releases the claim and asks for a later retry.
    for retries in range(3):
        try:
            send_action_item_email.apply(args=(item.pk, "assigned"), retries=retries, throw=True)
        except Retry as retry:
            countdowns.append(retry.when)
            assert ActionItem.objects.get(pk=item.pk).assigned_notified_at is None
    assert countdowns == [30, 60]
    send_action_item_reminders()
    assert len(sent_to(personas.department_lead, "assigned")) == 1
    assert ActionItem.objects.get(pk=item.pk).assigned_notified_at is not None


def test_an_email_that_failed_every_retry_goes_with_the_next_daily_run(
    personas, visit, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 100
    item = assign(visit, personas.campus_leader, django_capture_on_commit_callbacks)
    assert ActionItem.objects.filter(pk=item.pk).exists()
    assert not mail.outbox
    flaky_mail.failures = 0
    send_action_item_reminders()
    assert len(sent_to(personas.campus_leader, "assigned")) == 1


def test_a_failed_reminder_is_sent_by_the_next_run(personas, visit, flaky_mail):
    ActionItemFactory(
        visit=visit,
        assignee=personas.department_lead,
        due_date=TODAY - datetime.timedelta(days=1),
        assigned_notified_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )
    flaky_mail.failures = 100
    send_action_item_reminders()
    flaky_mail.failures = 0
    send_action_item_reminders()
    send_action_item_reminders()
    assert len(sent_to(personas.department_lead, "overdue")) == 1


def test_the_due_soon_reminder_catches_every_item_due_within_three_days(personas, visit):
    def due_in(days, **fields):
        fields.setdefault("description", f"Due in {days} days")
        return ActionItemFactory(
            visit=visit,
            assignee=personas.department_lead,
            due_date=TODAY + datetime.timedelta(days=days),
            **fields,
        )

    for days in range(5):
        due_in(days)
    due_in(
        1, description="Reminded already", due_soon_notified_at=datetime.datetime.now(datetime.UTC)
    )
    due_in(2, description="Finished", status="done")
    send_action_item_reminders()
    send_action_item_reminders()
    reminded = sorted(
        m.body.split("\n\n")[1]
        for m in mail.outbox
        if "due" in m.subject and "overdue" not in m.subject
    )
    assert reminded == ["Due in 0 days", "Due in 1 days", "Due in 2 days", "Due in 3 days"]


def test_a_reassigned_item_notifies_its_new_assignee(
    personas, visit, django_capture_on_commit_callbacks
):
    first = personas.campus_leader
    item = assign(
        visit,
        first,
        django_capture_on_commit_callbacks,
        due_date=TODAY + datetime.timedelta(days=3),
    )
    send_action_item_reminders()
    assert len(sent_to(first)) == 2
    newcomer = MembershipFactory(
        district=personas.district, role=Role.VISIT_TEAM, user__email="newcomer@lakeside.test"
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        services.action_item_update(
            item=item,
            expected_version=ActionItem.objects.get(pk=item.pk).version,
            user=personas.cabinet,
            data={"assignee": newcomer},
        )
    assert len(sent_to(newcomer, "assigned")) == 1
    send_action_item_reminders()
    assert len(sent_to(newcomer, "due")) == 1
    assert len(sent_to(first)) == 2


def test_an_smtp_server_that_hangs_fails_the_send_before_the_task_is_stopped():
    assert settings.EMAIL_TIMEOUT
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert smtp.timeout == settings.EMAIL_TIMEOUT
    for name, task in app.tasks.items():
        if name.startswith("visits.tasks."):
            soft = task.soft_time_limit or app.conf.task_soft_time_limit
            assert soft > settings.EMAIL_TIMEOUT, name


class SlowBackend(locmem.EmailBackend):
    """The test outbox behind a mail server that takes a second to accept a message."""

    def send_messages(self, messages):
        time.sleep(1)
        return super().send_messages(messages)


def test_two_workers_sending_one_email_at_once_send_it_once(transactional_db, personas, settings):
    settings.EMAIL_BACKEND = "tests.visits.test_action_item_emails.SlowBackend"
    item = ActionItemFactory(
        visit=VisitFactory(
            program=ProgramFactory(district=personas.district),
            campus=personas.district.campuses.get(),
        ),
        assignee=personas.department_lead,
    )

    def send():
        try:
            send_action_item_email(item.pk, "assigned")
        finally:
            connection.close()

    first = threading.Thread(target=send)
    first.start()
    time.sleep(0.3)
    send()
    first.join()
    assert len(sent_to(personas.department_lead, "assigned")) == 1


def test_an_email_is_written_in_the_language_its_recipient_chose(personas, visit, client):
    reader = personas.department_lead
    client.force_login(reader)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    item = ActionItemFactory(visit=visit, assignee=reader, due_date=datetime.date(2026, 12, 1))
    # Sent by a worker, where no request says which language to use.
    send_action_item_email(item.pk, "assigned")
    (email,) = sent_to(reader)
    assert email.subject == "Se le asignó una acción de seguimiento"
    assert "Escuela:" in email.body
    assert "1 de diciembre de 2026" in email.body
    assert "Campus" not in email.body


def test_an_email_to_someone_who_never_chose_a_language_is_in_english(personas, visit):
    item = ActionItemFactory(visit=visit, assignee=personas.department_lead)
    with translation.override("es"):
        send_action_item_email(item.pk, "assigned")
    (email,) = sent_to(personas.department_lead)
    assert email.subject == "An action item is assigned to you"
    assert "Campus:" in email.body
