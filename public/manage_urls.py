from django.urls import path

from public import views

app_name = "publication"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("publish/", views.publish, name="publish"),
    path("preview/<str:language>/", views.preview, name="preview"),
]
