from django.db.models import Q

from accounts.models import Invitation, Membership, invitation_token_hash
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


def pending_invitations(*, district):
    """The district's invitations still waiting for an answer, expired ones included (they can
    be sent again), in a fixed number of queries however many there are."""
    return (
        Invitation.objects.filter(district=district, accepted_at=None, revoked_at=None)
        .select_related("invited_by")
        .prefetch_related("campuses", "departments")
        .order_by("-sent_at", "-pk")
    )


def invitation_by_token(token):
    """The invitation a link names, whatever its state, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("district")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
