import jwt
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404

# Asymmetric algorithms only: with an HMAC algorithm the "public" key would be the secret.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub", "nonce"]
# Seconds of clock difference between us and the provider that are forgiven.
LEEWAY = 30


class StrictOpenIDConnectAdapter(OpenIDConnectOAuth2Adapter):
    # Set from the sign-in's state by the callback view before the token is decoded.
    expected_nonce = None

    def complete_login(self, request, app, token, **kwargs):
        # What is known about the person comes from the signed ID token alone.
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise OAuth2Error("The provider sent no ID token.")
        data = {"id_token": self._decode_id_token(app, id_token)}
        return self.get_provider().sociallogin_from_response(request, data)

    def _decode_id_token(self, app, id_token):
        config = self.openid_config
        try:
            algorithm = jwt.get_unverified_header(id_token).get("alg")
            if algorithm not in SIGNING_ALGORITHMS:
                raise OAuth2Error(f"Invalid ID token: signed with {algorithm}, not allowed.")
            claims = None
            for key in self._signing_keys(id_token, config["jwks_uri"]):
                try:
                    claims = jwt.decode(
                        id_token,
                        key=key,
                        algorithms=[algorithm],
                        audience=app.client_id,
                        issuer=config["issuer"],
                        leeway=LEEWAY,
                        options={"require": REQUIRED_CLAIMS, "strict_aud": False},
                    )
                    break
                except jwt.InvalidSignatureError:
                    continue
            if claims is None:
                raise OAuth2Error("Invalid ID token: no published key signed it.")
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise OAuth2Error(f"Invalid ID token: {exc}") from exc
        # Several audiences are allowed only when the authorized party is us.
        if isinstance(claims["aud"], list) and claims.get("azp", app.client_id) != app.client_id:
            raise OAuth2Error("Invalid ID token: issued to another party.")
        if not self.expected_nonce or claims["nonce"] != self.expected_nonce:
            raise OAuth2Error("Invalid ID token: the nonce is not this sign-in's.")
        jwtkit.verify_jti(claims)
        return claims

    def _signing_keys(self, id_token, jwks_uri):
        """The provider's published keys that may have signed the token: the one its "kid"
        names, or, when it names none, each of them in turn."""
        kid = jwt.get_unverified_header(id_token).get("kid")
        with get_adapter().get_requests_session() as session:
            response = session.get(jwks_uri)
            response.raise_for_status()
            published = response.json().get("keys", [])
        for jwk in published:
            if jwk.get("use", "sig") != "sig" or (kid and jwk.get("kid") != kid):
                continue
            try:
                yield jwt.PyJWK(jwk).key
            except jwt.PyJWTError:
                continue


class StrictCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        if state is not None:
            self.adapter.expected_nonce = state.get("nonce")
        return state, response


@login_not_required
def login(request, provider_id):
    try:
        return OAuth2LoginView.adapter_view(StrictOpenIDConnectAdapter(request, provider_id))(
            request
        )
    except SocialApp.DoesNotExist:
        raise Http404 from None


@login_not_required
def callback(request, provider_id):
    try:
        return StrictCallbackView.adapter_view(StrictOpenIDConnectAdapter(request, provider_id))(
            request
        )
    except SocialApp.DoesNotExist:
        raise Http404 from None
