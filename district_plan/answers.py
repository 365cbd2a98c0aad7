"""The plan answers a campus page (core.hooks): the campus's results by student group."""

from core import hooks as core_hooks
from district_plan.selectors import campus_results


@core_hooks.campus_sections.answer
def campus_section(*, campus, membership, today):
    measures = campus_results(campus=campus, membership=membership)
    if not measures:
        return None
    return core_hooks.CampusSection(
        order=5,
        template="district_plan/_campus_section.html",
        context={"measures": measures, "smallest": campus.district.smallest_group_shown},
    )
