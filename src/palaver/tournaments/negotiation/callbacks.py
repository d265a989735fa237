"""Callbacks a negotiation tournament calls during each negotiation (NegMAS's
``neg_start_callback``, ``neg_progress_callback`` and ``neg_end_callback``)."""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["NegotiationCallbacks"]

#: ``callback(negotiation_id, state)``; what it returns is not used.
StateCallback = Callable[[str, Any], Any]


@dataclass(frozen=True)
class NegotiationCallbacks:
    """Called with ``(negotiation_id, state)``: ``start`` once before the first
    round (``state.step == 0``), ``progress`` after every round, ``end`` once
    with the final state. They run where the negotiation runs (the tournament's
    process with the serial executor, a worker otherwise), on the mechanism's
    own state object: read it, do not keep or change it. A callback that
    raises ends its negotiation as an ``error`` row with the traceback."""

    start: StateCallback | None = None
    progress: StateCallback | None = None
    end: StateCallback | None = None

    @classmethod
    def checked(
        cls, start: Any, progress: Any, end: Any, executor: str
    ) -> NegotiationCallbacks | None:
        """The callbacks given (``None`` when none is), each refused with a
        ``ValueError`` naming it when it is not callable, or when another
        executor than ``serial`` cannot send it to its workers (a lambda or a
        nested function does not pickle: define it at module level)."""
        given = {
            "neg_start_callback": start,
            "neg_progress_callback": progress,
            "neg_end_callback": end,
        }
        for name, f in given.items():
            if f is None:
                continue
            if not callable(f):
                raise ValueError(f"{name} must be a function (negotiation_id, state), got {f!r}")
            if executor != "serial":
                try:
                    pickle.dumps(f)
                except Exception as exc:
                    raise ValueError(
                        f"{name}={f!r} cannot be sent to the {executor!r} executor's workers "
                        f"({type(exc).__name__}: {exc}); define it at module level, or run "
                        "with executor='serial' (NegMAS: njobs=-1)"
                    ) from None
        if start is None and progress is None and end is None:
            return None
        return cls(start, progress, end)

    def run(self, mechanism: Any, negotiation_id: str) -> Any:
        """Run ``mechanism`` to its end with these callbacks; return its final state."""

        def bound(f: StateCallback | None) -> Callable[[Any], Any] | None:
            return None if f is None else functools.partial(f, negotiation_id)

        return mechanism.run(
            start_callback=bound(self.start),
            progress_callback=bound(self.progress),
            completion_callback=bound(self.end),
        )
