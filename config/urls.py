from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from core import views as core_views
from visits import views as visit_views

# Every district page is mounted under /d/<district_slug>/; core.tenancy.DistrictMiddleware
# turns the slug into request.district for members and a 404 for everyone else.
district_patterns = [
    path("", include("dashboard.urls")),
    path("", include("core.urls")),
    path("plan/", include("district_plan.urls")),
    path("theories/", include("theories.urls")),
    path("discovery/", include("benchmarking.urls")),
    path("visits/", include("visits.urls")),
    path("actions/", include("visits.action_urls")),
    path("meetings/", include("meetings.urls")),
    path("learning/", include("learning.urls")),
    path("comments/", include("comments.urls")),
    path("inbox/", include("comments.inbox_urls")),
    path("reports/", include("reports.urls")),
    path("public/", include("public.manage_urls")),
    path("people/", include("accounts.people_urls")),
]

urlpatterns = [
    path("", core_views.root, name="root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sw.js", visit_views.service_worker, name="service_worker"),
    path("ics/<str:token>.ics", visit_views.ics_feed, name="ics_feed"),
    path("accounts/", include("accounts.urls")),
    # Password reset, second factors and single sign-on; our own sign-in page above comes first.
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("d/<slug:district_slug>/", include(district_patterns)),
    # The published plan: the one page anyone may read without signing in.
    path("p/<slug:slug>/", include("public.urls")),
]
