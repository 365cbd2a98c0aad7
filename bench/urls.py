"""The site's URLs plus the benchmark's baseline: a bare view rendering a static template
through the same middleware."""

from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site


def baseline(request):
    return render(request, "bench/baseline.html")


urlpatterns = [path("bench/baseline/", baseline), *site]
