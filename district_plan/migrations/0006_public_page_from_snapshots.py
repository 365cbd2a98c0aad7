"""Until now the public page showed the live plan. So that no published page goes dark, the
latest snapshot of each adopted plan is given the public document of the plan as it stands
now, which is what families were reading. A copy of documents.public_document as of this
migration, on the historical models."""

from decimal import Decimal

from django.db import migrations


def _number(value):
    return format(Decimal(value).normalize(), "f")


def document(plan, apps):
    Competency = apps.get_model("district_plan", "Competency")
    Goal = apps.get_model("district_plan", "Goal")
    Measure = apps.get_model("district_plan", "Measure")
    TheoryOfAction = apps.get_model("theories", "TheoryOfAction")
    competencies = list(Competency.objects.filter(plan=plan).order_by("order", "pk"))
    goals = list(Goal.objects.filter(plan=plan, status="adopted").order_by("order", "pk"))
    measures = list(
        Measure.objects.filter(goal__in=goals).select_related("goal").order_by("order", "pk")
    )
    theories = list(
        TheoryOfAction.objects.filter(district_id=plan.district_id, status="adopted")
        .select_related("strand")
        .order_by("strand__order", "strand__pk", "order", "pk")
    )
    measure_order = {str(goal.pk): [] for goal in goals}
    for measure in measures:
        measure_order[str(measure.goal_id)].append(str(measure.pk))
    return {
        "plan": {
            "title": plan.title,
            "years": f"{plan.start_year}–{str(plan.end_year + 1)[-2:]}",
            "adopted on": plan.adopted_on.isoformat() if plan.adopted_on else "",
            "vision": plan.vision,
        },
        "competencies": {
            str(c.pk): {"name": c.name, "grade band": c.grade_band, "description": c.description}
            for c in competencies
        },
        "goals": {str(g.pk): {"title": g.title, "description": g.description} for g in goals},
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
            }
            for m in measures
        },
        "theories": {
            str(t.pk): {
                "strand": t.strand.name,
                "if": t.if_clause,
                "then": t.then_clause,
                "so that": t.so_that,
                "owner": t.owner,
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


def forwards(apps, schema_editor):
    Plan = apps.get_model("district_plan", "Plan")
    PlanSnapshot = apps.get_model("district_plan", "PlanSnapshot")
    for plan in Plan.objects.filter(status="adopted"):
        snapshot = PlanSnapshot.objects.filter(plan=plan).order_by("-taken_at", "-pk").first()
        if snapshot is not None:
            snapshot.public = document(plan, apps)
            snapshot.save(update_fields=["public"])


class Migration(migrations.Migration):
    dependencies = [
        ("district_plan", "0005_plansnapshot_public"),
        ("theories", "0002_theoryofaction_origin"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
