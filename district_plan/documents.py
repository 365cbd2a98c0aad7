"""The plan as plain data, kept when the board adopts it, and the differences since."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from district_plan import hooks
from district_plan.models import CampusPlan, CampusStrategy, Competency, Goal, Measure
from district_plan.selectors import plan_page


def _number(value):
    return format(Decimal(value).normalize(), "f") if value is not None else ""


def plan_document(plan):
    """The plan and the district's theories as plain data, for the adoption snapshot."""
    theories = hooks.plan_theories.ask(district=plan.district)
    page = plan_page(plan=plan)
    return {
        "plan": {
            "title": plan.title,
            "years": plan.span,
            "status": plan.get_status_display(),
            "vision": plan.vision,
        },
        "competencies": {
            str(c.pk): {"name": c.name, "grade band": c.grade_band, "description": c.description}
            for c in page["competencies"]
        },
        "goals": {
            str(g.pk): {"title": g.title, "description": g.description} for g in page["goals"]
        },
        "focus areas": {
            str(f.pk): {
                "name": f.name,
                "objective": f.objective,
                "anticipated benefit": f.anticipated_benefit,
                "strategies": "; ".join(s.description for s in f.strategies.all()),
            }
            for f in page["focus_areas"]
        },
        "measures": {
            str(m.pk): {
                "name": m.name,
                "baseline": _number(m.baseline),
                "target": _number(m.target),
                "target date": m.target_date.isoformat(),
                "unit": m.unit,
            }
            for m in [m for g in page["goals"] for m in g.measure_list]
            + [m for t in theories for m in t.measure_list]
        },
        "theories": {
            str(t.pk): {
                "strand": t.strand.name,
                # Only when there is one, so a theory without a name reads as it always did.
                **({"short name": t.short_name} if t.short_name else {}),
                "if": t.if_clause,
                "then": t.then_clause,
                "so that": t.so_that,
                "status": t.get_status_display(),
                "owner": t.owner,
            }
            for t in theories
        },
    }


def _spanish(**texts):
    """The Spanish wording as the document keeps it ("<field> es"), only where there is one, so
    a plan without translations publishes the same document as before they existed."""
    return {f"{field.replace('_', ' ')} es": text for field, text in texts.items() if text}


def public_document(plan, page=None):
    """What the public page shows of the plan, as plain data: the learner profile, the adopted
    goals with their measures and the district's adopted theories of action, each text with its
    Spanish wording when there is one. `page` (selectors.plan_page) saves reading the plan's
    parts again where they are already read.

    Sections are keyed by id, as in `plan_document`, so `document_diff` compares two of them;
    "order" lists the ids in the order the page shows them (JSON objects keep no order)."""
    if page is None:
        competencies = list(Competency.objects.filter(plan=plan).order_by("order", "pk"))
        goals = list(
            Goal.objects.filter(plan=plan, status=Goal.Status.ADOPTED).order_by("order", "pk")
        )
        measures = list(
            Measure.objects.filter(goal__in=goals).select_related("goal").order_by("order", "pk")
        )
    else:
        competencies = page["competencies"]
        goals = [goal for goal in page["goals"] if goal.status == Goal.Status.ADOPTED]
        measures = [measure for goal in goals for measure in goal.measure_list]
        for goal in goals:
            for measure in goal.measure_list:
                measure.goal = goal
    theories = hooks.adopted_theories.ask(district=plan.district_id)
    measure_order = {str(goal.pk): [] for goal in goals}
    for measure in measures:
        measure_order[str(measure.goal_id)].append(str(measure.pk))
    return {
        "plan": {
            "title": plan.title,
            "years": plan.span,
            "adopted on": plan.adopted_on.isoformat() if plan.adopted_on else "",
            "vision": plan.vision,
            **_spanish(title=plan.title_es, vision=plan.vision_es),
        },
        "competencies": {
            str(c.pk): {
                "name": c.name,
                "grade band": c.grade_band,
                "description": c.description,
                **_spanish(name=c.name_es, description=c.description_es),
            }
            for c in competencies
        },
        "goals": {
            str(g.pk): {
                "title": g.title,
                "description": g.description,
                **_spanish(title=g.title_es, description=g.description_es),
            }
            for g in goals
        },
        "measures": {
            str(m.pk): {
                "goal": m.goal.title,
                "name": m.name,
                "unit": m.unit,
                "direction": m.direction,
                "baseline": _number(m.baseline),
                "baseline date": m.baseline_date.isoformat(),
                "target": _number(m.target),
                "target date": m.target_date.isoformat(),
                "update cycle": m.update_cycle,
                **_spanish(name=m.name_es),
            }
            for m in measures
        },
        "theories": {
            str(t.pk): {
                "strand": t.strand.name,
                # Only when there is one, so a theory without a name reads as it always did.
                **({"short name": t.short_name} if t.short_name else {}),
                "if": t.if_clause,
                "then": t.then_clause,
                "so that": t.so_that,
                "owner": t.owner,
                **_spanish(
                    strand=t.strand.name_es,
                    short_name=t.short_name_es if t.short_name else "",
                    **{"if": t.if_clause_es, "then": t.then_clause_es, "so_that": t.so_that_es},
                ),
            }
            for t in theories
        },
        "order": {
            "competencies": [str(c.pk) for c in competencies],
            "goals": [str(g.pk) for g in goals],
            "measures": measure_order,
            "theories": [str(t.pk) for t in theories],
        },
    }


