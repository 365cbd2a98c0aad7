"""Encryption of the secrets the database keeps: the client secrets districts give their
identity provider, and each person's authenticator-app key and recovery-code seed.

They are Fernet-encrypted under SSO_SECRET_KEY (config/settings.py), so a copy of the database
alone hands out neither a district's Google or Microsoft credentials nor anyone's codes."""

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
