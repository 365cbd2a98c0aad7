"""Reads for the public plan page: the plan as the board adopted it or a district admin last
published it, with live figures, and what waits to be published.

The page shows the published document (district_plan.documents.public_document): vision,
learner profile, adopted goals with their measures, adopted theories of action by strand. Only
the figures are live: measure values, the measures' district-wide results by student group
(small groups masked) and the count of completed action items. It never shows
drafts, proposed or retired theories, visit observations, notes on measure values, or (unless
the district allows it) staff names.
"""

import hashlib
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.charts import measure_chart
from core.history import latest_change_marker
from core.models import District
from core.wording import SOURCE, TRANSLATIONS, in_language
from district_plan.documents import document_diff, public_document, translation_count
from district_plan.models import Competency, Goal, Measure, MeasureValue, Plan, PlanSnapshot
from district_plan.selectors import measure_status, results_beyond_cabinet
from public.models import Feedback
from visits.models import ActionItem
from visits.selectors import school_year_start

SECTIONS = {
    "plan": _("The plan"),
    "competencies": _("Learner profile"),
    "goals": _("Goals"),
    "measures": _("Measures"),
    "theories": _("Theories of action"),
}

FIELDS = {
    "title": _("Title"),
    "years": _("School years"),
    "adopted on": _("Adopted on"),
    "vision": _("Vision"),
    "name": _("Name"),
    "grade band": _("Grade band"),
    "description": _("Description"),
    "goal": _("Goal"),
    "unit": _("Unit"),
    "direction": _("Direction"),
    "baseline": _("Baseline"),
    "baseline date": _("Baseline date"),
    "target": _("Target"),
    "target date": _("Target date"),
    "update cycle": _("Update cycle"),
    "strand": _("Strand"),
    "short name": _("Short name"),
    "if": _("IF"),
    "then": _("THEN"),
    "so that": _("SO THAT"),
    "owner": _("Owner"),
}

# Stored as codes so a document reads the same in either language; shown as their labels.
CHOICES = {
    "grade band": Competency.GradeBand,
    "direction": Measure.Direction,
    "update cycle": Measure.Cycle,
}


def published_district(slug):
    return get_object_or_404(District, slug=slug, plan_published=True)


def adopted_plan(district):
    """The newest adopted plan, with `public_snapshot_id`: its latest snapshot (taken when the
    board adopted it or an admin published it), or None when nothing was kept yet. None when
    the district has no adopted plan."""
    latest = (
        PlanSnapshot.objects.filter(plan=OuterRef("pk"))
        .exclude(public={})
        .order_by("-taken_at", "-pk")
        .values("pk")[:1]
    )
    return (
        Plan.objects.filter(district=district, status=Plan.Status.ADOPTED)
        .annotate(public_snapshot_id=Subquery(latest))
        .order_by("-start_year", "-pk")
        .first()
    )


def published_document(plan):
    """The document the public page shows for the plan (its latest snapshot's), or None."""
    return (
        PlanSnapshot.objects.filter(plan=plan)
        .exclude(public={})
        .order_by("-taken_at", "-pk")
        .values_list("public", flat=True)
        .first()
    )


def public_cache_key(*, district, plan, language, today):
    """A key that changes whenever anything the page shows may have changed.

    The snapshot fixes the wording; the figures move with every recorded value or completed
    action item, each of which is in the district's history, so the district's newest history
    events cover them (SQLite keeps no history: there the key never repeats); the date covers
    what time alone changes (a measure falling due for an update, "as of" today)."""
    latest = latest_change_marker(district)
    return (
        f"public-plan:{district.pk}:{language}:{today.isoformat()}:{plan.public_snapshot_id}:"
        f"{latest or 0}:{int(district.public_shows_names)}:{district.smallest_group_shown}:"
        # The language menu lists the published languages.
        f"{','.join(district.public_languages)}"
    )


def _measure(pk, data):
    # An unsaved measure carrying the published numbers, for the status and the chart.
    return Measure(
        pk=int(pk),
        name=in_language(data, "name"),
        unit=data["unit"],
        direction=data["direction"],
        baseline=Decimal(data["baseline"]),
        baseline_date=date.fromisoformat(data["baseline date"]),
        target=Decimal(data["target"]),
        target_date=date.fromisoformat(data["target date"]),
        update_cycle=data["update cycle"],
    )


