import heapq
from collections import defaultdict

from django.db.models import Avg, Exists, OuterRef, Q
from django.utils.formats import localize
from django.utils.translation import gettext

from benchmarking.models import (
    BuildingBlock,
    ConsensusRating,
    DiscoveryAnalysis,
    Evidence,
    Finding,
    Indicator,
    Rating,
    Recommendation,
    ReferenceTarget,
)
from core.history import history, link_events, record_events
from district_plan.selectors import alike_campuses


def gap_profile(*, analysis):
    """The heat map (campuses by building blocks, and the district row) of how far consensus
    ratings fall short of the reference profile, and the ranked list of the largest gaps.

    One pass over the ratings (thousands on a large district) sums each cell and keeps the
    positive gaps as tuples; only the twenty largest become entries."""
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
    campuses = list(analysis.campuses.order_by("name").values_list("pk", "name"))
    block_of = {pk: indicator.building_block_id for pk, indicator in indicators.items()}
    cells = defaultdict(lambda: [0, 0])  # (campus id or None, block id) -> [sum of gaps, ratings]
    positive = []
    ratings = ConsensusRating.objects.filter(analysis=analysis).values_list(
        "indicator_id", "campus_id", "campus__name", "level"
    )
    for indicator_id, campus_id, campus_name, level in ratings:
        block_id = block_of.get(indicator_id)
        if block_id is None:
            continue
        gap = targets.get(indicator_id, level) - level
        cell = cells[(campus_id, block_id)]
        cell[0] += gap
        cell[1] += 1
        if gap > 0:
            positive.append((gap, indicator_id, campus_name, level))

    def average(total, count):
        return round(total / count, 1) if count else None

    block_ids = [block.pk for block in blocks]
    district_wide = gettext("District-wide")
    rows = [
        (label, [average(*cells.get((scope_id, b), (0, 0))) for b in block_ids])
        for scope_id, label in [(None, district_wide), *campuses]
    ]
    campus_sums = {b: [0, 0] for b in block_ids}
    for (scope_id, block_id), (total, count) in cells.items():
        if scope_id is not None and block_id in campus_sums:
            campus_sums[block_id][0] += total
            campus_sums[block_id][1] += count
    rows.insert(1, (gettext("Average of campuses"), [average(*campus_sums[b]) for b in block_ids]))
    largest = heapq.nsmallest(
        20,
        positive,
        key=lambda g: (-g[0], indicators[g[1]].code, g[2] or district_wide),
    )
    ranked_gaps = [
        {
            "indicator": indicators[indicator_id],
            "scope": campus_name or district_wide,
            "level": level,
            "target": targets.get(indicator_id),
            "gap": gap,
        }
        for gap, indicator_id, campus_name, level in largest
    ]
    return {"blocks": blocks, "rows": rows, "ranked_gaps": ranked_gaps}


def rating_spread(*, analysis, indicator_id=None, campus_id=None):
    """Per indicator and scope: each rater's level, the spread between them, the district's
    self-rating beside the visiting team's, the consensus, and the previous round's. A rating backed by fewer than
    two kinds of evidence is flagged. With `indicator_id`, only that indicator's row in the
    scope of `campus_id` (None: district-wide)."""
    consensus = ConsensusRating.objects.filter(analysis=analysis)
    ratings = Rating.objects.filter(analysis=analysis)
    if indicator_id is not None:
        consensus = consensus.filter(indicator_id=indicator_id, campus_id=campus_id)
        ratings = ratings.filter(indicator_id=indicator_id, campus_id=campus_id)
    consensus = {(c.indicator_id, c.campus_id): c.level for c in consensus}
    if indicator_id is not None:
        last_round = last_round_levels(
            analysis=analysis, indicator_id=indicator_id, in_scope=True, campus_id=campus_id
        )
    else:
        last_round = last_round_levels(analysis=analysis)
    groups = defaultdict(list)
    ratings = (
        ratings.select_related("indicator", "campus", "rater")
        .prefetch_related("evidence")
        .order_by("indicator__building_block__order", "indicator__order", "campus__name", "source")
    )
    for rating in ratings:
        rating.evidence_kinds = len({e.kind for e in rating.evidence.all()})
        rating.single_source = rating.evidence_kinds < 2
        groups[(rating.indicator, rating.campus)].append(rating)
    rows = []
    district_wide = gettext("District-wide")
    for (indicator, campus), items in groups.items():
        levels = [r.level for r in items]

        def average(source, items=items):
            values = [r.level for r in items if r.source == source]
            return round(sum(values) / len(values), 1) if values else None

        rows.append(
            {
                "indicator": indicator,
                "campus_id": campus.pk if campus else None,
                "scope": campus.name if campus else district_wide,
                "ratings": items,
                "spread": max(levels) - min(levels),
                "self": average("self"),
                "team": average("team"),
                "consensus": consensus.get((indicator.pk, campus.pk if campus else None)),
                "last_round": last_round.get((indicator.code, campus.pk if campus else None)),
            }
        )
    return rows


