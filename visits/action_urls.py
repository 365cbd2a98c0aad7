from django.urls import path

from visits import views

app_name = "actions"

urlpatterns = [
    path("", views.actions, name="index"),
    path("export.csv", views.actions_export, name="export"),
    path("<int:item_pk>/", views.action_item_update, name="item"),
    path("<int:item_pk>/history/", views.action_item_history, name="history"),
    path("from/<int:membership_pk>/", views.action_items_reassign, name="reassign"),
]
