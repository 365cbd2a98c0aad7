from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext

from core.roles import Role


class SecondFactorMiddleware:
    """A district that requires a second factor for its admins sends an admin without one to set
    up an authenticator app before any of the district's pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        membership = getattr(request, "membership", None)
        if (
            membership is None
            or membership.role != Role.ADMIN
            or not request.district.require_mfa_for_admins
            or is_mfa_enabled(request.user, types=[Authenticator.Type.TOTP])
        ):
            return None
        messages.warning(
            request,
            gettext(
                "%(district)s asks its admins to sign in with a second factor. Set up an "
                "authenticator app to continue."
            )
            % {"district": request.district.name},
        )
        return redirect("mfa_activate_totp")