def public_plan_page(*, district, document, today):
    """The page's context from a public document, with today's figures."""
    order = document["order"]
    measure_ids = [int(pk) for pks in order["measures"].values() for pk in pks]
    values = defaultdict(list)
    for value in MeasureValue.objects.filter(
        district=district, measure_id__in=measure_ids
    ).order_by("observed_on"):
        values[value.measure_id].append(value)
    # The results by student group are read live, like the measure values, rather than kept in
    # the snapshot: they are the state's figures, not wording the board adopts, and a result
    # must be masked by the district's smallest group as it is now, so raising it hides a small
    # group at once instead of at the next publishing. The snapshot still decides which
    # measures are on the page.
    measures = [
        _measure(pk, document["measures"][pk]) for pks in order["measures"].values() for pk in pks
    ]
    results = results_beyond_cabinet(district=district, measures=measures, campuses=False)
    responses = published_responses(district=district)
    goals, statuses = [], []
    for goal_pk in order["goals"]:
        goal = document["goals"][goal_pk]
        rows = []
        for measure_pk in order["measures"].get(goal_pk, []):
            measure = _measure(measure_pk, document["measures"][measure_pk])
            measure.group_results = results.get(measure.pk)
            status = measure_status(measure, values[measure.pk], today)
            chart = measure_chart(
                measure=measure,
                values=values[measure.pk],
                chart_id=f"measure-{measure.pk}",
                width=480,
                height=220,
            )
            rows.append((measure, status, chart))
            statuses.append(status)
        goals.append(
            SimpleNamespace(
                pk=int(goal_pk),
                title=in_language(goal, "title"),
                description=in_language(goal, "description"),
                chart_rows=rows,
                responses=responses.pop(int(goal_pk), []),
            )
        )
    by_band = {}
    for pk in order["competencies"]:
        competency = document["competencies"][pk]
        band = Competency.GradeBand(competency["grade band"]).label
        by_band.setdefault(band, []).append(
            SimpleNamespace(
                name=in_language(competency, "name"),
                description=in_language(competency, "description"),
            )
        )
    by_strand, strand_names = {}, {}
    for pk in order["theories"]:
        theory = document["theories"][pk]
        # A strand is named by its first theory that has its translation.
        named = strand_names.get(theory["strand"])
        if named is None or named.language == SOURCE:
            strand_names[theory["strand"]] = in_language(theory, "strand")
        by_strand.setdefault(theory["strand"], []).append(
            SimpleNamespace(
                short_name=in_language(theory, "short name"),
                if_clause=in_language(theory, "if"),
                then_clause=in_language(theory, "then"),
                so_that=in_language(theory, "so that"),
                owner=theory["owner"],
            )
        )
    plan = document["plan"]
    year_start = school_year_start(today)
    completed = ActionItem.objects.filter(
        district=district,
        status=ActionItem.Status.DONE,
        completed_on__gte=year_start,
        completed_on__lte=today,
    ).count()
    return {
        "district": district,
        "plan": SimpleNamespace(
            title=in_language(plan, "title"),
            span=plan["years"],
            adopted_on=date.fromisoformat(plan["adopted on"]) if plan["adopted on"] else None,
            vision=in_language(plan, "vision"),
        ),
        "goals": goals,
        # Responses about the whole plan, and about a goal the page does not show.
        "general_responses": sorted(
            (r for rows in responses.values() for r in rows),
            key=lambda r: (r.response_published_at, r.pk),
        ),
        "learner_profile": list(by_band.items()),
        "strands": [
            SimpleNamespace(name=strand_names[name], adopted=theories)
            for name, theories in by_strand.items()
        ],
        "show_names": district.public_shows_names,
        "smallest": district.smallest_group_shown,
        "measure_count": len(statuses),
        # "On track" and "Target met" share the ok tone; a stale measure is never counted.
        "on_track": sum(1 for status in statuses if status.tone == "ok"),
        "completed_action_items": completed,
        "year_start": year_start,
        "today": today,
    }


def translation_counts(document):
    """{language: (translated, total)}: how many texts of a published page's document have
    their wording in each language besides English; (0, 0) when nothing is published."""
    return {
        code: translation_count(document, code) if document else (0, 0) for code in TRANSLATIONS
    }


def published_translation_counts(district):
    """`translation_counts` of the page the district has published."""
    plan = adopted_plan(district)
    return translation_counts(published_document(plan) if plan is not None else None)


def incomplete_message(counts):
    """Why the Spanish page cannot be published yet, with how far the translation is."""
    translated, total = counts["es"]
    if not total:
        return gettext(
            "Publish the adopted plan first: the Spanish page can be published once the "
            "public page shows the plan with every text in Spanish."
        )
    return gettext(
        "The Spanish page can be published once every text the public page shows is in "
        "Spanish: %(translated)s of %(total)s are. Add the missing Spanish wording on the plan "
        "and theories pages, publish the changes, then choose Spanish."
    ) % {"translated": translated, "total": total}


