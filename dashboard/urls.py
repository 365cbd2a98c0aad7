from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("scorecard/", views.scorecard_page, name="scorecard"),
    path("scorecard/table/", views.scorecard_table, name="scorecard_table"),
    path("scorecard/export.csv", views.scorecard_export, name="scorecard_export"),
]
