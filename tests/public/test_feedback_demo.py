"""The demo shows feedback in both languages, answered and waiting, and a published response."""

from django.urls import reverse

from dashboard.demo import seed_demo
from public.demo import PUBLISHED_RESPONSE
from public.models import Feedback
from tests.factories import MembershipFactory
from tests.helpers import page_queries


def test_the_demo_has_feedback_in_both_languages_and_a_published_response(client, db):
    seed_demo(size="small")
    demo = Feedback.objects.filter(district__slug="demo")
    assert set(demo.values_list("language", flat=True)) == {"en", "es"}
    assert demo.filter(status="new").exclude(email="").exists()
    assert demo.filter(status="answered", response_published_at__isnull=False).count() == 1
    page = client.get(reverse("public:plan_in", args=["demo", "es"])).text
    assert PUBLISHED_RESPONSE in page
    assert "Rosa Martínez" not in page


def test_the_queue_costs_the_same_on_the_small_and_large_demo(client, db):
    seed_demo(size="small")
    client.force_login(MembershipFactory(district__slug="demo", role="cabinet").user)
    small = page_queries(client, "/d/demo/public/feedback/")
    seed_demo(size="large")
    client.force_login(MembershipFactory(district__slug="demo", role="cabinet").user)
    large = page_queries(client, "/d/demo/public/feedback/")
    assert small == large
    assert large <= 9


def test_the_demo_town_hall_lists_the_message_it_will_answer(client, db):
    seed_demo(size="small")
    linked = Feedback.objects.get(district__slug="demo", meeting__isnull=False)
    client.force_login(MembershipFactory(district__slug="demo", role="cabinet").user)
    page = client.get(reverse("meetings:meeting", args=["demo", linked.meeting_id])).text
    assert "Spring town hall on the district plan" in page
    assert reverse("publication:feedback", args=["demo", linked.pk]) in page


def test_the_demo_has_a_departments_follow_up_for_every_campus(client, db):
    from visits.models import ActionItem

    seed_demo(size="small")
    item = ActionItem.objects.get(district__slug="demo", campus=None)
    client.force_login(MembershipFactory(district__slug="demo", role="cabinet").user)
    actions = client.get(
        reverse("actions:index", args=["demo"]) + f"?show=all&open=department-{item.department_id}"
    ).text
    assert item.description in actions
    assert "from the meeting" in actions
