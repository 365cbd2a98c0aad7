"""Reads for the district home that compose several apps."""

from district_plan.selectors import district_gaps


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
