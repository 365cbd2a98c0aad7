import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

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


EVIDENCE_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def check_evidence_file(upload):
    """The file's type by its name, checked against what its first bytes say it is."""
    name = upload.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(
            {"file": gettext("Attach a PDF, an image (PNG, JPEG) or an Office document.")}
        )
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": gettext("Files up to 10 MB can be attached.")})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(EVIDENCE_TYPES[extension]):
        raise ValidationError(
            {
                "file": gettext("This file is not the %(kind)s its name says.")
                % {"kind": extension[1:].upper()}
            }
        )
    return extension


def _check_evidence_scope(*, analysis, campus, indicators):
    if campus is not None and not analysis.campuses.filter(pk=campus.pk).exists():
        raise ValidationError({"campus": gettext("That campus is not in this analysis.")})
    if any(i.building_block.framework_id != analysis.framework_id for i in indicators):
        raise ValidationError(
            {"indicators": gettext("Tag indicators of this analysis's framework.")}
        )


def _store_evidence_file(*, analysis, upload):
    """Saves a checked upload privately; returns (stored name, the name it was given)."""
    extension = check_evidence_file(upload)
    field = Evidence._meta.get_field("file")
    name = field.generate_filename(None, f"{analysis.district.slug}/{uuid.uuid4().hex}{extension}")
    return field.storage.save(name, upload), upload.name[:200]


def _delete_file_after_commit(name):
    if name:
        storage = Evidence._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


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
    links go with it, each in the history of its rating or finding), and its attachment is
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


@transaction.atomic
def framework_update_wording(*, framework, data):
    """Saves new wording from FrameworkEditForm's cleaned data, all or nothing."""
    if framework.built_in:
        raise ValidationError(gettext("The built-in framework cannot be changed; copy it first."))
    Framework.objects.filter(pk=framework.pk).update(name=data["name"])
    for level in framework.levels.all():
        Level.objects.filter(pk=level.pk).update(name=data[f"level-{level.pk}"])
    for block in framework.building_blocks.prefetch_related("indicators"):
        BuildingBlock.objects.filter(pk=block.pk).update(name=data[f"block-{block.pk}"])
        for indicator in block.indicators.all():
            Indicator.objects.filter(pk=indicator.pk).update(name=data[f"indicator-{indicator.pk}"])
            for level in framework.levels.all():
                text = data[f"descriptor-{indicator.pk}-{level.pk}"].strip()
                if text:
                    Descriptor.objects.update_or_create(
                        indicator=indicator, level=level, defaults={"text": text}
                    )
                else:
                    Descriptor.objects.filter(indicator=indicator, level=level).delete()
