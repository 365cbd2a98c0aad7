"""Reads for the district home that compose several apps."""

from django.core.cache import cache
from django.utils import timezone

from core.history import latest_change_marker
from district_plan.selectors import district_coherence
from theories.selectors import theories_with_parts

# The key moves with every change of the district and with the date, so an entry is never stale;
# the timeout only lets entries of past days go.
PLAN_HEALTH_SECONDS = 24 * 60 * 60


def plan_health(*, district, today=None):
    """How the plan stands, for the home page: whether there is a plan, how many gaps the
    coherence check finds and what share of measures and actions is up to date.

    Counting reads every theory, action and measure of the district (about 2,300 records on a
    large one) for three numbers that change only when the district's records do or the day
    turns, so they are kept in the cache under the district's newest history events and the
    date (core.history.latest_change_marker, as the public page's cache): one query when
    nothing changed."""
    today = today or timezone.localdate()
    key = f"plan-health:{district.pk}:{today.isoformat()}:{latest_change_marker(district)}"
    health = cache.get(key)
    if health is None:
        theories = theories_with_parts(district, measures=False, links=("goals",))
        found = district_coherence(district=district, theories=theories, today=today)
        health = {
            "has_plan": found["plan"] is not None,
            "gaps": len(found["coherence"]),
            "fresh_percent": found["freshness"]["percent"],
        }
        cache.set(key, health, PLAN_HEALTH_SECONDS)
    return health
