"""The code an authenticator app would show now, for tests that sign in with a second factor."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

# A browser takes a moment between reading the code and the server checking it; a code read in
# the last seconds of its period can reach the server after it has expired, which is what a person
# sees as "Incorrect code" once in a few hundred tries. Waiting for a fresh period keeps the tests
# deterministic without widening the tolerance the product uses.
SAFETY_SECONDS = 5


def current_code(secret):
    remaining = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if remaining < SAFETY_SECONDS:
        time.sleep(remaining + 0.1)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
