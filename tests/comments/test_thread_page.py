"""A record's comments page: the thread, commenting and replying in place or with a plain
form, resolving, and who may do what."""

import pytest
from django.urls import reverse

from comments.models import Comment, Notification
from comments.services import comment_create
from tests.factories import CommentFactory, StrandFactory, TheoryFactory
from tests.helpers import page_queries

HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "comments"}


def thread_url(record, kind="theory", district="lakeside"):
    return reverse("comments:thread", args=[district, kind, record.pk])


def test_a_board_member_comments_on_a_theory_but_may_not_edit_it(as_member, personas, theory):
    client = as_member(personas.board)
    response = client.post(thread_url(theory), {"body": "How will we know it works?"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread_url(theory) + f"#comment-{comment.pk}"
    assert "How will we know it works?" in client.get(thread_url(theory)).content.decode()
    edit = client.post(reverse("theories:edit", args=["lakeside", theory.pk]), {})
    assert edit.status_code == 403


def test_an_htmx_comment_answers_with_the_thread_in_place(as_member, personas, theory):
    client = as_member(personas.cabinet)
    response = client.post(thread_url(theory), {"body": "First thoughts"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="comments">')
    assert "First thoughts" in body
    assert "Comment posted." in body


def test_a_reply_lands_under_its_thread(as_member, personas, theory):
    first = CommentFactory(record=theory, author=personas.board, body="Question")
    client = as_member(personas.cabinet)
    client.post(thread_url(theory), {"body": "Answer", "parent": first.pk})
    reply = Comment.objects.get(body="Answer")
    assert reply.parent == first
    page = client.get(thread_url(theory)).content.decode()
    thread = page[page.index(f'id="comment-{first.pk}"') :]
    assert thread.index("Question") < thread.index("Answer")


def test_an_unknown_handle_is_left_as_text_and_said_so(as_member, personas, theory):
    client = as_member(personas.board)
    response = client.post(thread_url(theory), {"body": "@nobody see this"}, follow=True)
    assert "No member goes by @nobody" in response.content.decode()
    assert not Notification.objects.filter(reason="mention").exists()


@pytest.mark.parametrize(
    ("body", "said"),
    [("", "This field is required."), ("x" * 4001, "at most 4000 characters")],
)
def test_an_empty_or_huge_comment_is_refused_next_to_the_field(
    as_member, personas, theory, body, said
):
    response = as_member(personas.board).post(thread_url(theory), {"body": body})
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not Comment.objects.exists()


def test_html_and_unicode_are_shown_as_written(as_member, personas, theory):
    client = as_member(personas.board)
    client.post(thread_url(theory), {"body": "<script>alert(1)</script> Peña 学校 🏫"})
    page = client.get(thread_url(theory)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Peña 学校 🏫" in page
    assert "<script>alert(1)" not in page


def test_a_thread_is_resolved_and_reopened(as_member, personas, theory):
    first = CommentFactory(record=theory, author=personas.board)
    client = as_member(personas.board)
    resolve = reverse("comments:resolve", args=["lakeside", first.pk])
    client.post(resolve)
    assert "Reopen thread" in client.get(thread_url(theory)).content.decode()
    client.post(resolve, {"reopen": "1"})
    first.refresh_from_db()
    assert first.resolved_at is None


def test_another_districts_record_and_an_unknown_kind_are_404(as_member, personas, theory):
    foreign = TheoryFactory(strand=StrandFactory(district=personas.other_district))
    client = as_member(personas.board)
    assert client.get(thread_url(foreign)).status_code == 404
    assert client.post(thread_url(foreign), {"body": "hi"}).status_code == 404
    assert client.get(thread_url(theory, kind="meeting")).status_code == 404
    assert as_member(personas.outsider).get(thread_url(theory)).status_code == 404
    assert not Comment.objects.exists()


def test_every_registered_kind_has_a_comments_page(as_member, personas, theory, action):
    client = as_member(personas.board)
    comment_create(district=personas.district, user=personas.board, record=action, body="On it")
    response = client.get(thread_url(action, kind="action"))
    assert "On it" in response.content.decode()
    assert f"#action-{action.pk}" in response.content.decode()


def test_the_page_costs_the_same_queries_however_long_the_thread(as_member, personas, theory):
    client = as_member(personas.cabinet)
    first = CommentFactory(record=theory, author=personas.board)
    CommentFactory(record=theory, author=personas.admin, parent=first)
    few = page_queries(client, thread_url(theory))
    for _ in range(5):
        root = CommentFactory(record=theory)
        CommentFactory(record=theory, parent=root)
    assert page_queries(client, thread_url(theory)) == few
