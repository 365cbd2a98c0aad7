from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.request_report, name="request"),
    path("nightly/", views.nightly, name="nightly"),
    path("<int:report_pk>/", views.report, name="report"),
    path("<int:report_pk>/retry/", views.retry, name="retry"),
    path("<int:report_pk>/download/", views.download, name="download"),
]
