"""pyarrow's memory pool in a process that records: jemalloc rather than mimalloc.

Imported for its effect by :mod:`palaver.recording` before anything there
imports pyarrow. pyarrow picks its default memory pool once, when it is
imported, from the ``ARROW_DEFAULT_MEMORY_POOL`` variable (mimalloc when it
is unset, on Linux). mimalloc keeps the pages that writing a Parquet part
frees for allocations the next part does not fit: on Workload 3 a recording
process peaked ~30 MB higher with it (see docs/recording.md, "Memory").

So on Linux, when pyarrow is not imported yet and the variable is unset, this
sets it to ``jemalloc`` (the process's child processes inherit it). When
pyarrow came first, :func:`palaver.recording.cache.settle_pool` switches
pyarrow's Python-level default instead, which most of the recorder's
allocations follow. A variable already set is the user's choice, kept.
"""

from __future__ import annotations

import os
import sys

VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"
"""pyarrow's environment variable naming its default memory pool."""


def prefer_jemalloc() -> bool:
    """Set :data:`VARIABLE` to ``jemalloc`` where that decides pyarrow's pool
    (Linux, where pyarrow's wheels have jemalloc; pyarrow not imported yet; the
    variable unset); return whether it was set."""
    if VARIABLE in os.environ or "pyarrow" in sys.modules or not sys.platform.startswith("linux"):
        return False
    os.environ[VARIABLE] = "jemalloc"
    return True


prefer_jemalloc()
