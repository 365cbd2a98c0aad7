from django.urls import path

from district_plan import views
from district_plan.selectors import GAP_KINDS

app_name = "plan"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.plan_create, name="new"),
    path("plans/<int:plan_pk>/", views.plan, name="plan"),
    path("plans/<int:plan_pk>/edit/", views.plan_edit, name="edit"),
    path("plans/<int:plan_pk>/adopt/", views.plan_adopt, name="adopt"),
    path("plans/<int:plan_pk>/archive/", views.plan_archive, name="archive"),
    path("plans/<int:plan_pk>/unarchive/", views.plan_unarchive, name="unarchive"),
    path("plans/<int:plan_pk>/history/", views.plan_history_page, name="history"),
    path("plans/<int:plan_pk>/adopted/<int:snapshot_pk>/", views.plan_compare, name="compare"),
    path("plans/<int:plan_pk>/goals/import/", views.goals_import, name="goals_import"),
    path("measures/export.csv", views.measures_export, name="measures_export"),
    path("measures/import/", views.measures_import, name="measures_import"),
    path("results/import/", views.results_import, name="results_import"),
    path("campuses/<int:campus_pk>/comparable/", views.comparable, name="comparable"),
    path("measures/new/", views.measure_create, name="measure_new"),
    path("measures/<int:measure_pk>/", views.measure, name="measure"),
    path("measures/<int:measure_pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:measure_pk>/delete/", views.measure_delete, name="measure_delete"),
    path("measures/<int:measure_pk>/history/", views.measure_history_page, name="measure_history"),
    path("values/<int:value_pk>/", views.measure_value_edit, name="measure_value_edit"),
    path("values/<int:value_pk>/delete/", views.measure_value_delete, name="measure_value_delete"),
    path("campus-plans/", views.campus_plans, name="campus_plans"),
    path("campus-plans/new/", views.campus_plan_create, name="campus_plan_new"),
    path("campus-plans/<int:campus_plan_pk>/", views.campus_plan, name="campus_plan"),
    path(
        "campus-plans/<int:campus_plan_pk>/edit/", views.campus_plan_edit, name="campus_plan_edit"
    ),
    path(
        "campus-plans/<int:campus_plan_pk>/approve/",
        views.campus_plan_approve,
        name="campus_plan_approve",
    ),
    path(
        "campus-plans/<int:campus_plan_pk>/archive/",
        views.campus_plan_archive,
        name="campus_plan_archive",
    ),
    path(
        "campus-plans/<int:campus_plan_pk>/unarchive/",
        views.campus_plan_unarchive,
        name="campus_plan_unarchive",
    ),
    path(
        "campus-plans/<int:campus_plan_pk>/history/",
        views.campus_plan_history_page,
        name="campus_plan_history",
    ),
    path(
        "campus-plans/<int:campus_plan_pk>/approved/<int:campus_snapshot_pk>/",
        views.campus_plan_compare,
        name="campus_plan_compare",
    ),
]

for kind in views.PARTS:
    urlpatterns += [
        path(f"{kind}/new/", views.part_create, {"kind": kind}, name=f"{kind}_new"),
        path(f"{kind}/<int:part_pk>/", views.part_edit, {"kind": kind}, name=kind),
        path(
            f"{kind}/<int:part_pk>/delete/",
            views.part_delete,
            {"kind": kind},
            name=f"{kind}_delete",
        ),
        path(f"{kind}/<int:part_pk>/move/", views.part_move, {"kind": kind}, name=f"{kind}_move"),
        path(
            f"{kind}/<int:part_pk>/history/",
            views.part_history,
            {"kind": kind},
            name=f"{kind}_history",
        ),
    ]

# The parts of a campus plan, beside the district plan's and in the same shape.
for kind in views.CAMPUS_PARTS:
    urlpatterns += [
        path(f"{kind}/new/", views.campus_part_create, {"kind": kind}, name=f"{kind}_new"),
        path(f"{kind}/<int:campus_part_pk>/", views.campus_part_edit, {"kind": kind}, name=kind),
        path(
            f"{kind}/<int:campus_part_pk>/delete/",
            views.campus_part_delete,
            {"kind": kind},
            name=f"{kind}_delete",
        ),
        path(
            f"{kind}/<int:campus_part_pk>/move/",
            views.campus_part_move,
            {"kind": kind},
            name=f"{kind}_move",
        ),
        path(
            f"{kind}/<int:campus_part_pk>/history/",
            views.campus_part_history,
            {"kind": kind},
            name=f"{kind}_history",
        ),
    ]

# One page per kind of gap in the plan, the district's (the theories page's panel) and a plan's
# own (the plan page's).
for gap in GAP_KINDS:
    urlpatterns += [
        path(f"gaps/{gap}/", views.gaps, {"gap": gap}, name=f"gaps_{gap}"),
        path(
            f"plans/<int:plan_pk>/gaps/{gap}/",
            views.plan_gaps_page,
            {"gap": gap},
            name=f"plan_gaps_{gap}",
        ),
    ]
