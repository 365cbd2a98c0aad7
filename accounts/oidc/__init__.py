"""allauth's OpenID Connect client, made strict: every ID token's signature is checked against
the provider's published keys (allauth skips that for a token it fetched itself), and a nonce
sent with each sign-in must come back in the token, so a token issued for another sign-in (or
another site) is refused."""
