from django.urls import path

from accounts import views

app_name = "people"

urlpatterns = [
    path("", views.people, name="index"),
    path("<int:membership_pk>/access/", views.member_access, name="access"),
    path("second-factor/", views.second_factor, name="second_factor"),
]
