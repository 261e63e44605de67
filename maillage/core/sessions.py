"""Database sessions that refuse malformed session keys before they reach the database.

Django only checks a key's length; a cookie carrying a NUL byte would make PostgreSQL raise (a 500).
Keys Django generates are 32 characters of [a-z0-9]: anything else is treated as no session.
"""

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

VALID_SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(key) and VALID_SESSION_KEY.fullmatch(key) is not None
