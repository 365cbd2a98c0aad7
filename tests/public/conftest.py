import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from district_plan.documents import public_document
from district_plan.services import plan_adopt
from public.selectors import fingerprint
from public.services import plan_publish
from tests.factories import (
    ActionItemFactory,
    CompetencyFactory,
    GoalFactory,
    MeasureFactory,
    MeasureValueFactory,
    PlanFactory,
    StrandFactory,
    TheoryFactory,
)


@pytest.fixture(autouse=True)
def _own_cache(settings, request):
    # Each test starts with an empty cache of its own, so a cached page never leaks between tests.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


@pytest.fixture
def publish_now():
    """What a district admin does after reviewing the changes: publish the plan as it is."""

    def publish(plan, user):
        plan_publish(plan=plan, user=user, reviewed=fingerprint(public_document(plan)))

    return publish


@pytest.fixture
def published(personas):
    """Lakeside's adopted plan, published, with one of each thing the public page shows."""
    district = personas.district
    district.plan_published = True
    # Its Spanish page too, though nothing is translated: English texts there are marked as
    # English (the completeness check is the publishing service's, tested on its own).
    district.public_translations = ["es"]
    district.save()
    plan = PlanFactory(
        district=district,
        title="Lakeside Forward 2025–2028",
        start_year=2025,
        end_year=2028,
        status="adopted",
        adopted_on=datetime.date(2025, 8, 12),
        vision="Every Lakeside student reads with joy by third grade.",
    )
    CompetencyFactory(plan=plan, name="Curious problem solver", grade_band="3-5")
    goal = GoalFactory(plan=plan, title="Early literacy for every reader")
    measure = MeasureFactory(
        goal=goal,
        name="Third graders reading on grade level",
        baseline=Decimal("40"),
        target=Decimal("80"),
    )
    MeasureValueFactory(
        measure=measure, value=Decimal("52.5"), note="Spring screener, Mrs. Alvarez's count"
    )
    strand = StrandFactory(district=district, name="Teaching and learning")
    TheoryFactory(
        strand=strand,
        status="adopted",
        if_clause="coaches model small-group reading daily",
        then_clause="teachers use small groups every day",
        owner="Dana Whitfield",
    )
    TheoryFactory(strand=strand, status="proposed", if_clause="we pilot a secret new program")
    TheoryFactory(strand=strand, status="retired", if_clause="we buy the old workbooks again")
    today = timezone.localdate()
    for _ in range(3):
        ActionItemFactory(
            visit__program__district=district,
            status="done",
            completed_on=today,
            description="Share the reading walk notes with Room 12",
        )
    # The board adopts it: the plan as adopted is what the public page shows.
    return plan_adopt(
        plan=plan, expected_version=plan.version, user=personas.admin, adopted_on=plan.adopted_on
    )
