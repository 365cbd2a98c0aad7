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
    path("frameworks/<int:framework_pk>/edit/", views.framework_edit, name="framework_edit"),
    path(
        "frameworks/<int:framework_pk>/new-version/",
        views.framework_new_version,
        name="framework_new_version",
    ),
    path(
        "frameworks/<int:framework_pk>/structure/",
        views.framework_structure,
        name="framework_structure",
    ),
    path("frameworks/<int:framework_pk>/levels/new/", views.level_create, name="level_new"),
    path("levels/<int:level_pk>/", views.level, name="level"),
    path("levels/<int:level_pk>/move/", views.level_move, name="level_move"),
    path("levels/<int:level_pk>/delete/", views.level_delete, name="level_delete"),
    path(
        "frameworks/<int:framework_pk>/blocks/new/", views.building_block_create, name="block_new"
    ),
    path("blocks/<int:block_pk>/", views.building_block, name="block"),
    path("blocks/<int:block_pk>/move/", views.building_block_move, name="block_move"),
    path("blocks/<int:block_pk>/delete/", views.building_block_delete, name="block_delete"),
    path("blocks/<int:block_pk>/indicators/new/", views.indicator_create, name="indicator_new"),
    path("indicators/<int:indicator_pk>/", views.indicator, name="indicator"),
    path("indicators/<int:indicator_pk>/move/", views.indicator_move, name="indicator_move"),
    path("indicators/<int:indicator_pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("analyses/new/", views.analysis_create, name="analysis_new"),
    path("analyses/<int:analysis_pk>/", views.analysis, name="analysis"),
    path("analyses/<int:analysis_pk>/consensus/", views.consensus, name="consensus"),
    path(
        "analyses/<int:analysis_pk>/next-round/",
        views.analysis_next_round,
        name="analysis_next_round",
    ),
    path("analyses/<int:analysis_pk>/since-last-round/", views.movement, name="movement"),
    path("analyses/<int:analysis_pk>/profile/", views.reference_profile, name="profile"),
    path("analyses/<int:analysis_pk>/evidence/", views.evidence, name="evidence"),
    path("analyses/<int:analysis_pk>/evidence/add/", views.evidence_add, name="evidence_add"),
    path(
        "analyses/<int:analysis_pk>/evidence/import/", views.evidence_import, name="evidence_import"
    ),
    path("evidence/<int:evidence_pk>/", views.evidence_item, name="evidence_item"),
    path("evidence/<int:evidence_pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("evidence/<int:evidence_pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("evidence/<int:evidence_pk>/history/", views.evidence_history, name="evidence_history"),
    path("evidence/<int:evidence_pk>/file/", views.evidence_file, name="evidence_file"),
    path("analyses/<int:analysis_pk>/ratings/", views.ratings, name="ratings"),
    path("analyses/<int:analysis_pk>/ratings/add/", views.rating_add, name="rating_add"),
    path("ratings/<int:rating_pk>/", views.rating, name="rating"),
    path("ratings/<int:rating_pk>/edit/", views.rating_edit, name="rating_edit"),
    path("analyses/<int:analysis_pk>/findings/", views.findings, name="findings"),
    path("analyses/<int:analysis_pk>/findings/add/", views.finding_add, name="finding_add"),
    path(
        "analyses/<int:analysis_pk>/recommendations/add/",
        views.recommendation_add,
        name="recommendation_add",
    ),
    path(
        "recommendations/<int:recommendation_pk>/pathway/",
        views.pathway_create,
        name="pathway",
    ),
]
