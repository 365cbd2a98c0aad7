"""Reads for the district home that compose several apps."""

from django.utils import timezone

from core.roles import Capability, can
from dashboard.scorecard import scorecard
from district_plan.selectors import current_plan, district_gaps, plans_for_district


def plan_health(*, district, today=None):
    """How the plan stands, for the home page: whether there is a plan, how many gaps the
    coherence panel counts and what share of measures and actions is up to date; the same
    numbers as the theories page's panel, from the same cache (district_gaps)."""
    gaps = district_gaps(district=district, today=today)
    return {
        "has_plan": gaps.has_plan,
        "gaps": gaps.total,
        "fresh_percent": gaps.freshness["percent"],
    }


# The home page shows the first goals only; the scorecard page has them all.
HOME_SCORECARD_GOALS = 6


def home_scorecard(*, district, membership, today=None):
    """The current plan's scorecard, compact: its counts, freshness and first goals; None
    without a plan."""
    plan = current_plan(plans_for_district(district))
    if plan is None:
        return None
    card = scorecard(
        district=district,
        plan=plan,
        today=today or timezone.localdate(),
        sees_small=can(membership, Capability.EDIT_PLAN),
        # No filter menus on the home page: their choices are not read.
        options={},
    )
    return {"card": card, "rows": card.rows[:HOME_SCORECARD_GOALS]}
