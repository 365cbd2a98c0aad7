from django.urls import path

from core.views import section_pending

app_name = "theories"

urlpatterns = [
    path(
        "",
        section_pending,
        {
            "title": "Theories of action",
            "summary": "IF / THEN / SO THAT statements in the district's strands, with their owners, actions and measures.",
        },
        name="index",
    ),
]
