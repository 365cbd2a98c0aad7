from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import Exists, OuterRef, Prefetch, Q

from accounts.models import (
    AccessEvent,
    IdentityProvider,
    Invitation,
    Membership,
    domain_of,
    invitation_token_hash,
)
from core.models import Campus, Department
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


def identity_provider_for_email(email):
    """The single sign-on a person typing this address is offered: that of a district they are
    an active member of, else that of the district whose allowed domains include the address's
    domain. None when neither has single sign-on switched on, and for a member of several
    districts (no one district's provider may sign them in)."""
    email = (email or "").strip().lower()
    domain = domain_of(email)
    if not email or not domain:
        return None
    providers = IdentityProvider.objects.filter(enabled=True).select_related("district")
    if Membership.objects.filter(user__email__iexact=email, is_active=True).count() > 1:
        return None
    member_of = (
        providers.filter(
            district__memberships__user__email__iexact=email,
            district__memberships__is_active=True,
        )
        .order_by("district__name")
        .first()
    )
    if member_of is not None:
        return member_of
    # Read in Python: a JSON "contains" lookup is not there on SQLite, which `make run` uses,
    # and a site has one provider per district at most.
    for provider in providers.order_by("district__name"):
        if domain in provider.allowed_domains:
            return provider
    return None


def identity_provider_of(district_id):
    if district_id is None:
        return None
    return (
        IdentityProvider.objects.filter(district_id=district_id, enabled=True)
        .select_related("district")
        .first()
    )


def sso_required_for(user):
    """Whether password sign-in is closed to this person: they are an active member of a
    district that requires its single sign-on. A site administrator (superuser or staff) keeps
    their password, so a mistake in a provider's settings cannot lock everyone out; no
    district's provider may sign them in either (accounts.services.sso_admit)."""
    if user is None or user.is_superuser or user.is_staff:
        return None
    districts = set(
        Membership.objects.filter(user=user, is_active=True).values_list("district_id", flat=True)
    )
    # A member of several districts cannot sign in through any one district's provider
    # (accounts.services.sso_admit), so keeps their password.
    if len(districts) != 1:
        return None
    return (
        IdentityProvider.objects.filter(enabled=True, require_sso=True, district_id__in=districts)
        .select_related("district")
        .first()
    )


def members_with_bindings(*, district):
    """The district's memberships with their person and the ids of the campuses and departments
    each is bound to, in three queries: for a rule run over every member (who may be assigned an
    action item), which needs nothing else of them."""
    return (
        Membership.objects.filter(district=district)
        .select_related("user")
        .prefetch_related(
            Prefetch("campuses", queryset=Campus.objects.only("pk")),
            Prefetch("departments", queryset=Department.objects.only("pk")),
        )
        .order_by("user__full_name", "user__email")
    )
