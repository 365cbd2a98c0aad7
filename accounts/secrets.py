"""Encryption of the client secrets districts give their identity provider.

A secret is kept Fernet-encrypted under SSO_SECRET_KEY (config/settings.py), so a copy of the
database alone does not hand out a district's Google or Microsoft credentials."""

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored secret was encrypted under another key (SSO_SECRET_KEY changed)."""


def _fernet():
    return Fernet(settings.SSO_SECRET_KEY)


def encrypt(value):
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token):
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable from None
