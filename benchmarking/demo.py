"""A demo Discovery Analysis of every campus, with consensus ratings to draw the gaps from."""

import datetime
import random

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import ConsensusRating, Indicator
from benchmarking.services import analysis_create
from core.models import Campus


def seed_discovery(*, district, today=None):
    today = today or datetime.date.today()
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
    return analysis
