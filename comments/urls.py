from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("<slug:kind>/<int:record_pk>/", views.thread, name="thread"),
    path("<int:comment_pk>/resolve/", views.resolve, name="resolve"),
    path("<int:comment_pk>/", views.comment, name="comment"),
    path("<int:comment_pk>/delete/", views.comment_delete, name="delete"),
]
