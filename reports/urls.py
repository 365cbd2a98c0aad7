from django.urls import path

from core.views import section_pending

app_name = "reports"

urlpatterns = [
    path(
        "",
        section_pending,
        {
            "title": "Reports",
            "summary": "PDF reports for the board: request one, watch it render, download it.",
        },
        name="index",
    ),
]
