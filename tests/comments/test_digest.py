"""The digest email: what it lists, when it goes, once per period, and the member's choice."""

import datetime
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Membership
from comments.models import DigestSent
from comments.services import comment_create
from comments.tasks import send_digest, send_digests
from config.celery import app
from tests.factories import ActionItemFactory, ProgramFactory, VisitFactory
from tests.helpers import travel_to
from tests.visits.test_action_item_emails import FlakyBackend

MONDAY = datetime.date(2026, 11, 16)
TUESDAY = MONDAY + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _tasks_in_process():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def membership(user, personas, digest=None):
    found = Membership.objects.get(user=user, district=personas.district)
    if digest:
        found.digest = digest
        found.save(update_fields=["digest"])
    return found


def said_on(day, personas, record, body, user=None):
    with travel_to(f"{day.isoformat()}T10:00"):
        comment_create(
            district=personas.district, user=user or personas.board, record=record, body=body
        )


def digest_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_daily_digest_lists_yesterdays_mentions_comments_owned_and_items_due(personas, theory):
    membership(personas.cabinet, personas, "daily")
    said_on(MONDAY - datetime.timedelta(days=3), personas, theory, "@cabinet old news")
    said_on(MONDAY, personas, theory, "@cabinet please look at the March data")
    said_on(MONDAY, personas, theory, "The THEN needs a number", user=personas.admin)
    campus = personas.district.campuses.get()
    visit = VisitFactory(program=ProgramFactory(district=personas.district), campus=campus)
    ActionItemFactory(
        visit=visit, assignee=personas.cabinet, due_date=TUESDAY, description="Send the schedule"
    )
    ActionItemFactory(
        visit=visit,
        assignee=personas.cabinet,
        due_date=TUESDAY + datetime.timedelta(days=3),
        description="Later work",
    )
    with travel_to(f"{TUESDAY.isoformat()}T06:30"):
        send_digests()
    [email] = digest_to(personas.cabinet)
    mentions, rest = email.body.split("Comments on what you own", 1)
    assert "please look at the March data" in mentions
    assert "The THEN needs a number" in rest
    assert "Send the schedule" in rest
    assert "old news" not in email.body
    assert "Later work" not in email.body


def test_weekly_digests_go_on_mondays_and_cover_the_week(personas, theory):
    membership(personas.cabinet, personas, "weekly")
    said_on(MONDAY - datetime.timedelta(days=3), personas, theory, "@cabinet from Friday")
    with travel_to(f"{(MONDAY - datetime.timedelta(days=1)).isoformat()}T06:30"):
        send_digests()
    assert digest_to(personas.cabinet) == []
    with travel_to(f"{MONDAY.isoformat()}T06:30"):
        send_digests()
    [email] = digest_to(personas.cabinet)
    assert "from Friday" in email.body
    assert "week" in email.subject


def test_a_digest_is_sent_once_however_often_the_schedule_runs(personas, theory):
    member = membership(personas.cabinet, personas, "daily")
    said_on(MONDAY, personas, theory, "@cabinet once")
    with travel_to(f"{TUESDAY.isoformat()}T06:30"):
        send_digests()
        send_digests()
        assert send_digest(member.pk, "daily", TUESDAY.isoformat()) == "already sent"
    assert len(digest_to(personas.cabinet)) == 1


def test_a_failed_digest_is_not_claimed_and_goes_with_the_next_run(personas, theory, settings):
    settings.EMAIL_BACKEND = "tests.visits.test_action_item_emails.FlakyBackend"
    member = membership(personas.cabinet, personas, "daily")
    said_on(MONDAY, personas, theory, "@cabinet retry me")
    FlakyBackend.failures = 100
    try:
        with travel_to(f"{TUESDAY.isoformat()}T06:30"), pytest.raises(SMTPServerDisconnected):
            send_digest(member.pk, "daily", TUESDAY.isoformat())
        assert not DigestSent.objects.exists()
    finally:
        FlakyBackend.failures = 0
    with travel_to(f"{TUESDAY.isoformat()}T07:30"):
        send_digests()
    assert len(digest_to(personas.cabinet)) == 1


def test_only_members_who_chose_a_digest_get_one(personas, theory):
    membership(personas.cabinet, personas, "off")
    membership(personas.admin, personas, "daily")
    said_on(MONDAY, personas, theory, "@cabinet and @admin, a question")
    with travel_to(f"{TUESDAY.isoformat()}T06:30"):
        send_digests()
    assert [m.to for m in mail.outbox] == [[personas.admin.email]]


def test_the_schedule_runs_the_digests_every_morning(settings):
    [entry] = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "comments.tasks.send_digests"
    ]
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {30})
    assert settings.CELERY_TASK_ROUTES["comments.tasks.*"] == {"queue": "emails"}


def test_the_member_chooses_their_digest_on_their_account_page(as_member, personas):
    client = as_member(personas.cabinet)
    mine = membership(personas.cabinet, personas)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Digest email" in page
    assert personas.district.name in page
    response = client.post(reverse("accounts:digest"), {f"digest-{mine.pk}": "daily"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.digest == "daily"
    refused = client.post(reverse("accounts:digest"), {f"digest-{mine.pk}": "hourly"})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    mine.refresh_from_db()
    assert mine.digest == "daily"
