"""The plan answers a campus page (core.hooks): the campus's students and results by student
group."""

from core import hooks as core_hooks
from district_plan.selectors import campus_enrollment, campus_results


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
