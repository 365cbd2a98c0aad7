"""Sessions read from the shared cache, kept in the database (SESSION_ENGINE, with CACHE_URL).

Django's cached_db store answers from Redis and falls back to the database on a miss, but a
cache that is down makes its reads and deletes raise: every signed-in page would fail while
Redis restarts. This one goes to the database instead, as the plain database store would."""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

log = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            log.warning("Cache unavailable; reading the session from the database", exc_info=True)
            return DatabaseStore.load(self)
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except Exception:
            log.warning("Cache unavailable; the session was not cached", exc_info=True)
        return data

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except Exception:
            log.warning("Cache unavailable; looking the session up in the database")
            return DatabaseStore.exists(self, session_key)

    def delete(self, session_key=None):
        DatabaseStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            # The database row is gone, so the session has ended; a copy the cache keeps through
            # its outage answers only to the cookie this sign-out took off the browser.
            log.warning("Cache unavailable; the session was deleted from the database only")
