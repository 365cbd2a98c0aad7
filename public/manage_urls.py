from django.urls import path

from public import views

app_name = "publication"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("publish/", views.publish, name="publish"),
    path("preview/<str:language>/", views.preview, name="preview"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/<int:feedback_pk>/", views.feedback_detail, name="feedback"),
    path("feedback/<int:feedback_pk>/answer/", views.feedback_answer, name="feedback_answer"),
    path("feedback/<int:feedback_pk>/response/", views.feedback_response, name="feedback_response"),
    path("feedback/<int:feedback_pk>/link/", views.feedback_link, name="feedback_link"),
    path(
        "feedback/<int:feedback_pk>/archive/",
        views.feedback_archive,
        {"archived": True},
        name="feedback_archive",
    ),
    path(
        "feedback/<int:feedback_pk>/restore/",
        views.feedback_archive,
        {"archived": False},
        name="feedback_restore",
    ),
]
