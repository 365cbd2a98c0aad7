"""The plan answers a campus page (core.hooks): the campus's plan, its students and results by
student group and the campuses most like it with their results beside its own; and the campus
list: a menu of measures whose latest result each campus shows."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from comments import registry as comments_registry
from core import hooks as core_hooks
from core.roles import Capability, can, may_edit_campus_plan
from district_plan.models import CampusPlan, Competency, Goal
from district_plan.selectors import (
    campus_enrollment,
    campus_plan_goals,
    campus_plans_of,
    campus_results,
    comparable_campuses,
    current_campus_plan,
    latest_result_expressions,
    measures_with_campus_results,
)

# How many alike campuses the campus page shows; the comparison page shows more.
CAMPUS_PAGE_ALIKE = 5


# The plan's sections read only what the history keeps, so the campus page keeps them drawn
# until the district's next change (the comparison of every campus was most of the page's time).
@core_hooks.campus_sections.answer
def campus_plan_section(*, campus, membership, today):
    may_start = may_edit_campus_plan(
        membership, CampusPlan(district_id=campus.district_id, campus=campus)
    )

    def context():
        plans = campus_plans_of(campus)
        current = current_campus_plan(plans)
        found = {
            "campus": campus,
            "current": current,
            "others": [p for p in plans if p != current],
            "may_start": may_start,
        }
        if current is not None:
            goals, counts = campus_plan_goals(campus_plan=current, membership=membership)
            found |= {"goals": goals, "objective_counts": counts}
        return found

    return core_hooks.CampusSection(
        order=1,
        template="district_plan/_campus_plan_section.html",
        context=context,
        kept=(may_start,),
    )


@core_hooks.campus_sections.answer
def campus_section(*, campus, membership, today):
    return core_hooks.CampusSection(
        order=5,
        template="district_plan/_campus_section.html",
        context=lambda: {
            "measures": campus_results(campus=campus, membership=membership),
            "enrollment": campus_enrollment(campus=campus, membership=membership),
            "smallest": campus.district.smallest_group_shown,
        },
        kept=(),
    )


@core_hooks.campus_sections.answer
def comparable_section(*, campus, membership, today):
    return core_hooks.CampusSection(
        order=6,
        template="district_plan/_comparable_section.html",
        context=lambda: comparable_campuses(
            campus=campus, membership=membership, limit=CAMPUS_PAGE_ALIKE
        ),
        kept=(),
    )


@core_hooks.campus_choosers.answer
def measure_chooser(*, district, membership):
    measures = dict(measures_with_campus_results(district=district))
    if not measures:
        return None
    smallest = district.smallest_group_shown
    sees_small = can(membership, Capability.EDIT_PLAN)

    def column(value):
        measure_id = int(value)
        expression, masked = latest_result_expressions(
            measure_id=measure_id, smallest=smallest, sees_small=sees_small
        )
        return core_hooks.CampusColumn(
            "measure_result", measures[measure_id], expression, "result", masked=masked
        )

    return core_hooks.CampusChooser(
        name="measure",
        label=_("Latest result of"),
        empty_label=_("No measure"),
        choices=[(str(pk), name) for pk, name in measures.items()],
        column=column,
    )


# Comments (comments.registry): the plan's goals and learner-profile competencies, and campus
# plans, which tell the leaders of their campus.
def _plan_part_url(kind):
    def url(part):
        return reverse("plan:index", args=[part.district.slug]) + f"#{kind}-{part.pk}"

    return url


comments_registry.register(Goal, kind="goal", label=_("goal"), url=_plan_part_url("goal"))
comments_registry.register(
    Competency,
    kind="competency",
    label=_("learner-profile competency"),
    url=_plan_part_url("competency"),
)
comments_registry.register(
    CampusPlan,
    kind="campus-plan",
    label=_("campus plan"),
    url=lambda plan: reverse("plan:campus_plan", args=[plan.district.slug, plan.pk]),
    owners=lambda plan: Membership.objects.filter(
        district_id=plan.district_id, campuses=plan.campus_id, is_active=True
    ).values_list("user_id", flat=True),
    related=("campus",),
)
