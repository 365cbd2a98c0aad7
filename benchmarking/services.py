from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext

from benchmarking.frameworks import create_from_data, to_data
from benchmarking.models import (
    BuildingBlock,
    ConsensusRating,
    Descriptor,
    DiscoveryAnalysis,
    Evidence,
    Finding,
    Framework,
    Indicator,
    Level,
    Rating,
    Recommendation,
    ReferenceTarget,
)
from benchmarking.selectors import rated_analyses
from core.files import delete_after_commit, store_attachment
from core.history import acting_as
from core.ordering import move_in_order, next_order
from core.versioning import versioned_delete, versioned_update
from district_plan.models import Goal
from district_plan.services import part_create
from theories.services import theory_create


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
def analysis_next_round(*, district, previous, user, name, starts_on, ends_on):
    """The next round of `previous`: the same framework version, campuses, team and reference
    profile, so this round's consensus can be read against that one's."""
    if previous.district_id != district.pk:
        raise ValidationError(
            {"previous": gettext("A round follows an earlier analysis of the same district.")}
        )
    analysis = DiscoveryAnalysis(
        district=district,
        name=name,
        framework_id=previous.framework_id,
        starts_on=starts_on,
        ends_on=ends_on,
        previous=previous,
    )
    analysis.full_clean()
    analysis.save()
    analysis.campuses.set(previous.campuses.all())
    analysis.team.set(previous.team.all())
    ReferenceTarget.objects.bulk_create(
        [
            ReferenceTarget(analysis=analysis, indicator_id=indicator_id, level=level)
            for indicator_id, level in previous.targets.values_list("indicator_id", "level")
        ]
    )
    return analysis


@transaction.atomic
def consensus_record(*, analysis, user, indicator, campus, level, rationale=""):
    """Records (or changes) the team's agreed level for an indicator in one scope."""
    if indicator.building_block.framework_id != analysis.framework_id:
        raise ValidationError(
            {"indicator": gettext("That indicator belongs to another framework.")}
        )
    if campus is not None and not analysis.campuses.filter(pk=campus.pk).exists():
        raise ValidationError({"campus": gettext("That campus is not in this analysis.")})
    levels = set(analysis.framework.levels.values_list("number", flat=True))
    if level not in levels:
        raise ValidationError(
            {
                "level": gettext("Choose a level of the rubric (%(lowest)s–%(highest)s).")
                % {"lowest": min(levels), "highest": max(levels)}
            }
        )
    rating, created = ConsensusRating.objects.select_for_update().get_or_create(
        analysis=analysis,
        indicator=indicator,
        campus=campus,
        defaults={"district_id": analysis.district_id, "level": level, "rationale": rationale},
    )
    if not created:
        rating.level, rating.rationale = level, rationale
        rating.save(update_fields=["level", "rationale"])
    return rating


def _check_evidence_scope(*, analysis, campus, indicators):
    if campus is not None and not analysis.campuses.filter(pk=campus.pk).exists():
        raise ValidationError({"campus": gettext("That campus is not in this analysis.")})
    if any(i.building_block.framework_id != analysis.framework_id for i in indicators):
        raise ValidationError(
            {"indicators": gettext("Tag indicators of this analysis's framework.")}
        )


def _store_evidence_file(*, analysis, upload):
    """Saves a checked upload privately; returns (stored name, the name it was given)."""
    return store_attachment(
        Evidence._meta.get_field("file"), folder=analysis.district.slug, upload=upload
    )


def _delete_file_after_commit(name):
    delete_after_commit(Evidence._meta.get_field("file"), name)


@transaction.atomic
def evidence_add(
    *, analysis, user, kind, collected_on, summary, campus=None, indicators=(), upload=None
):
    evidence = Evidence(
        district_id=analysis.district_id,
        analysis=analysis,
        kind=kind,
        collected_on=collected_on,
        summary=summary,
        campus=campus,
        created_by=user,
    )
    _check_evidence_scope(analysis=analysis, campus=campus, indicators=indicators)
    evidence.full_clean(exclude=["file"])
    if upload is not None:
        evidence.file, evidence.file_name = _store_evidence_file(analysis=analysis, upload=upload)
    evidence.save()
    evidence.indicators.set(indicators)
    return evidence


