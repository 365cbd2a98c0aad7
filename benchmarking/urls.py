from django.urls import path

from benchmarking import views

app_name = "discovery"

urlpatterns = [
    path("", views.index, name="index"),
    path("frameworks/import/", views.framework_import, name="framework_import"),
    path("frameworks/<int:framework_pk>/", views.framework, name="framework"),
    path(
        "frameworks/<int:framework_pk>/export.json", views.framework_export, name="framework_export"
    ),
    path("frameworks/<int:framework_pk>/copy/", views.framework_copy_view, name="framework_copy"),
    path("analyses/new/", views.analysis_create, name="analysis_new"),
    path("analyses/<int:analysis_pk>/", views.analysis, name="analysis"),
    path("analyses/<int:analysis_pk>/consensus/", views.consensus, name="consensus"),
]
