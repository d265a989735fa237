"""The asyncio loop on which every model call of the process runs.

Negotiators are called synchronously by their mechanisms, on whatever thread
runs the mechanism. Their model calls are coroutines submitted to one event
loop that runs in a background daemon thread: there, timeouts cancel the call
(and close its socket), rate limits wait without holding a thread, and the
calls of many negotiations are in flight at once. A negotiator's thread blocks
only on its own call's result.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class Runtime:
    """One background event loop (started on first use, restarted after a fork)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pid = 0

    def loop(self) -> asyncio.AbstractEventLoop:
        """The running loop (starting it when needed)."""
        with self._lock:
            loop = self._loop
            if loop is not None and self._pid == os.getpid() and loop.is_running():
                return loop
            loop = asyncio.new_event_loop()
            started = threading.Event()

            def main() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(started.set)
                loop.run_forever()

            thread = threading.Thread(target=main, name="palaver-llm-loop", daemon=True)
            thread.start()
            started.wait()
            self._loop, self._thread, self._pid = loop, thread, os.getpid()
            return loop

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the loop and wait for its result in the calling thread."""
        loop = self.loop()
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("a blocking model call was made from the model-call loop itself")
        return asyncio.run_coroutine_threadsafe(coro, loop).result()


#: The process's runtime.
RUNTIME = Runtime()