@transaction.atomic
def evidence_update(
    *,
    evidence,
    expected_version,
    user,
    kind,
    collected_on,
    summary,
    campus=None,
    indicators=(),
    upload=None,
    remove_file=False,
):
    """Saves an edit of a piece of evidence if nobody saved it since `expected_version`
    (EditConflict otherwise). A new upload replaces the attachment, `remove_file` drops it,
    neither keeps it; a file no record points at any more is deleted once the save commits."""
    analysis = evidence.analysis
    _check_evidence_scope(analysis=analysis, campus=campus, indicators=indicators)
    data = {"kind": kind, "collected_on": collected_on, "summary": summary, "campus": campus}
    stored = None
    if upload is not None:
        stored, given = _store_evidence_file(analysis=analysis, upload=upload)
        data |= {"file": stored, "file_name": given}
    elif remove_file:
        data |= {"file": "", "file_name": ""}
    # As read with the record: had anyone replaced it since, the version check refuses this save.
    previous = evidence.file.name
    try:
        saved = versioned_update(
            instance=evidence,
            expected_version=expected_version,
            user=user,
            data=data,
            m2m={"indicators": list(indicators)},
        )
    except BaseException:
        if stored:
            Evidence._meta.get_field("file").storage.delete(stored)
        raise
    if "file" in data and previous and previous != saved.file.name:
        _delete_file_after_commit(previous)
    return saved


@transaction.atomic
def evidence_delete(*, evidence, user):
    """Deletes a piece of evidence; the ratings and findings that cited it no longer do (the
    links go with it; a rating's history shows its citation undone), and its attachment is
    deleted once the deletion commits."""
    name = evidence.file.name
    versioned_delete(instance=evidence, user=user)
    _delete_file_after_commit(name)


@transaction.atomic
def evidence_from_observations(*, analysis, user, observations):
    """Pulls visit observations in as evidence; one already pulled in is not added twice."""
    existing = set(
        Evidence.objects.filter(analysis=analysis, observation__in=observations).values_list(
            "observation_id", flat=True
        )
    )
    created = [
        Evidence(
            district_id=analysis.district_id,
            analysis=analysis,
            kind=Evidence.Kind.OBSERVATION,
            collected_on=o.visit.date,
            campus_id=o.visit.campus_id,
            summary=o.notes or o.get_kind_display(),
            observation=o,
            created_by=user,
        )
        for o in observations
        if o.pk not in existing
    ]
    return Evidence.objects.bulk_create(created)


def _check_rating(*, analysis, level, evidence):
    levels = set(analysis.framework.levels.values_list("number", flat=True))
    if level not in levels:
        raise ValidationError({"level": gettext("Choose a level of the rubric.")})
    if any(e.analysis_id != analysis.pk for e in evidence):
        raise ValidationError({"evidence": gettext("Cite evidence of this analysis.")})


@transaction.atomic
def rating_record(*, analysis, user, indicator, campus, source, level, rationale="", evidence=()):
    """One rater's level for an indicator in one scope; rating again replaces it (a new
    version of the same rating, so an edit of it open elsewhere sees the change)."""
    if indicator.building_block.framework_id != analysis.framework_id:
        raise ValidationError(
            {"indicator": gettext("That indicator belongs to another framework.")}
        )
    _check_rating(analysis=analysis, level=level, evidence=evidence)
    scope = {"analysis": analysis, "indicator": indicator, "campus": campus, "rater": user}
    existing = Rating.objects.select_for_update().filter(**scope, source=source).first()
    if existing is not None:
        return versioned_update(
            instance=existing,
            expected_version=existing.version,
            user=user,
            data={"level": level, "rationale": rationale},
            m2m={"evidence": list(evidence)},
        )
    rating = Rating.objects.create(
        **scope,
        source=source,
        district_id=analysis.district_id,
        level=level,
        rationale=rationale,
    )
    rating.evidence.set(evidence)
    return rating


@transaction.atomic
def rating_update(*, rating, expected_version, user, level, rationale="", evidence=()):
    """The rater's edit of their rating, if nobody saved it since `expected_version`
    (EditConflict otherwise). Who may make it is core.roles.may_change_rating."""
    _check_rating(analysis=rating.analysis, level=level, evidence=evidence)
    return versioned_update(
        instance=rating,
        expected_version=expected_version,
        user=user,
        data={"level": level, "rationale": rationale},
        m2m={"evidence": list(evidence)},
    )


