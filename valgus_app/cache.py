"""A database cache that evicts the least recently used entries, for the rendered PDFs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils import timezone

_MISSING = object()


class LeastRecentlyUsedDatabaseCache(DatabaseCache):
    """Django's database cache, but a full cache drops the entries used longest ago.

    Django's own culls in key order, which for hashed keys is at random. Here every read renews
    the entry's expiry by the cache's TIMEOUT, so with one timeout for all entries the expiry
    time orders them by last use (to the second), and the cull deletes from the oldest.
    """

    _table: str  # set by DatabaseCache; its type stubs leave it out

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            return default
        self._renew(self.make_and_validate_key(key, version=version))
        return value

    def _renew(self, key: str) -> None:
        # Not touch(): Django's touch culls first when the cache is full, and the entry just
        # read is then the oldest, so it would be the one to go.
        timeout = self.get_backend_timeout()
        if timeout is None:  # entries that never expire cannot be ordered by use
            return
        expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = expires.replace(microsecond=0)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {connection.ops.quote_name('expires')} = %s "
                f"WHERE {connection.ops.quote_name('cache_key')} = %s",
                [connection.ops.adapt_datetimefield_value(expires), key],
            )

    def delete_expired(self) -> int:
        """Delete the expired rows, which Django's database cache otherwise keeps (unread) until
        its next cull; the number deleted."""
        connection = connections[router.db_for_write(self.cache_model_class)]
        with connection.cursor() as cursor:
            return self._delete_expired(connection, cursor, timezone.now().replace(microsecond=0))

    def _delete_expired(self, connection: Any, cursor: Any, now: datetime) -> int:
        table = connection.ops.quote_name(self._table)
        cursor.execute(
            f"DELETE FROM {table} WHERE {connection.ops.quote_name('expires')} < %s",
            [connection.ops.adapt_datetimefield_value(now)],
        )
        deleted: int = cursor.rowcount
        return deleted

    def _cull(self, db: str, cursor: Any, now: datetime, num: int) -> None:
        if self._cull_frequency == 0:  # Django's meaning: empty the whole cache
            self.clear()
            return
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        expires = connection.ops.quote_name("expires")
        remaining = num - self._delete_expired(connection, cursor, now)
        if remaining <= self._max_entries:
            return
        key = connection.ops.quote_name("cache_key")
        # Expiry times are whole seconds: the key breaks ties, so exactly this many go.
        cursor.execute(
            f"DELETE FROM {table} WHERE {key} IN "
            f"(SELECT {key} FROM {table} ORDER BY {expires}, {key} LIMIT %s)",
            [remaining // self._cull_frequency],
        )
