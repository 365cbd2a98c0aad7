"""The home page's plan line (gaps and freshness) is kept in the cache until the district
changes or the day turns (dashboard.selectors.plan_health, district_plan.selectors.district_gaps).
Members sign in inside the pinned day: a session signed in months earlier has expired."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, GoalFactory, PlanFactory, TheoryFactory
from tests.helpers import page_queries, travel_to

HOME = reverse("dashboard:home", args=["lakeside"])


def gaps(page):
    """The number of gaps the home page says the plan has."""
    assert page.status_code == 200
    if "No gaps in the plan" in page.text:
        return 0
    return int(re.search(r"(\d+) gaps? in the plan</a>", page.text)[1])


@pytest.fixture
def plan(personas):
    with travel_to("2026-11-17"):
        plan = PlanFactory(
            district=personas.district,
            start_year=2026,
            end_year=2028,
            status="adopted",
            adopted_on=datetime.date(2026, 6, 1),
        )
        theory = TheoryFactory(strand__district=personas.district)
        theory.goals.add(GoalFactory(plan=plan, title="Readers by grade 3"))
    return plan


def test_the_second_visit_reads_the_counts_from_the_cache(as_member, personas, plan):
    with travel_to("2026-11-17"):
        client = as_member(personas.board)
        first = page_queries(client, HOME)
        second = page_queries(client, HOME)
        page = client.get(HOME)
    assert second < first
    # The theory has neither an action nor a measure yet.
    assert gaps(page) == 2


def test_a_change_shows_at_once(as_member, personas, plan):
    with travel_to("2026-11-17"):
        client = as_member(personas.board)
        before = gaps(client.get(HOME))
        GoalFactory(plan=plan, title="Goal without theory")
        after = gaps(client.get(HOME))
    assert after == before + 1


def test_a_new_day_counts_an_action_that_fell_due(as_member, personas, plan):
    theory = plan.goals.get().theories.get()
    with travel_to("2026-11-17"):
        ActionFactory(theory=theory, description="Train coaches", due_date="2026-11-17")
        client = as_member(personas.board)
        today = gaps(client.get(HOME))
    with travel_to("2026-11-18"):
        # Signed in again: a session does not last a day on a shared tablet.
        tomorrow = gaps(as_member(personas.board).get(HOME))
    # Today the theory lacks only a measure; tomorrow its action is past due as well.
    assert today == 1
    assert tomorrow == 2


def test_with_redis_down_the_home_plan_and_theories_pages_count_the_gaps_anyway(
    as_member, personas, plan, settings
):
    with travel_to("2026-11-17"):
        client = as_member(personas.board)
        # The configured cache, pointed where nothing listens, as while Redis restarts.
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
        }
        home = client.get(HOME)
        pages = [
            client.get(reverse(name, args=["lakeside"]))
            for name in ("plan:index", "theories:index")
        ]
    assert gaps(home) == 2
    assert [page.status_code for page in pages] == [200, 200]
    assert "Gaps in the plan" in pages[1].text