# The texts of a public document a reader sees in their language, by section: the rest are
# numbers, dates, codes and names of people.
TRANSLATED_TEXTS = {
    "plan": ("title", "vision"),
    "competencies": ("name", "description"),
    "goals": ("title", "description"),
    "measures": ("name",),
    "theories": ("short name", "if", "then", "so that"),
}


def translation_count(document, language):
    """(translated, total): how many of the texts the public page shows (written in English)
    have their wording in `language`. A strand counts once, however many theories it holds."""
    pairs = [
        (document["plan"].get(field, ""), document["plan"].get(f"{field} {language}", ""))
        for field in TRANSLATED_TEXTS["plan"]
    ]
    for section, fields in TRANSLATED_TEXTS.items():
        if section == "plan":
            continue
        for item in document.get(section, {}).values():
            pairs += [
                (item.get(field, ""), item.get(f"{field} {language}", "")) for field in fields
            ]
    strands = {}
    for theory in document.get("theories", {}).values():
        strands[theory["strand"]] = strands.get(theory["strand"]) or theory.get(
            f"strand {language}", ""
        )
    pairs += list(strands.items())
    written = [(english, translated) for english, translated in pairs if english.strip()]
    return sum(1 for _english, translated in written if translated.strip()), len(written)


def campus_plan_document(campus_plan):
    """The campus plan as plain data, for the approval snapshot; sections keyed by id, as in
    `plan_document`, so `document_diff` compares two of them."""
    plan = (
        CampusPlan.objects.prefetch_related(
            "theories__strand",
            "goals__district_goal",
            "goals__objectives__measure",
            "strategies__theory",
        )
        .select_related("campus")
        .get(pk=campus_plan.pk)
    )
    goals = list(plan.goals.all())
    return {
        "plan": {
            "title": str(plan),
            "years": plan.span,
            # Codes, named in the reader's language when compared (labelled).
            "status": plan.status,
            "focus": plan.summary,
        },
        "goals": {
            str(g.pk): {
                "title": g.title,
                "description": g.description,
                "district goal": g.district_goal.title if g.district_goal else "",
            }
            for g in goals
        },
        "objectives": {
            str(o.pk): {
                "title": o.description,
                "goal": g.title,
                "measure": o.measure.name if o.measure else "",
                "baseline": _number(o.baseline),
                "target": _number(o.target),
            }
            for g in goals
            for o in g.objectives.all()
        },
        "theories": {
            str(t.pk): {
                "strand": t.strand.name,
                **({"short name": t.short_name} if t.short_name else {}),
                "if": t.if_clause,
                "then": t.then_clause,
                "so that": t.so_that,
            }
            for t in plan.theories.all()
        },
        "strategies": {
            str(s.pk): {
                "title": s.description,
                "theory": s.theory.label if s.theory else "",
                "owner": s.owner,
                "status": s.status,
                "projected result": s.projected_result,
            }
            for s in plan.strategies.all()
        },
    }


