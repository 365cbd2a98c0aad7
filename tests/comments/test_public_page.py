"""Comments are the district's members' own: the public page never shows them."""

from django.urls import reverse

from comments.services import comment_create
from district_plan.models import Goal
from tests.public.conftest import published  # noqa: F401  (the published plan fixture)


def test_the_public_page_shows_the_goal_but_never_its_comments(client, personas, published):  # noqa: F811
    goal = Goal.objects.get(plan=published, title="Early literacy for every reader")
    comment_create(
        district=personas.district,
        user=personas.board,
        record=goal,
        body="Internal: the screener count looks low",
    )
    page = client.get(reverse("public:plan", args=["lakeside"])).content.decode()
    assert "Early literacy for every reader" in page
    assert "screener count looks low" not in page
    assert "open comment" not in page
