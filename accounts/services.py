from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from ipware import get_client_ip

from accounts.models import AccessEvent


@transaction.atomic
def user_language_set(*, user, language):
    """Keeps the language a person picked, for what is written to them without a request."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def membership_access_set(*, membership, active, by):
    """Switches a member's access to their district on or off; the history trigger keeps who
    did it. An admin may not switch themselves off: no one would be left to switch them on."""
    if not active and membership.user_id == by.pk:
        raise ValidationError(
            gettext("You cannot deactivate yourself. Ask another district admin to do it.")
        )
    if membership.is_active != active:
        membership.is_active = active
        membership.save(update_fields=["is_active"])
    return membership


def access_event_record(
    *, kind, email="", user=None, district=None, actor=None, detail="", request=None
):
    """Adds a line to the access log. Called inside the transaction of what it records, so a
    change that is rolled back leaves no line behind."""
    return AccessEvent.objects.create(
        kind=kind,
        email=(email or (user.email if user else "")).lower()[:254],
        user=user,
        district=district,
        actor=actor,
        detail=detail[:500],
        ip_address=client_ip(request) if request is not None else None,
    )


def client_ip(request):
    """The address a request came from, trusting X-Forwarded-For only as far as the site's own
    proxies (TRUSTED_PROXY_COUNT), as the sign-in lockout does."""
    if settings.TRUSTED_PROXY_COUNT:
        address, _routable = get_client_ip(
            request,
            proxy_count=settings.TRUSTED_PROXY_COUNT - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        )
    else:
        address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address


@transaction.atomic
def district_second_factor_set(*, district, required, by, request=None):
    """Requires (or stops requiring) a second factor of the district's admins."""
    if district.require_mfa_for_admins == required:
        return district
    district.require_mfa_for_admins = required
    district.save(update_fields=["require_mfa_for_admins"])
    access_event_record(
        kind=AccessEvent.Kind.SSO_CHANGED,
        district=district,
        user=by,
        actor=by,
        detail="Second factor for admins: required"
        if required
        else "Second factor for admins: optional",
        request=request,
    )
    return district
