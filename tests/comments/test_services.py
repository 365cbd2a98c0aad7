"""Posting, threading and resolving comments, and who each comment tells."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership
from comments.models import BODY_LIMIT, Comment, Notification
from comments.services import (
    comment_create,
    comment_reopen,
    comment_resolve,
    notification_read,
    notifications_read_all,
)
from core.history import record_events
from tests.factories import ActionItemFactory, MembershipFactory, ProgramFactory, VisitFactory


def post(personas, user, record, body, parent=None):
    return comment_create(
        district=personas.district, user=user, record=record, body=body, parent=parent
    )


def told(user):
    return {n.comment.body: n.reason for n in Notification.objects.filter(recipient=user)}


def unread(user, district):
    return Membership.objects.get(user=user, district=district).unread_notifications


def test_a_mention_tells_the_member_and_the_owner_is_told_of_every_comment(personas, theory):
    post(personas, personas.board, theory, "@dept What does the THEN look like?")
    assert told(personas.department_lead) == {"@dept What does the THEN look like?": "mention"}
    assert told(personas.cabinet) == {"@dept What does the THEN look like?": "owner"}
    assert unread(personas.cabinet, personas.district) == 1


def test_the_author_is_never_told_of_their_own_comment(personas, theory):
    post(personas, personas.cabinet, theory, "Note to self, @cabinet: add the March data.")
    assert told(personas.cabinet) == {}
    assert Comment.objects.filter(author=personas.cabinet).count() == 1


def test_a_reply_to_a_reply_joins_its_thread_and_tells_the_thread_author(personas, theory):
    first, _ = post(personas, personas.board, theory, "Question")
    second, _ = post(personas, personas.cabinet, theory, "Answer", parent=first)
    third, _ = post(personas, personas.admin, theory, "Follow-up", parent=second)
    assert third.parent == first
    assert told(personas.board) == {"Answer": "reply", "Follow-up": "reply"}


def test_an_action_item_tells_its_assignee_and_a_campus_plan_its_campus_leaders(personas):
    from tests.factories import CampusPlanFactory

    campus = personas.district.campuses.get()
    visit = VisitFactory(program=ProgramFactory(district=personas.district), campus=campus)
    item = ActionItemFactory(visit=visit, assignee=personas.department_lead)
    post(personas, personas.visit_team, item, "Shared with the teams?")
    assert told(personas.department_lead) == {"Shared with the teams?": "owner"}
    plan = CampusPlanFactory(campus=campus)
    post(personas, personas.cabinet, plan, "Approve next week?")
    assert told(personas.campus_leader) == {"Approve next week?": "owner"}


def test_members_of_other_districts_and_switched_off_members_are_not_told(personas, theory):
    gone = MembershipFactory(district=personas.district, is_active=False).user
    _, unknown = post(
        personas, personas.board, theory, f"@outsider and @{gone.email.split('@')[0]}"
    )
    assert unknown == ["outsider", gone.email.split("@")[0]]
    assert not Notification.objects.filter(recipient__in=[personas.outsider, gone]).exists()


@pytest.mark.parametrize(
    ("body", "said"),
    [("   ", "Write a comment."), ("x" * (BODY_LIMIT + 1), "under 4000 characters")],
)
def test_an_empty_or_huge_comment_is_refused_and_nothing_is_kept(personas, theory, body, said):
    with pytest.raises(ValidationError) as refused:
        post(personas, personas.board, theory, body)
    assert said in str(refused.value)
    assert not Comment.objects.exists()


def test_a_reply_must_be_to_a_comment_on_the_same_record(personas, theory, action):
    elsewhere, _ = post(personas, personas.board, action, "On the action")
    with pytest.raises(ValidationError):
        post(personas, personas.board, theory, "Reply", parent=elsewhere)
    assert Comment.objects.count() == 1


def test_resolving_a_reply_resolves_its_thread_and_reopening_opens_it(personas, theory):
    first, _ = post(personas, personas.board, theory, "Question")
    reply, _ = post(personas, personas.cabinet, theory, "Answer", parent=first)
    comment_resolve(comment=reply, user=personas.cabinet)
    first.refresh_from_db()
    assert (first.is_resolved, first.resolved_by) == (True, personas.cabinet)
    comment_reopen(comment=first, user=personas.board)
    first.refresh_from_db()
    assert (first.is_resolved, first.resolved_by) == (False, None)


def test_comments_and_their_resolution_are_kept_in_the_history(personas, theory):
    first, _ = post(personas, personas.board, theory, "Question")
    comment_resolve(comment=first, user=personas.cabinet)
    assert [e.pgh_label for e in record_events(first).order_by("pgh_id")] == ["created", "changed"]


def test_reading_notifications_brings_the_unread_count_down(personas, theory):
    post(personas, personas.board, theory, "@cabinet one")
    post(personas, personas.board, theory, "@cabinet two")
    assert unread(personas.cabinet, personas.district) == 2
    notification_read(notification=Notification.objects.filter(recipient=personas.cabinet)[0])
    assert unread(personas.cabinet, personas.district) == 1
    notifications_read_all(
        membership=Membership.objects.get(user=personas.cabinet, district=personas.district)
    )
    assert unread(personas.cabinet, personas.district) == 0


def test_the_unread_count_is_no_change_to_the_membership_history(personas, theory):
    membership = Membership.objects.get(user=personas.cabinet, district=personas.district)
    before = record_events(membership).count()
    post(personas, personas.board, theory, "@cabinet one")
    assert unread(personas.cabinet, personas.district) == 1
    assert record_events(membership).count() == before


def test_the_district_history_names_what_a_comment_is_on_in_the_readers_language(
    as_member, personas, theory
):
    post(personas, personas.board, theory, "Pregunta")
    page = as_member(personas.cabinet).get(
        reverse("core:history", args=["lakeside"]), HTTP_ACCEPT_LANGUAGE="es-MX"
    )
    translation.activate(settings.LANGUAGE_CODE)
    text = page.content.decode()
    assert "<td>Teoría de acción</td>" in text
    assert "Theory of action" not in text