def fingerprint(document):
    """Names one version of a document, so a publish confirms exactly what was reviewed."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _field_label(field):
    # A translation is kept as "<field> <language>" ("title es").
    english, _space, language = field.rpartition(" ")
    if language in TRANSLATIONS and english in FIELDS:
        return format_lazy(_("{field} in Spanish"), field=FIELDS[english])
    return FIELDS.get(field, field)


def _shown(field, value):
    choices = CHOICES.get(field)
    if choices is not None and value in choices.values:
        return choices(value).label
    return value


def moved_since(before, after):
    """True when items on both sides are listed in another order."""

    def ids(order):
        measures = [pk for pks in order.get("measures", {}).values() for pk in pks]
        return {
            "competencies": order.get("competencies", []),
            "goals": order.get("goals", []),
            "measures": measures,
            "theories": order.get("theories", []),
        }

    old, new = ids(before.get("order", {})), ids(after["order"])
    for name, listed in new.items():
        common = set(listed) & set(old[name])
        if [pk for pk in listed if pk in common] != [pk for pk in old[name] if pk in common]:
            return True
    return False


def pending_changes(plan, published=None):
    """What publishing the plan now would change on the public page: sections of what was
    added, removed and changed since the published document (`published`, read when not
    given), whether anything moved, and the fingerprint of the document that would be
    published."""
    if published is None:
        published = published_document(plan)
    published = published or {}
    current = public_document(plan)
    sections = [
        {
            "label": SECTIONS[section["name"]],
            "added": section["added"],
            "removed": section["removed"],
            "changed": [
                (
                    current["plan"]["title"] if section["name"] == "plan" else title,
                    [
                        (_field_label(field), _shown(field, old), _shown(field, new))
                        for field, old, new in fields
                    ],
                )
                for title, fields in section["changed"]
            ],
        }
        for section in document_diff(published, current)
    ]
    moved = moved_since(published, current)
    translated, total = translation_count(current, "es")
    return {
        # How much of what would be published is in Spanish, for a district whose Spanish page
        # is published: the texts without it will show in English.
        "spanish_after": {"translated": translated, "total": total},
        "sections": sections,
        "moved": moved,
        "pending": bool(sections) or moved,
        "ever_published": bool(published),
        "document": current,
        "fingerprint": fingerprint(current),
    }


# --- Feedback from families and the community --------------------------------------------------


def published_goals(*, district, plan):
    """The goals the public page shows, as (id, title as published), in the page's order, for
    the feedback form: only goals that still exist, so a message is never tied to a goal
    deleted since the last publishing."""
    row = (
        PlanSnapshot.objects.filter(plan=plan)
        .exclude(public={})
        .order_by("-taken_at", "-pk")
        .values_list("public__order__goals", "public__goals")
        .first()
    )
    if row is None:
        return []
    order, goals = row
    existing = set(
        Goal.objects.filter(
            district=district, plan=plan, pk__in=[int(pk) for pk in order or []]
        ).values_list("pk", flat=True)
    )
    return [
        (int(pk), in_language(goals[str(pk)], "title")) for pk in order or [] if int(pk) in existing
    ]


def published_responses(*, district):
    """The responses members chose to publish, oldest first, by goal id (None: the whole plan),
    as written, with the language they were written in."""
    by_goal = defaultdict(list)
    rows = (
        Feedback.objects.filter(district=district, response_published_at__isnull=False)
        .exclude(response="")
        .order_by("response_published_at", "pk")
        .values("pk", "goal_id", "response", "response_language", "response_published_at")
    )
    for row in rows:
        by_goal[row["goal_id"]].append(SimpleNamespace(**row))
    return dict(by_goal)


def feedback_queue(*, district, status, goal="", language=""):
    """The moderation queue's messages, newest first, with what each row shows."""
    rows = Feedback.objects.filter(district=district, status=status).select_related("goal")
    if goal == "general":
        rows = rows.filter(goal__isnull=True)
    elif goal:
        rows = rows.filter(goal_id=int(goal))
    if language:
        rows = rows.filter(language=language)
    return rows.order_by("-created_at", "-pk")


def feedback_status_counts(*, district):
    """How many messages each status holds: {status: count}, in one query."""
    counts = (
        Feedback.objects.filter(district=district)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    found = dict(counts)
    return {status: found.get(status, 0) for status in Feedback.Status.values}
