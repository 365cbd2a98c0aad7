from core.roles import Capability, can


def district(request):
    """The district being viewed and what the member may do there, for the layout."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "district": request.district,
        "membership": membership,
        "may": {capability.value: can(membership, capability) for capability in Capability},
    }