# The plan document's field names as the compare page shows them.
FIELD_LABELS = {
    "title": _("Title"),
    "years": _("School years"),
    "status": _("Status"),
    "vision": _("Vision"),
    "name": _("Name"),
    "grade band": _("Grade band"),
    "description": _("Description"),
    "objective": _("Objective"),
    "anticipated benefit": _("Anticipated benefit"),
    "strategies": _("Strategies"),
    "baseline": _("Baseline"),
    "target": _("Target"),
    "target date": _("Target date"),
    "unit": _("Unit"),
    "strand": _("Strand"),
    "if": _("IF"),
    "then": _("THEN"),
    "so that": _("SO THAT"),
    "owner": _("Owner"),
    "focus": _("Focus"),
    "district goal": _("District goal"),
    "goal": _("Goal"),
    "measure": _("Measure"),
    "theory": _("Theory of action"),
    "projected result": _("Projected result"),
}

# The documents' section names as the compare pages show them.
SECTION_LABELS = {
    "plan": _("Plan"),
    "competencies": _("Learner profile"),
    "goals": _("Goals"),
    "focus areas": _("Focus areas"),
    "measures": _("Measures"),
    "theories": _("Theories of action"),
    "objectives": _("Performance objectives"),
    "strategies": _("Strategies"),
}

PLAN_SECTIONS = ("competencies", "goals", "focus areas", "measures", "theories")
CAMPUS_PLAN_SECTIONS = ("goals", "objectives", "theories", "strategies")


# A campus plan document keeps its statuses as codes, so a comparison reads in any language.
STATUS_LABELS = {**dict(CampusPlan.Status.choices), **dict(CampusStrategy.Status.choices)}


def _value(field, value):
    return STATUS_LABELS.get(value, value) if field == "status" else value


def labelled(sections):
    """`document_diff` with each changed field, and each status, named in the reader's
    language."""
    return [
        {
            **section,
            "label": SECTION_LABELS.get(section["name"], section["name"]),
            "changed": [
                (
                    title,
                    [
                        (FIELD_LABELS.get(field, field), _value(field, old), _value(field, new))
                        for field, old, new in fields
                    ],
                )
                for title, fields in section["changed"]
            ],
        }
        for section in sections
    ]


def document_diff(before, after, names=PLAN_SECTIONS):
    """What changed between two plan (or campus plan) documents, section by section."""
    sections = []
    before_plan = before.get("plan", {})
    plan_changes = [
        (field, before_plan.get(field, ""), value)
        for field, value in after["plan"].items()
        if before_plan.get(field, "") != value
    ]
    if plan_changes:
        sections.append(
            {"name": "plan", "added": [], "removed": [], "changed": [("Plan", plan_changes)]}
        )
    for name in names:
        old, new = before.get(name, {}), after.get(name, {})
        added = [_title(new[key]) for key in new if key not in old]
        removed = [_title(old[key]) for key in old if key not in new]
        changed = []
        for key in new:
            if key in old and old[key] != new[key]:
                # Fields only written when set (a theory's short name) can appear or go.
                fields = [
                    (field, old[key].get(field, ""), new[key].get(field, ""))
                    for field in dict.fromkeys([*new[key], *old[key]])
                    if old[key].get(field, "") != new[key].get(field, "")
                ]
                changed.append((_title(new[key]), fields))
        if added or removed or changed:
            sections.append({"name": name, "added": added, "removed": removed, "changed": changed})
    return sections


def _title(item):
    text = (
        item.get("title")
        or item.get("name")
        or item.get("short name")
        or f"IF {item.get('if', '')}"
    )
    return text if len(text) <= 90 else text[:89] + "…"
