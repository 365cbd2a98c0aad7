"""A mention's email: queued when the comment is saved, sent once in the recipient's language,
retried when the mail server fails and never lost."""

import pytest
from django.core import mail
from django.urls import reverse

from comments.models import Notification
from comments.services import comment_create
from comments.tasks import send_mention_email, send_waiting_mention_emails
from config.celery import app
from tests.visits.test_action_item_emails import FlakyBackend


@pytest.fixture(autouse=True)
def _tasks_in_process():
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


def mention(personas, theory, capture, body="@dept can you check the timeline?"):
    with capture(execute=True):
        comment_create(district=personas.district, user=personas.board, record=theory, body=body)


def test_a_mention_is_emailed_once_when_the_comment_is_saved(
    personas, theory, django_capture_on_commit_callbacks
):
    mention(personas, theory, django_capture_on_commit_callbacks)
    [email] = mail.outbox
    assert email.to == [personas.department_lead.email]
    assert "mentioned you" in email.subject
    assert "can you check the timeline?" in email.body
    assert reverse("comments:thread", args=["lakeside", "theory", theory.pk]) in email.body
    send_waiting_mention_emails()
    assert send_mention_email(Notification.objects.get(reason="mention").pk) == "nothing to send"
    assert len(mail.outbox) == 1


def test_the_owner_told_in_the_inbox_gets_no_email(
    personas, theory, django_capture_on_commit_callbacks
):
    mention(personas, theory, django_capture_on_commit_callbacks, body="No mention here")
    assert Notification.objects.get(recipient=personas.cabinet).reason == "owner"
    assert mail.outbox == []


def test_the_email_is_in_the_recipients_language(
    personas, theory, django_capture_on_commit_callbacks
):
    personas.department_lead.language = "es"
    personas.department_lead.save()
    mention(personas, theory, django_capture_on_commit_callbacks)
    [email] = mail.outbox
    assert "le mencionó en un comentario" in email.subject


def test_a_failed_send_is_retried_and_then_sent_by_the_daily_run(
    personas, theory, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 100
    mention(personas, theory, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(reason="mention")
    assert notification.emailed_at is None
    assert mail.outbox == []
    flaky_mail.failures = 0
    send_waiting_mention_emails()
    send_waiting_mention_emails()
    assert [m.to for m in mail.outbox] == [[personas.department_lead.email]]
