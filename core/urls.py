from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("campuses/", views.campus_list, name="campuses"),
    path("campuses/import/", views.campus_import, name="campus_import"),
    path("campuses/<int:campus_pk>/", views.campus_detail, name="campus"),
    path("history/", views.district_history, name="history"),
    path("settings/", views.district_settings, name="settings"),
    path("logo/", views.district_logo, name="logo"),
]
