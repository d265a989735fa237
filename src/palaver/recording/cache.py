"""Memory a store gives back or bounds: pyarrow's pool, and byte-bounded caches."""

from __future__ import annotations

import functools
import os
from collections import OrderedDict
from typing import Generic, TypeVar

import pyarrow as pa

from palaver._util.arrow_pool import VARIABLE

GROUP_CACHE_BYTES = 2 << 20
"""Decoded row groups (~1.2 MB each on Workload 3) and log batches kept for
reading: enough for the group a block of reads ends in, which the next block
starts in, and for events read one by one."""
INDEX_CACHE_BYTES = 1 << 20
"""Loaded part indexes kept (~0.6 MB per 50,000-event part)."""
POSITIONS_CACHE_BYTES = 1 << 20
"""Positions of queried keys kept per part (8 bytes per matching event)."""
ROWS_CACHE_BYTES = 4 << 20
"""Rows of the events of parts laid out by agent (8 bytes per event of the
part, 0.4 MB per 50,000-event part), kept for queries by type or step."""


@functools.cache
def settle_pool() -> str:
    """Make jemalloc pyarrow's default memory pool, once per process, where
    pyarrow's default is mimalloc and neither ``ARROW_DEFAULT_MEMORY_POOL`` (set
    by the user, or by :mod:`palaver._util.arrow_pool` before pyarrow's import) nor the
    program (``pyarrow.set_memory_pool``) chose another; return the backend
    in use afterwards.

    mimalloc keeps the pages that writing a part frees for its later
    allocations, which the store's next part does not fit: on Workload 3 the
    recording process held ~35 MB more after its first part, and peaked ~30 MB
    higher while exporting (161-166 MB against 129-130 with jemalloc, whose
    unused pages go back to the system within about a second), for the same
    CPU time within the machine's noise (recording Workload 3 and TripsWorld).
    Set that variable (``mimalloc``, ``jemalloc`` or ``system``) to
    keep pyarrow's own choice.
    """
    current = pa.default_memory_pool()
    if os.environ.get(VARIABLE) or current.backend_name != "mimalloc":
        return str(current.backend_name)
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # a pyarrow built without jemalloc
        return str(current.backend_name)
    pa.set_memory_pool(pool)
    return str(pool.backend_name)


def release_pool() -> None:
    """Hand the memory pyarrow's allocator keeps for reuse back to the system.

    pyarrow's default pool (mimalloc or jemalloc) keeps freed pages for its next
    allocations, which Python objects never reuse. An export, or reading rows
    back from disk, frees several MB of them at once, which would then stay
    resident while the caller goes on (on Workload 3, a JSON export left ~7 MB
    behind and an agent's query ~5 MB). It costs well under a millisecond when
    there is something to give back, and nothing otherwise.
    """
    pa.default_memory_pool().release_unused()


K = TypeVar("K")
V = TypeVar("V")


class ByteCache(Generic[K, V]):
    """A least-recently-used cache bounded by the bytes of what it holds.

    The newest entry is always kept, even when larger than the budget.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.nbytes = 0
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        """The value cached for ``key`` (now the most recently used), or ``None``."""
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: K, value: V, nbytes: int) -> None:
        """Cache ``value`` (``nbytes`` large), dropping the least recently used."""
        old = self._items.pop(key, None)
        if old is not None:
            self.nbytes -= old[1]
        self._items[key] = (value, nbytes)
        self.nbytes += nbytes
        while self.nbytes > self.budget and len(self._items) > 1:
            _, (_, size) = self._items.popitem(last=False)
            self.nbytes -= size

    def clear(self) -> None:
        """Drop everything."""
        self._items.clear()
        self.nbytes = 0
