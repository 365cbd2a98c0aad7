from django.urls import path

from core.views import section_pending

app_name = "plan"

urlpatterns = [
    path(
        "",
        section_pending,
        {
            "title": "District plan",
            "summary": "The plan for each school-year span: vision, learner profile, goals, focus areas, strategies, partners and measures.",
        },
        name="index",
    ),
]
