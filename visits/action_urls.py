from django.urls import path

from core.views import section_pending

app_name = "actions"

urlpatterns = [
    path(
        "",
        section_pending,
        {
            "title": "Action items",
            "summary": "Action items from visits, by owner: the campus leadership team or a department, with due dates and status.",
        },
        name="index",
    ),
]
