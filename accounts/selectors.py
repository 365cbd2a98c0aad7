from django.db.models import Q

from accounts.models import Membership
from core.selectors import name_search


def members_for_district(*, district, query="", role=""):
    """The district's people with what the people page shows of each, in a fixed number of
    queries however many there are."""
    members = (
        Membership.objects.filter(district=district)
        .select_related("user")
        .prefetch_related("campuses", "departments")
    )
    if query:
        lookup = name_search()
        members = members.filter(
            Q(**{f"user__full_name__{lookup}": query}) | Q(user__email__icontains=query)
        )
    if role:
        members = members.filter(role=role)
    return members.order_by("user__full_name", "user__email")
