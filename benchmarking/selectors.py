from collections import defaultdict

from benchmarking.models import BuildingBlock, ConsensusRating, Indicator, ReferenceTarget


def gap_profile(*, analysis):
    """The heat map (campuses by building blocks, and the district row) of how far consensus
    ratings fall short of the reference profile, and the ranked list of the largest gaps."""
    blocks = list(
        BuildingBlock.objects.filter(framework_id=analysis.framework_id).order_by("order", "pk")
    )
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(building_block__framework_id=analysis.framework_id)
    }
    targets = dict(
        ReferenceTarget.objects.filter(analysis=analysis).values_list("indicator_id", "level")
    )
    campuses = list(analysis.campuses.order_by("name"))
    cells = defaultdict(list)
    gaps = []
    for rating in ConsensusRating.objects.filter(analysis=analysis).select_related("campus"):
        indicator = indicators.get(rating.indicator_id)
        if indicator is None:
            continue
        gap = targets.get(rating.indicator_id, rating.level) - rating.level
        cells[(rating.campus_id, indicator.building_block_id)].append(gap)
        gaps.append(
            {
                "indicator": indicator,
                "scope": rating.campus.name if rating.campus_id else "District-wide",
                "level": rating.level,
                "target": targets.get(rating.indicator_id),
                "gap": gap,
            }
        )
    rows = []
    for scope_id, label in [(None, "District-wide"), *((c.pk, c.name) for c in campuses)]:
        row = []
        for block in blocks:
            values = cells.get((scope_id, block.pk))
            row.append(round(sum(values) / len(values), 1) if values else None)
        rows.append((label, row))
    gaps.sort(key=lambda g: (-g["gap"], g["indicator"].code, g["scope"]))
    return {"blocks": blocks, "rows": rows, "ranked_gaps": [g for g in gaps if g["gap"] > 0][:20]}
