from django.core.exceptions import ValidationError
from django.db import transaction

from benchmarking.models import ConsensusRating, DiscoveryAnalysis, Indicator, ReferenceTarget
from core.versioning import record_history


@transaction.atomic
def analysis_create(*, district, user, name, framework, starts_on, ends_on, campuses=(), team=()):
    """A Discovery Analysis with its reference profile at the top level of every indicator."""
    analysis = DiscoveryAnalysis(
        district=district, name=name, framework=framework, starts_on=starts_on, ends_on=ends_on
    )
    analysis.full_clean()
    analysis.save()
    analysis.campuses.set(campuses)
    analysis.team.set(team)
    top = framework.levels.order_by("-number").values_list("number", flat=True).first()
    ReferenceTarget.objects.bulk_create(
        [
            ReferenceTarget(analysis=analysis, indicator=indicator, level=top)
            for indicator in Indicator.objects.filter(building_block__framework=framework)
        ]
    )
    return analysis


@transaction.atomic
def consensus_record(*, analysis, user, indicator, campus, level, rationale=""):
    """Records (or changes) the team's agreed level for an indicator in one scope."""
    if indicator.building_block.framework_id != analysis.framework_id:
        raise ValidationError({"indicator": "That indicator belongs to another framework."})
    if campus is not None and not analysis.campuses.filter(pk=campus.pk).exists():
        raise ValidationError({"campus": "That campus is not in this analysis."})
    levels = set(analysis.framework.levels.values_list("number", flat=True))
    if level not in levels:
        raise ValidationError(
            {"level": f"Choose a level of the rubric ({min(levels)}–{max(levels)})."}
        )
    rating, created = ConsensusRating.objects.select_for_update().get_or_create(
        analysis=analysis,
        indicator=indicator,
        campus=campus,
        defaults={"district_id": analysis.district_id, "level": level, "rationale": rationale},
    )
    old = None if created else rating.level
    if not created:
        rating.level, rating.rationale = level, rationale
        rating.save(update_fields=["level", "rationale"])
    record_history(
        instance=rating,
        user=user,
        action="created" if created else "changed",
        changes=[{"field": "level", "label": "Consensus level", "old": old or "", "new": level}],
    )
    return rating