def evidence_list(*, analysis):
    """The analysis's evidence, newest first, with what each row shows."""
    return list(
        analysis.evidence.select_related("campus")
        .prefetch_related("indicators")
        .order_by("-collected_on", "-pk")
    )


def evidence_citations(*, evidence):
    """The ratings and findings that cite a piece of evidence (what deleting it would undo)."""
    return {
        "citing_ratings": list(
            evidence.ratings.select_related("rater", "indicator", "campus").order_by(
                "indicator__building_block__order", "indicator__order", "pk"
            )
        ),
        "citing_findings": list(evidence.findings.order_by("pk")),
    }


def evidence_history_entries(*, evidence):
    """Changes to a piece of evidence, its indicator tags included."""
    return history(
        [
            record_events(evidence),
            link_events(Evidence, "indicators").filter(evidence_id=evidence.pk),
        ]
    )


def rated_analyses(*, framework):
    """The analyses with a rating (a rater's or the consensus) against this framework: while
    there is one, the framework stays as it was rated."""
    rated = Exists(Rating.objects.filter(analysis=OuterRef("pk"))) | Exists(
        ConsensusRating.objects.filter(analysis=OuterRef("pk"))
    )
    return list(DiscoveryAnalysis.objects.filter(rated, framework=framework).order_by("name"))


