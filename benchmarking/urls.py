from django.urls import path

from core.views import section_pending

app_name = "discovery"

urlpatterns = [
    path(
        "",
        section_pending,
        {
            "title": "Discovery Analysis",
            "summary": "Benchmarking against the features of high-performing systems: evidence, rubric ratings, findings, recommendations and improvement pathways.",
        },
        name="index",
    ),
]
