"""The site's URLs plus the benchmark's baseline: a bare view rendering a static template
through the same middleware, under a district address so that the signed-in member's session,
user and membership are read exactly as for every district page."""

from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site


def baseline(request):
    return render(request, "bench/baseline.html")


urlpatterns = [path("d/<slug:district_slug>/bench/baseline/", baseline), *site]
