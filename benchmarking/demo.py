"""A demo Discovery Analysis of every campus, with consensus ratings to draw the gaps from, and
the round a year before it that it follows, so the movement since then has something to show."""

import datetime
import random

from django.utils import timezone

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import (
    ConsensusRating,
    DiscoveryAnalysis,
    Evidence,
    Finding,
    Indicator,
    Rating,
    Recommendation,
)
from benchmarking.services import analysis_create
from core.models import Campus
from district_plan.models import Goal
from theories.models import TheoryOfAction


def seed_discovery(*, district, today=None, raters=()):
    """`raters` (self-rater, team rater): two members whose own ratings of the first
    indicators sit beside the consensus on the ratings page."""
    today = today or timezone.localdate()
    rng = random.Random(5)
    framework = framework_copy(
        framework=built_in_framework(), district=district, name="Our framework"
    )
    campuses = list(Campus.objects.filter(district=district).order_by("name"))
    analysis = analysis_create(
        district=district,
        user=None,
        name="Discovery Analysis",
        framework=framework,
        starts_on=today - datetime.timedelta(days=200),
        ends_on=today - datetime.timedelta(days=60),
        campuses=campuses,
    )
    indicators = list(Indicator.objects.filter(building_block__framework=framework))
    ratings = [
        ConsensusRating(
            district=district,
            analysis=analysis,
            indicator=indicator,
            campus=None,
            level=rng.choice([2, 2, 3]),
            rationale="Agreed after the district-wide review.",
        )
        for indicator in indicators
    ]
    ratings += [
        ConsensusRating(
            district=district,
            analysis=analysis,
            indicator=indicator,
            campus=campus,
            level=rng.randint(1, 4),
        )
        for campus in campuses
        for indicator in indicators
    ]
    ConsensusRating.objects.bulk_create(ratings)
    interview = Evidence.objects.create(
        district=district,
        analysis=analysis,
        kind=Evidence.Kind.INTERVIEW,
        collected_on=analysis.starts_on,
        summary="Principal focus group on early reading supports.",
    )
    data = Evidence.objects.create(
        district=district,
        analysis=analysis,
        kind=Evidence.Kind.DATA,
        collected_on=analysis.starts_on,
        summary="Three years of K-2 screening results.",
    )
    strength = Finding.objects.create(
        district=district,
        analysis=analysis,
        kind=Finding.Kind.STRENGTH,
        text="Campus teams already meet weekly and trust each other's data.",
    )
    gap = Finding.objects.create(
        district=district,
        analysis=analysis,
        kind=Finding.Kind.GAP,
        text="Reading help starts after grade 3, when it is hardest to catch up.",
    )
    strength.evidence.set([interview])
    gap.evidence.set([interview, data])
    recommendation = Recommendation.objects.create(
        district=district,
        analysis=analysis,
        priority=Recommendation.Priority.HIGH,
        text="Screen every K-2 reader three times a year and act on the results within a week.",
    )
    recommendation.findings.set([gap])
    if raters:
        self_rater, team_rater = raters
        for indicator in indicators[:3]:
            for rater, source, level in ((self_rater, "self", 3), (team_rater, "team", 2)):
                rating = Rating.objects.create(
                    district=district,
                    analysis=analysis,
                    indicator=indicator,
                    rater=rater,
                    source=source,
                    level=level,
                    rationale="From the interviews and the screening data.",
                )
                rating.evidence.set([interview, data] if source == "team" else [interview])
    analysis.previous = _seed_first_round(
        district=district, analysis=analysis, indicators=indicators, consensus=ratings
    )
    DiscoveryAnalysis.objects.filter(pk=analysis.pk).update(previous=analysis.previous)
    return analysis


def _seed_first_round(*, district, analysis, indicators, consensus):
    """The round a year before `analysis`: mostly a level lower than now, a few cells higher
    or the same, the last building block not yet rated campus by campus; and a recommendation
    on the support students get, whose pathway is the plan's early-literacy goal."""
    rng = random.Random(11)
    year = datetime.timedelta(days=365)
    first = analysis_create(
        district=district,
        user=None,
        name="Discovery Analysis, first round",
        framework=analysis.framework,
        starts_on=analysis.starts_on - year,
        ends_on=analysis.ends_on - year,
        campuses=analysis.campuses.all(),
    )
    last_block = (
        analysis.framework.building_blocks.order_by("-order", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    before = [
        ConsensusRating(
            district=district,
            analysis=first,
            indicator=rating.indicator,
            campus=rating.campus,
            level=min(4, max(1, rating.level - rng.choice([1, 1, 1, 0, 0, -1]))),
        )
        for rating in consensus
        if rating.campus is None or rating.indicator.building_block_id != last_block
    ]
    ConsensusRating.objects.bulk_create(before)
    support = [i for i in indicators if i.code.startswith("2.")] or indicators[:2]
    finding = Finding.objects.create(
        district=district,
        analysis=first,
        kind=Finding.Kind.NEED,
        text="Intervention time differs from campus to campus and is the first thing cut.",
    )
    finding.indicators.set(support)
    recommendation = Recommendation.objects.create(
        district=district,
        analysis=first,
        priority=Recommendation.Priority.HIGH,
        text="Protect a daily intervention block on every campus and coach teachers to use it.",
    )
    recommendation.findings.set([finding])
    goals = Goal.objects.filter(district=district, title__startswith="Every student reads")
    goals.update(origin=recommendation)
    TheoryOfAction.objects.filter(district=district, goals__in=goals).update(origin=recommendation)
    return first