@transaction.atomic
def finding_add(*, analysis, user, kind, text, evidence=(), indicators=()):
    if any(e.analysis_id != analysis.pk for e in evidence):
        raise ValidationError({"evidence": gettext("Cite evidence of this analysis.")})
    finding = Finding.objects.create(
        district_id=analysis.district_id, analysis=analysis, kind=kind, text=text
    )
    finding.evidence.set(evidence)
    finding.indicators.set(indicators)
    return finding


@transaction.atomic
def recommendation_add(*, analysis, user, text, priority, findings=()):
    if any(f.analysis_id != analysis.pk for f in findings):
        raise ValidationError({"findings": gettext("Answer findings of this analysis.")})
    recommendation = Recommendation.objects.create(
        district_id=analysis.district_id, analysis=analysis, text=text, priority=priority
    )
    recommendation.findings.set(findings)
    return recommendation


@transaction.atomic
def pathway_create(*, recommendation, user, plan, goal_title, strand, statements):
    """Turns a recommendation into a proposed plan goal and proposed theories of action,
    each linked back to the recommendation so the plan shows where it came from. Nothing of it
    is adopted (nor public) until the cabinet adopts it after the board agrees."""
    if (
        plan.district_id != recommendation.district_id
        or strand.district_id != recommendation.district_id
    ):
        raise ValidationError(gettext("Choose a plan and a strand of this district."))
    if not statements:
        raise ValidationError(
            {"statements": gettext("Draft at least one IF … THEN theory for the pathway.")}
        )
    goal = part_create(
        instance=Goal(
            district_id=plan.district_id,
            plan=plan,
            title=goal_title,
            origin=recommendation,
            status=Goal.Status.PROPOSED,
        ),
        user=user,
    )
    theories = [
        theory_create(
            district=plan.district,
            user=user,
            strand=strand,
            goals=[goal],
            origin=recommendation,
            status="proposed",
            **statement,
        )
        for statement in statements
    ]
    return goal, theories


@transaction.atomic
def reference_profile_update(*, analysis, user, targets):
    """Sets the target level per indicator; `targets` maps indicators to level numbers."""
    levels = set(analysis.framework.levels.values_list("number", flat=True))
    changed = 0
    for indicator, level in targets.items():
        if level not in levels:
            raise ValidationError(gettext("Choose a level of the rubric for every indicator."))
        updated = ReferenceTarget.objects.filter(analysis=analysis, indicator=indicator).exclude(
            level=level
        )
        changed += updated.update(level=level)
    return changed


class FrameworkLocked(ValidationError):
    """A framework an analysis has rated against keeps the wording and structure it was rated
    with; the message names the analyses and says to make a new version."""


def _refuse_if_locked(framework):
    if framework.built_in:
        raise ValidationError(gettext("The built-in framework cannot be changed; copy it first."))
    rated = rated_analyses(framework=framework)
    if rated:
        raise FrameworkLocked(
            gettext(
                "Nothing was changed: this framework has ratings (in %(analyses)s), so it stays "
                "as it was rated. Make a new version of it to edit."
            )
            % {"analyses": ", ".join(f"“{a.name}”" for a in rated)}
        )


@transaction.atomic
def framework_update_wording(*, framework, data, user=None):
    """Saves new wording from FrameworkEditForm's cleaned data, all or nothing."""
    _refuse_if_locked(framework)
    with acting_as(user):
        Framework.objects.filter(pk=framework.pk).update(name=data["name"])
        for level in framework.levels.all():
            Level.objects.filter(pk=level.pk).update(name=data[f"level-{level.pk}"])
        for block in framework.building_blocks.prefetch_related("indicators"):
            BuildingBlock.objects.filter(pk=block.pk).update(name=data[f"block-{block.pk}"])
            for indicator in block.indicators.all():
                Indicator.objects.filter(pk=indicator.pk).update(
                    name=data[f"indicator-{indicator.pk}"]
                )
                for level in framework.levels.all():
                    text = data[f"descriptor-{indicator.pk}-{level.pk}"].strip()
                    if text:
                        Descriptor.objects.update_or_create(
                            indicator=indicator, level=level, defaults={"text": text}
                        )
                    else:
                        Descriptor.objects.filter(indicator=indicator, level=level).delete()


