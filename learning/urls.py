from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.offering_create, name="new"),
    path("<int:offering_pk>/", views.offering, name="offering"),
    path("<int:offering_pk>/edit/", views.offering_edit, name="edit"),
    path("<int:offering_pk>/delete/", views.offering_delete, name="delete"),
    path("<int:offering_pk>/history/", views.offering_history_page, name="history"),
    path("<int:offering_pk>/sessions/new/", views.session_create, name="session_new"),
    path("<int:offering_pk>/participation/", views.participation, name="participation"),
    path("<int:offering_pk>/import/", views.sign_in_import, name="import"),
    path("sessions/<int:session_pk>/", views.session, name="session"),
    path("sessions/<int:session_pk>/delete/", views.session_delete, name="session_delete"),
]
