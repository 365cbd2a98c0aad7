from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("<slug:kind>/<int:record_pk>/", views.thread, name="thread"),
    path("<int:comment_pk>/resolve/", views.resolve, name="resolve"),
]
