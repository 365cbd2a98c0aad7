"""Tenancy in one mechanism.

Every district page is routed under /d/<district_slug>/. Before any such view runs, this
middleware sends anonymous visitors to sign in and answers 404 to signed-in people who are not
members of that district, or whose membership its admin deactivated, exactly as if the district
did not exist; being checked on every request, a deactivation ends an open session at once. Members get
`request.district` and `request.membership`; views never see the slug.

Objects are then looked up only through `get_for_district`, which scopes the query to
`request.district`, so an id from another district is a 404 too.
"""

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Membership

DISTRICT_KWARG = "district_slug"


class DistrictMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.district = None
        request.membership = None
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if DISTRICT_KWARG not in view_kwargs:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        slug = view_kwargs.pop(DISTRICT_KWARG)
        membership = (
            Membership.objects.select_related("district")
            .filter(user=request.user, district__slug=slug, is_active=True)
            .first()
        )
        if membership is None:
            raise Http404("No such district.")
        request.membership = membership
        request.district = membership.district
        return None


def get_for_district(request, model_or_queryset, **lookup):
    """The object matching `lookup` inside the request's district, or 404."""
    if isinstance(model_or_queryset, QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    return get_object_or_404(queryset.filter(district=request.district), **lookup)
