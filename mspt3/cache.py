"""A per-process memory cache bounded by bytes, for rendered pages.

Django's LocMemCache counts entries (300 by default), and a page can be a few
kilobytes or a megabyte: bounding the count does not bound the memory. This one
drops the least recently used entries while the stored (pickled) values add up to
more than ``MAX_BYTES`` (a top-level key of the alias), whatever their number. With REDIS_URL set every alias lives in
Redis instead, bounded by its own maxmemory policy.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# The byte bound is the one that matters; the count only guards against millions of tiny entries.
MAX_ENTRIES = 100_000


class ByteBoundedLocMemCache(LocMemCache):
    def __init__(self, name, params):
        super().__init__(name, params)
        self.max_bytes = int(params.get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._max_entries = MAX_ENTRIES

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        super()._set(key, value, timeout)
        # Entries are kept most recently used first: evict from the other end. Summing
        # a few hundred lengths costs microseconds, and only a cache miss (a page
        # rendered) stores anything.
        stored = sum(len(pickled) for pickled in self._cache.values())
        while stored > self.max_bytes and len(self._cache) > 1:
            oldest, pickled = self._cache.popitem()
            self._expire_info.pop(oldest, None)
            stored -= len(pickled)

    def stored_bytes(self) -> int:
        with self._lock:
            return sum(len(pickled) for pickled in self._cache.values())
