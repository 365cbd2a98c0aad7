from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar/", views.month, name="calendar"),
    path("new/", views.meeting_create, name="new"),
    path("<int:meeting_pk>/", views.meeting, name="meeting"),
    path("<int:meeting_pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_pk>/delete/", views.meeting_delete, name="delete"),
    path("<int:meeting_pk>/history/", views.meeting_history_page, name="history"),
    path("<int:meeting_pk>/decisions/new/", views.decision_create, name="decision_new"),
    path("<int:meeting_pk>/follow-ups/new/", views.follow_up_create, name="follow_up_new"),
    path("<int:meeting_pk>/materials/new/", views.material_add, name="material_new"),
    path("materials/<int:material_pk>/", views.material_file, name="material"),
    path("materials/<int:material_pk>/delete/", views.material_delete, name="material_delete"),
    path("decisions/<int:decision_pk>/", views.decision, name="decision"),
    path("decisions/<int:decision_pk>/delete/", views.decision_delete, name="decision_delete"),
]