@transaction.atomic
def framework_new_version(*, framework, user):
    """A copy of a district's framework to edit, as its next version: the same name, the
    next number, copied_from the one it came from. Analyses keep the version they rated.
    When a newer version copied from it has no rating yet, that one is returned instead."""
    if framework.built_in:
        raise ValidationError(gettext("The built-in framework cannot be changed; copy it first."))
    for newer in framework.copies.filter(
        district_id=framework.district_id, revision__gt=framework.revision
    ).order_by("-revision", "-pk"):
        if not rated_analyses(framework=newer):
            return newer, False
    latest = (
        Framework.objects.filter(district_id=framework.district_id, name=framework.name)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    with acting_as(user):
        copy = create_from_data(
            data=to_data(framework), district=framework.district, copied_from=framework
        )
        copy.revision = max(latest or 0, framework.revision) + 1
        copy.save(update_fields=["revision"])
    return copy, True


# The structure of a framework: levels, building blocks and indicators. Every change below is
# refused on a framework an analysis has rated (FrameworkLocked), keeps the rules a framework
# file is held to (2 to 10 levels, every block with an indicator, codes used once), and keeps
# the reference profiles of the analyses that use it (unrated) in step.

MIN_LEVELS, MAX_LEVELS = 2, 10


def _fit_targets(*, framework, renumbered=None):
    """Targets follow the level they named when levels are renumbered, and none is left
    above the top level."""
    targets = ReferenceTarget.objects.filter(analysis__framework=framework)
    for old, new in (renumbered or {}).items():
        if old != new:
            targets.filter(level=old).update(level=new + 1000)
    targets.filter(level__gt=1000).update(level=F("level") - 1000)
    top = framework.levels.aggregate(top=Max("number"))["top"] or 1
    targets.filter(level__gt=top).update(level=top)


def _renumber_levels(*, framework, ordered):
    """Gives `ordered` (every level of the framework) the numbers 1..n, returning
    {old number: new number}; two passes, as no two levels of a framework share a number."""
    renumbered = {level.number: n for n, level in enumerate(ordered, start=1)}
    Level.objects.filter(framework=framework).update(number=F("number") + 1000)
    for n, level in enumerate(ordered, start=1):
        Level.objects.filter(pk=level.pk).update(number=n)
        level.number = n
    return renumbered


@transaction.atomic
def level_create(*, framework, user, name):
    _refuse_if_locked(framework)
    levels = list(framework.levels.select_for_update().order_by("number"))
    if len(levels) >= MAX_LEVELS:
        raise ValidationError(
            {"name": gettext("A rubric has at most %(count)s levels.") % {"count": MAX_LEVELS}}
        )
    level = Level(framework=framework, number=len(levels) + 1, name=name)
    level.full_clean()
    with acting_as(user):
        level.save()
    return level


@transaction.atomic
def level_rename(*, level, user, name):
    _refuse_if_locked(level.framework)
    level.name = name
    level.full_clean()
    with acting_as(user):
        Level.objects.filter(pk=level.pk).update(name=name)
    return level


@transaction.atomic
def level_move(*, level, offset, user):
    """Moves a level up or down the rubric; its descriptors and the targets set at it follow."""
    framework = level.framework
    _refuse_if_locked(framework)
    ordered = list(framework.levels.select_for_update().order_by("number"))
    index = next(i for i, other in enumerate(ordered) if other.pk == level.pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    if target == index:
        return level
    ordered.insert(target, ordered.pop(index))
    with acting_as(user):
        renumbered = _renumber_levels(framework=framework, ordered=ordered)
        _fit_targets(framework=framework, renumbered=renumbered)
    return level


@transaction.atomic
def level_delete(*, level, user):
    """Removes a level with its descriptors; the levels above it move down one, and a target
    set at it moves to the level that takes its place (or the new top)."""
    framework = level.framework
    _refuse_if_locked(framework)
    ordered = list(framework.levels.select_for_update().order_by("number"))
    if len(ordered) <= MIN_LEVELS:
        raise ValidationError(
            gettext("A rubric needs at least %(count)s levels.") % {"count": MIN_LEVELS}
        )
    removed = level.number
    remaining = [other for other in ordered if other.pk != level.pk]
    with acting_as(user):
        level.delete()
        renumbered = _renumber_levels(framework=framework, ordered=remaining)
        renumbered[removed] = min(removed, len(remaining))
        _fit_targets(framework=framework, renumbered=renumbered)


def _check_code(*, framework, code, indicator=None):
    taken = Indicator.objects.filter(building_block__framework=framework, code__iexact=code)
    if indicator is not None:
        taken = taken.exclude(pk=indicator.pk)
    if taken.exists():
        raise ValidationError(
            {"code": gettext("Indicator code %(code)s is used already.") % {"code": code}}
        )


def _add_targets(*, framework, indicator):
    """Each analysis on the framework aims for the top level of an indicator added to it."""
    top = framework.levels.aggregate(top=Max("number"))["top"] or 1
    ReferenceTarget.objects.bulk_create(
        [
            ReferenceTarget(analysis=analysis, indicator=indicator, level=top)
            for analysis in framework.analyses.all()
        ]
    )


@transaction.atomic
def building_block_create(*, framework, user, name, indicator_code, indicator_name):
    """A new building block at the end, with its first indicator (a block has at least one)."""
    _refuse_if_locked(framework)
    _check_code(framework=framework, code=indicator_code)
    block = BuildingBlock(
        framework=framework,
        name=name,
        order=next_order(BuildingBlock.objects.filter(framework=framework)),
    )
    block.full_clean()
    indicator = Indicator(building_block=block, code=indicator_code, name=indicator_name)
    indicator.full_clean(exclude=["building_block"])
    with acting_as(user):
        block.save()
        indicator.building_block = block
        indicator.save()
        _add_targets(framework=framework, indicator=indicator)
    return block


@transaction.atomic
def building_block_rename(*, block, user, name):
    _refuse_if_locked(block.framework)
    block.name = name
    block.full_clean()
    with acting_as(user):
        BuildingBlock.objects.filter(pk=block.pk).update(name=name)
    return block


@transaction.atomic
def building_block_move(*, block, offset, user):
    _refuse_if_locked(block.framework)
    return move_in_order(
        siblings=BuildingBlock.objects.filter(framework=block.framework_id),
        item=block,
        offset=offset,
        user=user,
    )


@transaction.atomic
def building_block_delete(*, block, user):
    """Removes a building block with its indicators (their descriptors, targets and the
    evidence and finding tags on them go too)."""
    _refuse_if_locked(block.framework)
    if not BuildingBlock.objects.filter(framework=block.framework_id).exclude(pk=block.pk).exists():
        raise ValidationError(gettext("A framework needs at least one building block."))
    with acting_as(user):
        block.delete()


@transaction.atomic
def indicator_create(*, block, user, code, name):
    framework = block.framework
    _refuse_if_locked(framework)
    _check_code(framework=framework, code=code)
    indicator = Indicator(
        building_block=block,
        code=code,
        name=name,
        order=next_order(Indicator.objects.filter(building_block=block)),
    )
    indicator.full_clean()
    with acting_as(user):
        indicator.save()
        _add_targets(framework=framework, indicator=indicator)
    return indicator


@transaction.atomic
def indicator_update(*, indicator, user, code, name, building_block):
    """Renames an indicator, or moves it to the end of another building block."""
    framework = indicator.building_block.framework
    _refuse_if_locked(framework)
    if building_block.framework_id != framework.pk:
        raise ValidationError(
            {"building_block": gettext("Choose a building block of this framework.")}
        )
    _check_code(framework=framework, code=code, indicator=indicator)
    moving = building_block.pk != indicator.building_block_id
    if moving and not indicator.building_block.indicators.exclude(pk=indicator.pk).exists():
        raise ValidationError(
            {
                "building_block": gettext(
                    "This is the only indicator of its building block: add another there "
                    "first, or remove the building block."
                )
            }
        )
    indicator.code, indicator.name = code, name
    if moving:
        indicator.building_block = building_block
        indicator.order = next_order(Indicator.objects.filter(building_block=building_block))
    indicator.full_clean()
    with acting_as(user):
        indicator.save()
    return indicator


@transaction.atomic
def indicator_move(*, indicator, offset, user):
    _refuse_if_locked(indicator.building_block.framework)
    return move_in_order(
        siblings=Indicator.objects.filter(building_block=indicator.building_block_id),
        item=indicator,
        offset=offset,
        user=user,
    )


@transaction.atomic
def indicator_delete(*, indicator, user):
    """Removes an indicator with its descriptors and targets; evidence and findings tagged
    with it lose the tag."""
    _refuse_if_locked(indicator.building_block.framework)
    if (
        not Indicator.objects.filter(building_block=indicator.building_block_id)
        .exclude(pk=indicator.pk)
        .exists()
    ):
        raise ValidationError(
            gettext(
                "This is the only indicator of its building block: remove the building block "
                "instead, or add another indicator first."
            )
        )
    with acting_as(user):
        indicator.delete()
