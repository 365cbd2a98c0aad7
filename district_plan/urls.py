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
