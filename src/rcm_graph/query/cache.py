"""A least-recently-used cache bounded in bytes, shared by the query and response caches.

WHY one class: the local query backend keeps query answers per build
(:mod:`rcm_graph.query.local.answers`) and the web layer keeps whole HTTP responses
(:mod:`rcm_graph.web.response_cache`); both need the same eviction, byte accounting,
statistics for ``/health`` and thread safety (the local backend is called from FastAPI's
thread pool, the response cache from the event loop).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

# Bookkeeping per entry (key tuple, dict slot, value tuple), counted against the budget.
ENTRY_OVERHEAD_BYTES = 256


class ByteLRU(Generic[V]):
    """``key -> value`` with a byte budget; an entry over an eighth of it is never kept.

    WHY the eighth: one huge answer must not evict every small one, which are the ones worth
    caching (a cheap query asked again and again).
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        if not self.max_bytes:
            return None
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: Hashable, value: V, size: int) -> bool:
        """Keep ``value`` (``size`` bytes); returns whether it was kept."""
        size += ENTRY_OVERHEAD_BYTES
        if not self.max_bytes or size > self.max_bytes // 8:
            return False
        with self._lock:
            if key in self._entries:
                return True
            self._entries[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes and self._entries:
                _, (_, old_size) = self._entries.popitem(last=False)
                self.bytes -= old_size
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "entries": len(self._entries),
                "bytes": self.bytes,
                "max_bytes": self.max_bytes,
                "hits": self.hits,
                "misses": self.misses,
            }


__all__ = ["ByteLRU"]
