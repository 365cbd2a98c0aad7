"""A member changes or deletes their own comment; nobody else's."""

from django.urls import reverse

from comments.models import Comment, Notification
from comments.services import comment_create
from core.history import CHANGED, events_of
from tests.helpers import page_queries


def url(name, comment, district="lakeside"):
    return reverse(f"comments:{name}", args=[district, comment.pk])


def thread_url(record):
    return reverse("comments:thread", args=["lakeside", "theory", record.pk])


def post(personas, record, body, parent=None, user=None):
    return comment_create(
        district=personas.district,
        user=user or personas.board,
        record=record,
        body=body,
        parent=parent,
    )[0]


def test_the_author_fixes_a_typo_and_the_thread_says_it_was_edited(as_member, personas, theory):
    comment = post(personas, theory, "Which campusses start first?")
    client = as_member(personas.board)
    thread = client.get(thread_url(theory)).text
    assert f'href="{url("comment", comment)}"' in thread
    response = client.post(url("comment", comment), {"body": "Which campuses start first?"})
    assert response.status_code == 302
    assert response["Location"] == thread_url(theory) + f"#comment-{comment.pk}"
    page = client.get(thread_url(theory)).text
    assert "Which campuses start first?" in page
    assert "campusses" not in page
    assert "edited" in page
    [change] = [
        e for e in events_of(Comment).filter(pgh_obj_id=comment.pk) if e.pgh_label == CHANGED
    ]
    assert change.body == "Which campuses start first?"


def test_a_member_newly_mentioned_in_an_edit_is_told_once(as_member, personas, theory):
    comment = post(personas, theory, "Who leads this?")
    client = as_member(personas.board)
    handle = personas.visit_team.email.split("@")[0]
    client.post(url("comment", comment), {"body": f"Who leads this, @{handle}?"})
    client.post(url("comment", comment), {"body": f"Who leads this first, @{handle}?"})
    told = Notification.objects.filter(recipient=personas.visit_team, comment=comment)
    assert [n.reason for n in told] == ["mention"]


def test_only_the_author_changes_or_deletes_a_comment(as_member, personas, theory):
    comment = post(personas, theory, "The board's question")
    admin = as_member(personas.admin)
    assert admin.get(url("comment", comment)).status_code == 403
    assert admin.post(url("comment", comment), {"body": "Rewritten"}).status_code == 403
    assert admin.post(url("delete", comment)).status_code == 403
    assert Comment.objects.get().body == "The board's question"
    assert f'href="{url("comment", comment)}"' not in admin.get(thread_url(theory)).text
    assert as_member(personas.board).get(url("comment", comment)).status_code == 200


def test_an_empty_comment_is_refused_next_to_the_field(as_member, personas, theory):
    comment = post(personas, theory, "Keep this")
    response = as_member(personas.board).post(url("comment", comment), {"body": "   "})
    assert response.status_code == 400
    assert 'id="id_body_error"' in response.text
    assert Comment.objects.get().body == "Keep this"


def test_the_author_deletes_an_unanswered_comment_and_its_inbox_lines_go(
    as_member, personas, theory
):
    comment = post(personas, theory, f"@{personas.cabinet.full_name} a stray thought")
    personas.cabinet.memberships.get().refresh_from_db()
    assert personas.cabinet.memberships.get().unread_notifications == 1
    client = as_member(personas.board)
    assert "Delete your comment?" in client.get(url("delete", comment)).text
    response = client.post(url("delete", comment))
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert not Notification.objects.exists()
    assert personas.cabinet.memberships.get().unread_notifications == 0
    assert "a stray thought" not in client.get(thread_url(theory)).text


def test_a_comment_others_answered_stays(as_member, personas, theory):
    question = post(personas, theory, "Which campuses first?")
    post(personas, theory, "The cohort, in January.", parent=question, user=personas.cabinet)
    client = as_member(personas.board)
    assert "Others have replied to this comment" in client.get(url("delete", question)).text
    response = client.post(url("delete", question))
    assert response.status_code == 409
    assert Comment.objects.count() == 2


def test_a_member_of_another_district_gets_404(as_member, personas, theory):
    comment = post(personas, theory, "Ours")
    outsider = as_member(personas.outsider)
    assert outsider.get(url("comment", comment)).status_code == 404
    assert outsider.post(url("delete", comment)).status_code == 404
    assert outsider.get(url("comment", comment, district="hillcrest")).status_code == 404


def test_the_edit_page_costs_the_same_however_long_the_thread(as_member, personas, theory):
    comment = post(personas, theory, "First")
    client = as_member(personas.board)
    few = page_queries(client, url("comment", comment))
    for n in range(10):
        post(personas, theory, f"More {n}", parent=comment, user=personas.cabinet)
    assert page_queries(client, url("comment", comment)) == few
    assert few <= 8
