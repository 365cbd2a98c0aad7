"""How django-allauth's sign-in fits this site: nobody signs up on their own, and every sign-in
and failed sign-in is a line in the access log."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessEvent
from accounts.services import access_event_record


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "That email address and password do not match an account. Check both and try again."
        ),
    }

    def is_open_for_signup(self, request):
        # People join a district through an invitation from its admin.
        return False

    def authentication_failed(self, request, **credentials):
        access_event_record(
            kind=AccessEvent.Kind.SIGN_IN_FAILED,
            email=credentials.get("email") or "",
            request=request,
        )

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        access_event_record(
            kind=AccessEvent.Kind.SIGNED_IN,
            user=user,
            detail=sociallogin.account.provider if sociallogin else "password",
            request=request,
        )
        return response

    def set_password(self, user, password):
        # allauth sets a password only from its reset link (our own pages change it otherwise).
        super().set_password(user, password)
        access_event_record(kind=AccessEvent.Kind.PASSWORD_RESET, user=user, request=self.request)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        if template_prefix.startswith("mfa/"):
            access_event_record(
                kind=AccessEvent.Kind.MFA_CHANGED,
                user=user,
                detail=template_prefix.rsplit("/", 1)[-1],
                request=self.request,
            )
        super().send_notification_mail(template_prefix, user, context=context, email=email)
