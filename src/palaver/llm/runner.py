"""Running many negotiations (or worlds) at once in one process.

How synchronous negotiations meet asyncio: a mechanism calls its negotiators
synchronously, so each negotiation runs on a worker thread; an LLM
negotiator's model call is a coroutine on the process's one model-call loop
(:mod:`palaver.llm.runtime`), and the worker thread waits for its result. The
calls of every negotiation are therefore in flight together on that loop,
where timeouts cancel them and rate limits pace them, while a thread costs
only its stack while it waits. Built-in negotiators never wait, so a round
without model calls runs at full speed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from palaver.events import Event, EventSink, ListSink


@dataclass(slots=True)
class RunResult:
    """What running one item gave.

    Attributes:
        item: The mechanism (or world) that ran.
        value: What its ``run()`` returned (a mechanism's final state), or ``None``.
        error: The exception its ``run()`` raised, or ``None``. A negotiator's
            error has been recorded by the mechanism before it is raised.
    """

    item: Any
    value: Any
    error: BaseException | None


def _run(item: Any) -> RunResult:
    try:
        return RunResult(item, item.run(), None)
    except Exception as exc:
        return RunResult(item, None, exc)


def run_negotiations(
    items: Sequence[Any],
    *,
    sink: EventSink | None = None,
    max_concurrency: int = 1024,
) -> list[RunResult]:
    """Run every item (anything with ``run()``: mechanisms, worlds) concurrently.

    Args:
        items: The mechanisms or worlds, each with its own event bus.
        sink: Where their events go (e.g. a ``SimulationRecorder(None, ...)``).
            Each item's events are buffered while it runs and handed on in the
            order of ``items``, whole item after whole item, as soon as every
            earlier item has finished: the stream is the same whatever the
            timing, so a replay yields the same event log.
        max_concurrency: Items running at once (one worker thread each).

    Returns:
        One :class:`RunResult` per item, in the order of ``items``. Nothing an
        item raises escapes; it is in the result's ``error``.
    """
    if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
        raise ValueError(f"max_concurrency must be a positive int, got {max_concurrency!r}")
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be a positive int, got {max_concurrency!r}")
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise ValueError(f"items must be a list of mechanisms or worlds, got {items!r}")
    items = list(items)
    for i, item in enumerate(items):
        if not callable(getattr(item, "run", None)):
            raise ValueError(
                f"items[{i}] must be a mechanism or a world (with run()), got {item!r}"
            )
    if sink is not None and not callable(getattr(sink, "emit", None)):
        raise ValueError(f"sink must have an emit(event) method, got {sink!r}")
    if not items:
        return []
    buffers: list[ListSink | None] = [None] * len(items)
    if sink is not None:
        for i, item in enumerate(items):
            bus = getattr(item, "bus", None)
            if bus is None or not callable(getattr(bus, "add_sink", None)):
                raise ValueError(f"items[{i}] ({item!r}) has no event bus to take events from")
            collector = ListSink(getattr(sink, "event_types", None))
            bus.add_sink(collector)
            buffers[i] = collector
    results: list[RunResult | None] = [None] * len(items)
    released = 0
    with ThreadPoolExecutor(
        max_workers=min(max_concurrency, len(items)), thread_name_prefix="palaver-negotiation"
    ) as pool:
        futures: dict[Future[RunResult], int] = {
            pool.submit(_run, item): i for i, item in enumerate(items)
        }
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            while released < len(items) and results[released] is not None:
                buffer = buffers[released]
                if buffer is not None and sink is not None:
                    items[released].bus.remove_sink(buffer)
                    _forward(buffer.events, sink)
                    buffers[released] = None
                released += 1
    return [r for r in results if r is not None]


def _forward(events: list[Event], sink: EventSink) -> None:
    emit = sink.emit
    for event in events:
        emit(event)
    events.clear()


async def arun_negotiations(
    items: Sequence[Any],
    *,
    sink: EventSink | None = None,
    max_concurrency: int = 1024,
) -> list[RunResult]:
    """:func:`run_negotiations` for async code: awaits without blocking the caller's loop."""
    return await asyncio.to_thread(
        run_negotiations, items, sink=sink, max_concurrency=max_concurrency
    )
