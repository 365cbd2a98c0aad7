"""How django-allauth's sign-in fits this site: nobody signs up on their own, every sign-in
and failed sign-in is a line in the access log, and each district's single sign-on is its own
identity provider, given to allauth as an app that exists only in memory."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import secrets, selectors
from accounts.models import AccessEvent, IdentityProvider
from accounts.secrets import SecretUnreadable
from accounts.services import SsoRefused, access_event_record, sso_admit

# The district whose sign-in button a person was shown: Google's and Microsoft's callback
# addresses are the same for every district, so the session says whose app to finish with.
SSO_DISTRICT_SESSION_KEY = "sso_district"


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

    def send_password_reset_mail(self, user, email, context):
        # Whoever must use single sign-on is not sent a link that could not let them in; the
        # form answers the same either way.
        if selectors.sso_required_for(user):
            return
        super().send_password_reset_mail(user, email, context)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        if template_prefix.startswith("mfa/"):
            access_event_record(
                kind=AccessEvent.Kind.MFA_CHANGED,
                user=user,
                detail=template_prefix.rsplit("/", 1)[-1],
                request=self.request,
            )
        super().send_notification_mail(template_prefix, user, context=context, email=email)


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator-app keys and recovery-code seeds are stored encrypted, like the districts'
    client secrets: whoever holds a copy of the database cannot make anyone's codes."""

    def encrypt(self, text):
        return secrets.encrypt(text)

    def decrypt(self, encrypted_text):
        return secrets.decrypt(encrypted_text)


def social_app(provider):
    """The allauth app of a district's identity provider."""
    settings = {"district_id": provider.district_id}
    if provider.kind == IdentityProvider.Kind.OPENID_CONNECT:
        # What is known of the person comes from the ID token, checked by accounts.oidc.
        settings |= {"server_url": provider.server_url, "fetch_userinfo": False}
    elif provider.kind == IdentityProvider.Kind.GOOGLE and provider.hosted_domain:
        settings["auth_params"] = {"hd": provider.hosted_domain}
    elif provider.kind == IdentityProvider.Kind.MICROSOFT:
        settings["tenant"] = provider.tenant or "organizations"
        # Entra ID does not say whether an address is verified; the district's own tenant is
        # trusted for the domains the admin allowed, and only for those.
        settings["verified_email"] = list(provider.allowed_domains)
    try:
        secret = provider.client_secret
    except SecretUnreadable:
        secret = ""
    return SocialApp(
        provider=provider.kind,
        provider_id=provider.provider_id
        if provider.kind == IdentityProvider.Kind.OPENID_CONNECT
        else "",
        name=provider.name,
        client_id=provider.client_id,
        secret=secret,
        settings=settings,
    )


PROVIDER_ORIGINS = {
    IdentityProvider.Kind.GOOGLE: "https://accounts.google.com",
    IdentityProvider.Kind.MICROSOFT: "https://login.microsoftonline.com",
}


def provider_origin(provider):
    """Where the browser is sent to sign in. The page with the button must allow it in its
    Content-Security-Policy's form-action: the button posts here, and the answer redirects
    there, which Chromium counts as the form's target too."""
    if provider.kind in PROVIDER_ORIGINS:
        return PROVIDER_ORIGINS[provider.kind]
    parts = urlsplit(provider.server_url)
    return f"{parts.scheme}://{parts.netloc}"


def sign_in_url(provider):
    """Where the "Sign in with ..." button posts to."""
    from django.urls import reverse

    if provider.kind == IdentityProvider.Kind.OPENID_CONNECT:
        return reverse("openid_connect_login", kwargs={"provider_id": provider.provider_id})
    return reverse(f"{provider.kind}_login")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        identity_provider = self._identity_provider(request, provider)
        if identity_provider is None:
            return []
        app = social_app(identity_provider)
        if client_id and app.client_id != client_id:
            return []
        return [app]

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            if request is None:
                raise
            # A button pressed after the district switched its single sign-on off, or in a
            # session that never went through the email step: start that step again.
            messages.error(
                request,
                gettext("Single sign-on is not available for that address. Enter it again."),
            )
            raise ImmediateHttpResponse(redirect("accounts:login")) from None

    def _identity_provider(self, request, provider):
        prefix = "district-"
        if provider and provider.startswith(prefix):
            found = (
                IdentityProvider.objects.filter(
                    district__slug=provider.removeprefix(prefix),
                    kind=IdentityProvider.Kind.OPENID_CONNECT,
                    enabled=True,
                )
                .select_related("district")
                .first()
            )
            return found
        if request is None:
            return None
        found = selectors.identity_provider_of(request.session.get(SSO_DISTRICT_SESSION_KEY))
        if found is None or (provider and provider not in (found.kind, found.provider_id)):
            return None
        return found

    def pre_social_login(self, request, sociallogin):
        provider = IdentityProvider.objects.select_related("district").get(
            district_id=sociallogin.account.get_provider().app.settings["district_id"]
        )
        verified = [address.email for address in sociallogin.email_addresses if address.verified]
        if not verified:
            self._refuse(
                request,
                provider,
                "",
                gettext(
                    "%(provider)s did not confirm your email address, so it cannot sign you in "
                    "here."
                )
                % {"provider": provider.name},
                "no verified email address",
            )
        email = verified[0].lower()
        data = sociallogin.account.extra_data
        claims = data.get("id_token") or data.get("userinfo") or data
        full_name = claims.get("name") or claims.get("displayName") or ""
        try:
            user = sso_admit(
                provider=provider,
                email=email,
                user=sociallogin.user if sociallogin.is_existing else None,
                full_name=full_name,
                request=request,
            )
        except SsoRefused as refusal:
            self._refuse(request, provider, email, refusal.message, refusal.detail)
        except ValidationError as exc:
            self._refuse(request, provider, email, " ".join(exc.messages), "invitation refused")
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)

    def _refuse(self, request, provider, email, message, detail):
        access_event_record(
            kind=AccessEvent.Kind.SSO_REFUSED,
            email=email,
            district=provider.district if provider else None,
            detail=detail,
            request=request,
        )
        messages.error(request, message)
        raise ImmediateHttpResponse(redirect("accounts:login"))

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        app = getattr(provider, "app", None)
        district_id = app.settings.get("district_id") if app is not None else None
        identity_provider = selectors.identity_provider_of(district_id)
        self._refuse(
            request,
            identity_provider,
            "",
            gettext("Single sign-on did not work, so you are not signed in. Try again."),
            f"{error or 'error'}: {exception or ''}"[:500],
        )

    def is_open_for_signup(self, request, sociallogin):
        # Everyone who gets this far was admitted (and connected) by pre_social_login.
        return False
