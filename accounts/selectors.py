from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import Exists, OuterRef, Q

from accounts.models import AccessEvent, Invitation, Membership, invitation_token_hash
from core.selectors import name_search


def _with_sign_in_methods(memberships):
    """Memberships annotated with how their person signs in (`has_sso`, `has_mfa`), read in the
    same query as the memberships themselves. Recovery codes alone are no second factor."""
    return memberships.annotate(
        has_sso=Exists(SocialAccount.objects.filter(user=OuterRef("user"))),
        has_mfa=Exists(
            Authenticator.objects.filter(user=OuterRef("user")).exclude(
                type=Authenticator.Type.RECOVERY_CODES
            )
        ),
    )


def user_sign_in_methods(user):
    """`has_sso` and `has_mfa` of one person, for their own account page."""
    return {
        "has_sso": SocialAccount.objects.filter(user=user).exists(),
        "has_mfa": Authenticator.objects.filter(user=user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists(),
    }


def member_detail(*, district, membership_pk):
    """One member of the district with how they sign in, or None."""
    return (
        _with_sign_in_methods(Membership.objects.filter(district=district))
        .select_related("user", "district")
        .prefetch_related("campuses", "departments")
        .filter(pk=membership_pk)
        .first()
    )


def access_events_for_district(*, district, kind="", email=""):
    """The district's access log, newest first: what happened in the district, and the sign-in
    events (recorded with no district, as an address may be in several) of addresses that are,
    or were, its members."""
    members = Membership.objects.filter(district=district).values("user__email")
    events = AccessEvent.objects.filter(
        Q(district=district) | Q(district__isnull=True, email__in=members)
    ).select_related("actor")
    if kind:
        events = events.filter(kind=kind)
    if email:
        events = events.filter(email__icontains=email)
    return events.order_by("-created_at", "-pk")


def members_for_district(*, district, query="", role=""):
    """The district's people with what the people page shows of each, in a fixed number of
    queries however many there are."""
    members = (
        _with_sign_in_methods(Membership.objects.filter(district=district))
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
