from django.urls import path

from core.views import section_pending

app_name = "visits"

urlpatterns = [
    path(
        "",
        section_pending,
        {
            "title": "Communities of Practice visits",
            "summary": "The weekly rotation of department teams through cohort campuses: the calendar, visits, observations and debriefs.",
        },
        name="index",
    ),
]