def campus_discovery(*, campus):
    """What the latest Discovery Analysis that rated this campus says of it, for its page, in
    four queries: per building block its average consensus level beside the district-wide one
    and the reference profile's, and the findings that cite its evidence. None when no analysis
    covers the campus."""
    analysis = (
        DiscoveryAnalysis.objects.filter(campuses=campus)
        .select_related("framework")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if analysis is None:
        return None
    blocks = {
        block.pk: {"name": block.name, "campus": None, "district": None, "target": None}
        for block in BuildingBlock.objects.filter(framework_id=analysis.framework_id).order_by(
            "order", "pk"
        )
    }
    levels = (
        ConsensusRating.objects.filter(analysis=analysis)
        .filter(Q(campus=campus) | Q(campus__isnull=True))
        .values("indicator__building_block_id", "campus_id")
        .annotate(level=Avg("level"))
    )
    for row in levels:
        scope = "district" if row["campus_id"] is None else "campus"
        blocks[row["indicator__building_block_id"]][scope] = round(row["level"], 1)
    targets = (
        ReferenceTarget.objects.filter(analysis=analysis)
        .values("indicator__building_block_id")
        .annotate(level=Avg("level"))
    )
    for row in targets:
        blocks[row["indicator__building_block_id"]]["target"] = round(row["level"], 1)
    findings = (
        Finding.objects.filter(analysis=analysis, evidence__campus=campus)
        .distinct()
        .order_by("kind", "pk")
    )
    return {"analysis": analysis, "blocks": list(blocks.values()), "findings": list(findings[:10])}


def comparable_ratings(*, analysis, campus, limit=5):
    """`campus` beside the campuses of `analysis` most like it (the plan's likeness: level,
    enrollment, student groups' shares), each with its average consensus level per building
    block rated at any of them, the levels above this campus's marked: where campuses like it
    rated higher. Three queries whatever the district's size."""
    alike = alike_campuses(campus=campus, limit=limit, among=analysis.campuses.values("pk"))
    rows = (
        ConsensusRating.objects.filter(
            analysis=analysis, campus_id__in=[campus.pk, *(c["pk"] for c in alike)]
        )
        .values(
            "campus_id",
            "indicator__building_block_id",
            "indicator__building_block__name",
            "indicator__building_block__order",
        )
        .annotate(level=Avg("level"))
    )
    levels, blocks = {}, {}
    for row in rows:
        block = row["indicator__building_block_id"]
        levels[(row["campus_id"], block)] = round(row["level"], 1)
        blocks[block] = (
            row["indicator__building_block__order"],
            block,
            row["indicator__building_block__name"],
        )
    blocks = [{"pk": pk, "name": name} for _order, pk, name in sorted(blocks.values())]
    table = []
    for item in [{"pk": campus.pk, "name": campus.name}, *alike]:
        cells = []
        for block in blocks:
            level = levels.get((item["pk"], block["pk"]))
            own = levels.get((campus.pk, block["pk"]))
            higher = item["pk"] != campus.pk and None not in (level, own) and level > own
            cells.append((level, higher))
        table.append(
            item
            | {
                "this": item["pk"] == campus.pk,
                "cells": cells,
                "higher": sum(1 for _level, higher in cells if higher),
            }
        )
    return {"campus": campus, "blocks": blocks, "rows": table}


def last_round_levels(*, analysis, indicator_id=None, in_scope=False, campus_id=None):
    """The consensus of the round `analysis` follows, by (indicator code, campus id or None
    district-wide), in one query; none when it follows no round. With `in_scope`, only the
    scope of `campus_id`; with `indicator_id`, only that indicator. Keyed by code, the levels
    still line up when the two rounds rated different versions of the framework."""
    if analysis.previous_id is None:
        return {}
    rows = ConsensusRating.objects.filter(analysis_id=analysis.previous_id)
    if in_scope:
        rows = rows.filter(campus_id=campus_id)
    if indicator_id is not None:
        rows = rows.filter(
            indicator__code__in=Indicator.objects.filter(pk=indicator_id).values("code")
        )
    return {
        (code, campus): level
        for code, campus, level in rows.values_list("indicator__code", "campus_id", "level")
    }


MINUS = "\u2212"


def _signed(number):
    if number > 0:
        return f"+{localize(number)}"
    if number < 0:
        return f"{MINUS}{localize(-number)}"
    return "0"


def _change(before, now):
    """How one indicator moved in one scope: its kind (the colour), the text that says the
    same without colour, and both levels."""
    if before is None and now is None:
        kind, text = "none", "\u2014"
    elif before is None:
        kind, text = "new", gettext("new")
    elif now is None:
        kind, text = "dropped", gettext("no longer rated")
    else:
        delta = now - before
        kind = "up" if delta > 0 else "down" if delta < 0 else "same"
        text = _signed(delta)
    return {"kind": kind, "text": text, "before": before, "now": now}


def _average_change(deltas):
    if not deltas:
        return {"kind": "none", "text": "\u2014", "compared": 0}
    average = round(sum(deltas) / len(deltas), 1)
    if average == int(average):
        average = int(average)
    kind = "up" if average > 0 else "down" if average < 0 else "same"
    return {"kind": kind, "text": _signed(average), "compared": len(deltas)}


def round_movement(*, analysis, campus=None):
    """Since the last round: how each indicator's consensus moved from the round `analysis`
    follows to this one, in the scope of `campus` (None: district-wide), beside the previous
    round's recommendations that aimed at it (through its findings' indicators) and the goals
    and theories of their improvement pathways; and, for the district and every campus, the
    average change per building block. Ten queries whatever the district's size; None when the
    analysis follows no round."""
    if analysis.previous_id is None:
        return None
    previous = DiscoveryAnalysis.objects.get(pk=analysis.previous_id)
    blocks = list(
        BuildingBlock.objects.filter(framework_id=analysis.framework_id).order_by("order", "pk")
    )
    indicators = list(
        Indicator.objects.filter(building_block__framework_id=analysis.framework_id).order_by(
            "building_block__order", "building_block_id", "order", "pk"
        )
    )
    district_wide = gettext("District-wide")
    scopes = [(None, district_wide), *analysis.campuses.order_by("name").values_list("pk", "name")]
    now = {
        (code, scope): level
        for code, scope, level in ConsensusRating.objects.filter(analysis=analysis).values_list(
            "indicator__code", "campus_id", "level"
        )
    }
    before = last_round_levels(analysis=analysis)
    chosen = campus.pk if campus else None
    deltas = defaultdict(list)  # (scope, block id) -> changes of the indicators rated twice
    rows = []
    for indicator in indicators:
        counts = {"up": 0, "down": 0, "same": 0}
        for scope, _label in scopes:
            change = _change(before.get((indicator.code, scope)), now.get((indicator.code, scope)))
            if change["kind"] in ("up", "down", "same"):
                deltas[(scope, indicator.building_block_id)].append(
                    change["now"] - change["before"]
                )
                if scope is not None:
                    counts[change["kind"]] += 1
            if scope == chosen:
                rows.append({"indicator": indicator, "change": change, "campuses": counts})
    totals = defaultdict(int)
    for row in rows:
        totals[row["change"]["kind"]] += 1
    heat = [
        {
            "scope": label,
            "campus_id": scope,
            "cells": [_average_change(deltas.get((scope, block.pk), [])) for block in blocks],
        }
        for scope, label in scopes
    ]
    aimed = defaultdict(set)
    for code, recommendation_id in Finding.objects.filter(
        analysis_id=previous.pk, recommendations__isnull=False, indicators__isnull=False
    ).values_list("indicators__code", "recommendations"):
        aimed[code].add(recommendation_id)
    recommendations = {
        r.pk: r
        for r in Recommendation.objects.filter(
            pk__in={pk for pks in aimed.values() for pk in pks}
        ).prefetch_related("goals", "theories")
    }
    for row in rows:
        row["pathways"] = sorted(
            (recommendations[pk] for pk in aimed.get(row["indicator"].code, ())),
            key=lambda r: (r.priority, r.pk),
        )
    return {
        "previous": previous,
        "blocks": blocks,
        "heat": heat,
        "indicators": rows,
        "scope": campus.name if campus else district_wide,
        "totals": dict(totals),
    }
