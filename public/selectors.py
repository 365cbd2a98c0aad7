"""Reads for the public plan page: only what a district chose to publish, nothing else.

The page shows the adopted plan: vision, learner profile, goals with their measures, adopted
theories of action by strand and a count of completed action items. It never shows drafts,
proposed or retired theories, visit observations, notes on measure values, or (unless the
district allows it) staff names.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.history import latest_change_marker
from core.models import District
from district_plan.models import Competency, Plan
from district_plan.selectors import plan_progress
from theories.models import Strand, TheoryOfAction
from visits.models import ActionItem
from visits.selectors import school_year_start


def published_district(slug):
    return get_object_or_404(District, slug=slug, plan_published=True)


def adopted_plan(district):
    """The plan the public page shows: the newest adopted one, or 404."""
    plan = (
        Plan.objects.filter(district=district, status=Plan.Status.ADOPTED)
        .order_by("-start_year", "-pk")
        .first()
    )
    if plan is None:
        raise Http404("This district has no adopted plan.")
    return plan


def public_cache_key(*, district, plan, language, today):
    """A key that changes whenever anything the page shows may have changed.

    Every change in the district is in its history, so the time of its latest change moves
    with each edit; the plan's version and the publication settings cover the rest (and SQLite,
    which keeps no history), and the date covers what time alone changes (a measure falling due
    for an update, "as of" today)."""
    latest = latest_change_marker(district)
    return (
        f"public-plan:{district.pk}:{language}:{today.isoformat()}:{plan.pk}.{plan.version}:"
        f"{latest or 0}:{int(district.public_shows_names)}"
    )


def public_plan_page(*, district, plan, today):
    progress = plan_progress(plan=plan, today=today, chart_width=480, chart_height=220)
    by_band = {}
    for competency in Competency.objects.filter(plan=plan).order_by("order", "pk"):
        by_band.setdefault(competency.get_grade_band_display(), []).append(competency)
    adopted = TheoryOfAction.objects.filter(status=TheoryOfAction.Status.ADOPTED).order_by(
        "order", "pk"
    )
    strands = [
        strand
        for strand in Strand.objects.filter(district=district)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("theories", queryset=adopted, to_attr="adopted"))
        if strand.adopted
    ]
    statuses = [status for goal in progress["goals"] for _, status in goal.measure_rows]
    year_start = school_year_start(today)
    completed = ActionItem.objects.filter(
        district=district,
        status=ActionItem.Status.DONE,
        completed_on__gte=year_start,
        completed_on__lte=today,
    ).count()
    return {
        "district": district,
        "plan": plan,
        "goals": progress["goals"],
        "learner_profile": list(by_band.items()),
        "strands": strands,
        "show_names": district.public_shows_names,
        "measure_count": len(statuses),
        # "On track" and "Target met" share the ok tone; a stale measure is never counted.
        "on_track": sum(1 for status in statuses if status.tone == "ok"),
        "completed_action_items": completed,
        "year_start": year_start,
        "today": today,
    }
