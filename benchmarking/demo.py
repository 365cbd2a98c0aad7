"""A demo Discovery Analysis of every campus, with consensus ratings to draw the gaps from."""

import datetime
import random

from django.utils import timezone

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import (
    ConsensusRating,
    Evidence,
    Finding,
    Indicator,
    Rating,
    Recommendation,
)
from benchmarking.services import analysis_create
from core.models import Campus


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
    return analysis
