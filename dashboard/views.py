from django.shortcuts import render

from core.selectors import district_overview
from district_plan.selectors import district_coherence
from theories.selectors import theories_with_parts
from visits.selectors import attention


def home(request):
    """What needs attention now, across the plan, the theories and the visits."""
    context = district_overview(district=request.district, membership=request.membership)
    context |= attention(district=request.district, membership=request.membership)
    theories = theories_with_parts(request.district, measures=False, links=("goals",))
    context |= district_coherence(district=request.district, theories=theories)
    return render(request, "dashboard/home.html", context)
