"""The plan page says how much feedback each goal received and how much waits for an answer."""

from django.urls import reverse

from public.models import Feedback
from public.services import feedback_answer
from tests.factories import FeedbackFactory, GoalFactory, PlanFactory
from tests.helpers import page_queries


def plan_url(plan):
    return reverse("plan:plan", args=[plan.district.slug, plan.pk])


def test_each_goal_counts_its_feedback_and_what_waits(as_member, personas):
    plan = PlanFactory(district=personas.district)
    reading = GoalFactory(plan=plan, title="Reading")
    GoalFactory(plan=plan, title="Attendance")
    first = FeedbackFactory(goal=reading)
    FeedbackFactory(goal=reading)
    FeedbackFactory(goal=reading, status=Feedback.Status.ARCHIVED)
    FeedbackFactory(goal=None, district=personas.district)
    client = as_member(personas.cabinet)
    page = client.get(plan_url(plan)).text
    assert "3 messages from families and the community" in page
    assert "2 wait for an answer" in page
    assert f"?status=new&amp;goal={reading.pk}" in page
    # The plan's body is kept between changes; an answer moves the district's marker.
    feedback_answer(
        feedback=first, expected_version=first.version, user=personas.cabinet, answer="Sí."
    )
    page = client.get(plan_url(plan)).text
    assert "3 messages from families and the community" in page
    assert "1 waits for an answer" in page


def test_a_board_member_sees_the_counts_without_the_queue(as_member, personas):
    plan = PlanFactory(district=personas.district)
    FeedbackFactory(goal=GoalFactory(plan=plan, title="Reading"))
    page = as_member(personas.board).get(plan_url(plan)).text
    assert "1 message from families and the community" in page
    assert reverse("publication:feedback_list", args=["lakeside"]) not in page


def test_the_counts_add_no_query_to_the_plan_page(as_member, personas):
    plan = PlanFactory(district=personas.district)
    goals = [GoalFactory(plan=plan) for _ in range(3)]
    client = as_member(personas.cabinet)
    without = page_queries(client, plan_url(plan))
    for goal in goals:
        for _ in range(4):
            FeedbackFactory(goal=goal)
    assert page_queries(client, plan_url(plan)) == without
