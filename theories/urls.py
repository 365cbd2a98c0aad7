from django.urls import path

from theories import views

app_name = "theories"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export_csv, name="export"),
    path("import/", views.paste_import, name="import"),
    path("new/", views.theory_create, name="new"),
    path("<int:theory_pk>/", views.theory, name="theory"),
    path("<int:theory_pk>/edit/", views.theory_edit, name="edit"),
    path("<int:theory_pk>/delete/", views.theory_delete, name="delete"),
    path("<int:theory_pk>/move/", views.theory_move, name="move"),
    path("<int:theory_pk>/history/", views.theory_history_page, name="history"),
    path("<int:theory_pk>/actions/new/", views.action_create, name="action_new"),
    path("actions/<int:action_pk>/", views.action, name="action"),
    path("actions/<int:action_pk>/delete/", views.action_delete, name="action_delete"),
    path("actions/<int:action_pk>/history/", views.action_history, name="action_history"),
    path("strands/new/", views.strand_create, name="strand_new"),
    path("strands/<int:strand_pk>/", views.strand, name="strand"),
    path("strands/<int:strand_pk>/delete/", views.strand_delete, name="strand_delete"),
    path("strands/<int:strand_pk>/move/", views.strand_move, name="strand_move"),
    path("strands/<int:strand_pk>/links/", views.strand_links, name="strand_links"),
]
