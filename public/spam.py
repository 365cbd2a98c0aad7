"""Spam protection for the public feedback form, without third-party services.

Three checks, none of which asks anything of a person:
- a honeypot: a field hidden from people and from screen readers, which only a program filling
  every field fills in (public.forms.FeedbackForm);
- a time check: the form carries the moment it was drawn, signed with the site's key, so it
  cannot be forged; a form sent sooner than anyone could type is refused, and one kept open for
  hours is asked to be sent again;
- rate limits per client address (read by django-ipware as the sign-in lockout reads it),
  counted in the shared cache per fixed window: a burst across a window's edge may pass twice
  the limit, which is still far from a flood. While the cache is down nothing is counted and
  messages are taken, as losing a family's message is worse than a few unwanted ones.
"""

import hashlib
import logging
import time

from django.core import signing
from django.core.cache import cache

log = logging.getLogger(__name__)

SALT = "public.feedback.started"
# Faster than this, nobody read the form and typed a message.
MIN_SECONDS = 3
# A form open longer than this is sent again, with what was typed kept.
MAX_SECONDS = 2 * 60 * 60
# (window in seconds, messages an address may send in it)
RATE_LIMITS = ((10 * 60, 5), (24 * 60 * 60, 20))


class TooFast(Exception):
    pass


class Expired(Exception):
    pass


class Forged(Exception):
    pass


def started_token(district):
    """The signed moment the form was drawn, for this district's form only."""
    return signing.dumps({"district": district.pk, "at": time.time()}, salt=SALT)


def check_started(token, district):
    """Raises TooFast, Expired or Forged when the form's token does not show a person's pace."""
    try:
        value = signing.loads(token or "", salt=SALT, max_age=MAX_SECONDS)
    except signing.SignatureExpired as expired:
        raise Expired from expired
    except signing.BadSignature as bad:
        raise Forged from bad
    if not isinstance(value, dict) or value.get("district") != district.pk:
        raise Forged
    if time.time() - float(value.get("at", 0)) < MIN_SECONDS:
        raise TooFast


def _keys(address):
    now = time.time()
    # The cache names no address: it is a counter, not a log of who wrote.
    who = hashlib.sha256(f"feedback:{address or 'unknown'}".encode()).hexdigest()[:32]
    return [
        (f"feedback-rate:{seconds}:{int(now // seconds)}:{who}", seconds, limit)
        for seconds, limit in RATE_LIMITS
    ]


def rate_limited(address):
    """True when this address sent as many messages as a window allows."""
    keys = _keys(address)
    try:
        counts = cache.get_many([key for key, _, _ in keys])
    except Exception:
        log.warning("Cache unavailable; feedback is not rate-limited", exc_info=True)
        return False
    return any(counts.get(key, 0) >= limit for key, _, limit in keys)


def rate_count(address):
    """Counts one message sent from this address in every window."""
    for key, seconds, _ in _keys(address):
        try:
            cache.add(key, 0, timeout=seconds)
            cache.incr(key)
        except ValueError:
            # The counter went between the two calls (its window ended): it starts again.
            cache.set(key, 1, timeout=seconds)
        except Exception:
            log.warning("Cache unavailable; feedback was not counted", exc_info=True)
