"""The inbox: what mentions a member or concerns what they own, its unread count in the
navigation, and marking lines read."""

from django.urls import reverse

from comments.services import comment_create
from tests.factories import NotificationFactory
from tests.helpers import page_queries

INBOX = reverse("inbox:index", args=["lakeside"])


def mention(personas, theory, body="@cabinet please look"):
    comment_create(district=personas.district, user=personas.board, record=theory, body=body)


def test_a_mention_shows_in_the_inbox_and_its_count_in_the_navigation(as_member, personas, theory):
    mention(personas, theory)
    client = as_member(personas.cabinet)
    page = client.get(reverse("plan:index", args=["lakeside"])).content.decode()
    assert "1 unread" in page
    inbox = client.get(INBOX).content.decode()
    assert "@cabinet please look" in inbox
    assert "mentioned you" in inbox
    assert reverse("comments:thread", args=["lakeside", "theory", theory.pk]) in inbox


def test_marking_a_line_read_lowers_the_count(as_member, personas, theory):
    mention(personas, theory)
    mention(personas, theory, "@cabinet again")
    client = as_member(personas.cabinet)
    line = personas.cabinet.notifications.order_by("pk").first()
    client.post(reverse("inbox:read", args=["lakeside", line.pk]))
    assert "1 unread" in client.get(INBOX).content.decode()
    client.post(INBOX)
    assert "unread" not in client.get(INBOX).content.decode().split("<main")[0]


def test_someone_elses_line_is_404(as_member, personas, theory):
    mention(personas, theory)
    line = personas.cabinet.notifications.get()
    response = as_member(personas.admin).post(reverse("inbox:read", args=["lakeside", line.pk]))
    assert response.status_code == 404
    line.refresh_from_db()
    assert line.read_at is None


def test_the_inbox_costs_the_same_queries_however_many_lines(as_member, personas, theory):
    client = as_member(personas.cabinet)
    NotificationFactory(comment__record=theory, recipient=personas.cabinet)
    few = page_queries(client, INBOX)
    for _ in range(6):
        NotificationFactory(comment__record=theory, recipient=personas.cabinet)
    assert page_queries(client, INBOX) == few
