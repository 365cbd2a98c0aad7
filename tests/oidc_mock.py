"""A real OpenID Connect provider for the tests: oidc-provider-mock (a Flask app) served over
HTTP on a free local port, in a thread, for the duration of a test.

Two things are added in front of it, at the HTTP level:
- PKCE is enforced: the mock ignores code_challenge, so the wrapper remembers the challenge an
  authorization code was issued for and refuses a token request whose code_verifier does not
  hash to it (RFC 7636, S256 only).
- A test can make the token endpoint hand out a doctored ID token (`server.doctor`): claims
  changed and signed again with a key the provider's JWKS also publishes, so only the changed
  claim can be why it is refused; or signed with a key nobody published.
"""

import base64
import hashlib
import io
import json
import threading
import time
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import jwt
import oidc_provider_mock
import requests
import werkzeug.serving
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.wrappers import Response

PUBLISHED_KID = "second-key"


def _s256(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class ProviderUnderTest:
    def __init__(self, app):
        self.app = app
        self.published_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.unpublished_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.challenges = {}
        self.authorize_requests = []
        self.token_requests = []
        self.doctor = None  # a function(claims, header) -> (claims, key, kid), or None
        self.url = ""

    # -- WSGI --------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        path = environ.get("PATH_INFO", "")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {k: v[0] for k, v in parse_qs(body.decode(errors="replace")).items()}
        if path == "/oauth2/authorize":
            self.authorize_requests.append(query)
        if path == "/oauth2/token" and environ["REQUEST_METHOD"] == "POST":
            self.token_requests.append(form)
            refusal = self._check_pkce(form)
            if refusal:
                return refusal(environ, start_response)
        response = Response.from_app(self.app, environ)
        if path == "/oauth2/authorize" and response.status_code in (302, 303):
            code = parse_qs(urlsplit(response.headers["Location"]).query).get("code", [""])[0]
            if code:
                self.challenges[code] = (
                    query.get("code_challenge"),
                    query.get("code_challenge_method"),
                )
        if path == "/jwks":
            keys = json.loads(response.get_data())
            public = jwt.algorithms.RSAAlgorithm.to_jwk(
                self.published_key.public_key(), as_dict=True
            )
            keys["keys"].append({**public, "kid": PUBLISHED_KID, "alg": "RS256", "use": "sig"})
            response.set_data(json.dumps(keys))
        if path == "/oauth2/token" and response.status_code == 200 and self.doctor:
            data = json.loads(response.get_data())
            data["id_token"] = self._doctored(data["id_token"])
            response.set_data(json.dumps(data))
        return response(environ, start_response)

    def _check_pkce(self, form):
        if form.get("grant_type") != "authorization_code":
            return None
        challenge, method = self.challenges.pop(form.get("code", ""), (None, None))
        verifier = form.get("code_verifier")
        if challenge and method == "S256" and verifier and _s256(verifier) == challenge:
            return None
        return Response(
            json.dumps({"error": "invalid_grant", "error_description": "PKCE check failed"}),
            status=400,
            content_type="application/json",
        )

    def _doctored(self, id_token):
        header = jwt.get_unverified_header(id_token)
        claims = jwt.decode(id_token, options={"verify_signature": False})
        claims, key, kid = self.doctor(claims, header)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid} if kid else None)

    # -- what tests call -----------------------------------------------------------------------
    def resign(self, **changes):
        """Doctor the next ID tokens: these claims changed, signed with the published key."""

        def doctor(claims, header):
            return {**claims, **changes}, self.published_key, PUBLISHED_KID

        self.doctor = doctor

    def sign_with_unpublished_key(self):
        def doctor(claims, header):
            # Under the kid of the provider's own key, if it names one.
            return claims, self.unpublished_key, header.get("kid")

        self.doctor = doctor

    def set_user(self, email, *, verified=True, **claims):
        claims = {"email": email, "email_verified": verified, **claims}
        response = requests.put(f"{self.url}/users/{email}", json=claims, timeout=5)
        response.raise_for_status()

    def authorize(self, authorize_url, email):
        """What a person does on the provider's page: say who they are. Returns where the
        provider sends the browser back to."""
        response = requests.post(
            authorize_url, data={"sub": email}, allow_redirects=False, timeout=5
        )
        assert response.status_code in (302, 303), response.text[:500]
        return response.headers["Location"]


@contextmanager
def running_provider():
    server_under_test = ProviderUnderTest(oidc_provider_mock.app())
    server = werkzeug.serving.make_server("127.0.0.1", 0, server_under_test, threaded=True)
    server_under_test.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server_under_test
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def now():
    return int(time.time())


def district_provider(district, server_url, **overrides):
    """The district's single sign-on, pointed at a provider under test."""
    from accounts.models import IdentityProvider

    values = {
        "kind": IdentityProvider.Kind.OPENID_CONNECT,
        "name": "Lakeside ID",
        "client_id": "lakeside-planning",
        "server_url": server_url,
        "allowed_domains": ["lakeside.test"],
    } | overrides
    provider = IdentityProvider(district=district, **values)
    provider.set_client_secret("client-secret-for-tests-7890")
    provider.save()
    return provider
