"""The plan as plain data, kept when the board adopts it, and the differences since."""

from decimal import Decimal

from district_plan.selectors import plan_page
from theories.selectors import theories_with_parts


def _number(value):
    return format(Decimal(value).normalize(), "f") if value is not None else ""


def plan_document(plan):
    """The plan and the district's theories as plain data, for the adoption snapshot."""
    theories = theories_with_parts(plan.district, measures=False, links=("goals",))
    page = plan_page(plan=plan, theories=theories)
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
                "if": t.if_clause,
                "then": t.then_clause,
                "so that": t.so_that,
                "status": t.get_status_display(),
                "owner": t.owner,
            }
            for t in theories
        },
    }


def document_diff(before, after):
    """What changed between two plan documents, section by section."""
    sections = []
    plan_changes = [
        (field, before["plan"].get(field, ""), value)
        for field, value in after["plan"].items()
        if before["plan"].get(field, "") != value
    ]
    if plan_changes:
        sections.append(
            {"name": "plan", "added": [], "removed": [], "changed": [("Plan", plan_changes)]}
        )
    for name in ("competencies", "goals", "focus areas", "measures", "theories"):
        old, new = before.get(name, {}), after.get(name, {})
        added = [_title(new[key]) for key in new if key not in old]
        removed = [_title(old[key]) for key in old if key not in new]
        changed = []
        for key in new:
            if key in old and old[key] != new[key]:
                fields = [
                    (field, old[key].get(field, ""), value)
                    for field, value in new[key].items()
                    if old[key].get(field, "") != value
                ]
                changed.append((_title(new[key]), fields))
        if added or removed or changed:
            sections.append({"name": name, "added": added, "removed": removed, "changed": changed})
    return sections


def _title(item):
    text = item.get("title") or item.get("name") or f"IF {item.get('if', '')}"
    return text if len(text) <= 90 else text[:89] + "…"
