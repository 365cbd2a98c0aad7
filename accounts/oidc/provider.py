from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.utils.crypto import get_random_string

from accounts.oidc.views import StrictOpenIDConnectAdapter


class StrictOpenIDConnectProvider(OpenIDConnectProvider):
    oauth2_adapter_class = StrictOpenIDConnectAdapter
    # allauth builds the provider's URLs from "<package>.urls".
    package = "accounts.oidc"

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        # The nonce is kept in the sign-in's state, which only this browser's session holds.
        nonce = get_random_string(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


provider_classes = [StrictOpenIDConnectProvider]
