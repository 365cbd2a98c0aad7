from django.urls import path

from comments import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox, name="index"),
    path("<int:notification_pk>/read/", views.inbox_read, name="read"),
]
