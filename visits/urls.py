from django.urls import path

from visits import views

app_name = "visits"

urlpatterns = [
    path("", views.index, name="index"),
    path("trends/", views.trends, name="trends"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    path("programs/new/", views.program_create, name="program_new"),
    path("programs/<int:program_pk>/", views.program, name="program"),
    path("programs/<int:program_pk>/look-fors/", views.look_for_create, name="look_for_new"),
    path("<int:visit_pk>/", views.visit, name="visit"),
    path("<int:visit_pk>/edit/", views.visit_update, name="visit_update"),
    path("<int:visit_pk>/move/", views.visit_move, name="move"),
    path("<int:visit_pk>/advance/", views.visit_advance, name="advance"),
    path("<int:visit_pk>/debrief/", views.debrief, name="debrief"),
    path("<int:visit_pk>/observe/", views.observe, name="observe"),
    path("<int:visit_pk>/observe/shell/", views.observe_shell, name="observe_shell"),
    path("<int:visit_pk>/observations/", views.observation_create, name="observations"),
    path("<int:visit_pk>/action-items/", views.action_item_create, name="action_item_new"),
]
