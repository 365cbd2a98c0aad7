from django.shortcuts import render

from core.selectors import district_overview
from dashboard.selectors import plan_health
from visits.selectors import attention


def home(request):
    """What needs attention now, across the plan, the theories and the visits."""
    context = district_overview(district=request.district, membership=request.membership)
    context |= attention(district=request.district, membership=request.membership)
    context["health"] = plan_health(district=request.district)
    return render(request, "dashboard/home.html", context)
