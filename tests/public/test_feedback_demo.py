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
