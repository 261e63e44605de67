"""SQLite with a small process-wide pool of connections, for the embedded mode under ASGI.

Django runs each ASGI request's sync code in a thread of its own, so it opens a new SQLite connection per
request; the first statement on a connection parses the whole schema, which grows with every app. This
backend hands finished connections back to a pool instead of closing them (Django's SQLite connections are
already opened with check_same_thread=False; a pooled connection is only ever used by one thread at a time).
In-memory databases (tests) are never pooled. PostgreSQL uses psycopg's own pool.
"""

import threading

from django.db.backends.sqlite3 import base

POOL_SIZE = 8
_pools: dict[str, list] = {}
_lock = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    def _pool_key(self) -> str | None:
        return None if self.is_in_memory_db() else str(self.settings_dict["NAME"])

    def get_new_connection(self, conn_params):
        key = self._pool_key()
        if key is not None:
            with _lock:
                pool = _pools.get(key)
                if pool:
                    return pool.pop()
        return super().get_new_connection(conn_params)

    def _close(self):
        key = self._pool_key()
        connection = self.connection
        if key is not None and connection is not None and not connection.in_transaction:
            with _lock:
                pool = _pools.setdefault(key, [])
                if len(pool) < POOL_SIZE:
                    pool.append(connection)
                    return
        super()._close()
