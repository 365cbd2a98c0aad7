from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.plan_page, name="plan"),
    path("feedback/", views.feedback_negotiated, name="feedback"),
    path("<str:language>/", views.plan_page, name="plan_in"),
    path("<str:language>/feedback/", views.feedback, name="feedback_in"),
    path("<str:language>/feedback/thanks/", views.feedback_thanks, name="feedback_thanks"),
]
