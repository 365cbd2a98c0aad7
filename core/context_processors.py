from django.urls import reverse

from core.roles import Capability, can


def district(request):
    """The district being viewed and what the member may do there, for the layout."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    slug = request.district.slug
    return {
        "district": request.district,
        "membership": membership,
        "may": {capability.value: can(membership, capability) for capability in Capability},
        # Long lists (hundreds of theory cards) build their links from these prefixes:
        # reversing a URL per link per card was a third of the theories page's time.
        "urls": {
            "theories": reverse("theories:index", args=[slug]),
            "plan": reverse("plan:index", args=[slug]),
            "visits": reverse("visits:index", args=[slug]),
            "actions": reverse("actions:index", args=[slug]),
            "campuses": reverse("core:campuses", args=[slug]),
        },
    }
