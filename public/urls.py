from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.plan_page, name="plan"),
    path("<str:language>/", views.plan_page, name="plan_in"),
]
