"""The plan answers a campus page (core.hooks): the campus's plan, its students and results by
student group."""

from core import hooks as core_hooks
from core.roles import may_edit_campus_plan
from district_plan.models import CampusPlan
from district_plan.selectors import (
    campus_enrollment,
    campus_plan_goals,
    campus_plans_of,
    campus_results,
    current_campus_plan,
)


@core_hooks.campus_sections.answer
def campus_plan_section(*, campus, membership, today):
    plans = campus_plans_of(campus)
    current = current_campus_plan(plans)
    context = {
        "campus": campus,
        "current": current,
        "others": [p for p in plans if p != current],
        "may_start": may_edit_campus_plan(
            membership, CampusPlan(district_id=campus.district_id, campus=campus)
        ),
    }
    if current is not None:
        goals, counts = campus_plan_goals(campus_plan=current, membership=membership)
        context |= {"goals": goals, "objective_counts": counts}
    return core_hooks.CampusSection(
        order=1, template="district_plan/_campus_plan_section.html", context=context
    )


@core_hooks.campus_sections.answer
def campus_section(*, campus, membership, today):
    measures = campus_results(campus=campus, membership=membership)
    enrollment = campus_enrollment(campus=campus, membership=membership)
    if not measures and not enrollment:
        return None
    return core_hooks.CampusSection(
        order=5,
        template="district_plan/_campus_section.html",
        context={
            "measures": measures,
            "enrollment": enrollment,
            "smallest": campus.district.smallest_group_shown,
        },
    )
