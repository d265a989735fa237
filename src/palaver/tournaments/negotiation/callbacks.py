"""Callbacks a negotiation tournament calls during each negotiation (NegMAS's
``neg_start_callback``, ``neg_progress_callback`` and ``neg_end_callback``),
and the hooks around each negotiation (:class:`RunHooks`)."""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "NegotiationCallbacks",
    "NegotiationContext",
    "NegotiationEnd",
    "RunHooks",
    "check_hooks",
]

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


@dataclass(frozen=True)
class NegotiationContext:
    """What a negotiation is, as :class:`RunHooks` see it (in the worker).

    Attributes:
        spec: The negotiation's place in the plan (id, scenario index,
            repetition, rotation, partners, limits, seed).
        scenario: The scenario played.
        names: The competitor's name at each position.
        competitors: The competitor (type, parameters, name) at each position.
        ufun_of: The scenario's utility function index held at each position.
    """

    spec: Any
    scenario: Any
    names: tuple[str, ...]
    competitors: tuple[Any, ...]
    ufun_of: tuple[int, ...]


@dataclass(frozen=True)
class NegotiationEnd:
    """How a negotiation ended, as :meth:`RunHooks.after` sees it.

    Attributes:
        status: Palaver's ``result`` (``agreement``, ``failure``, ``timeout``,
            ``error``, ``hung``).
        agreement: The agreement, or ``None``.
        rounds: Rounds played.
        error: The error's text (empty without one).
        erred: The id of the negotiator that erred, or ``None``.
        wall: Seconds the negotiation took.
        mechanism: The mechanism (``None`` when it could not be built).
    """

    status: str
    agreement: Any
    rounds: int
    error: str
    erred: str | None
    wall: float
    mechanism: Any


class RunHooks(Protocol):
    """Called by the worker around each negotiation (NegMAS's
    ``before_start_callback``, ``after_construction_callback`` and
    ``after_end_callback`` are built on these). An exception raised by any of
    them ends the negotiation as an ``error`` row with the traceback; one
    raised before the mechanism runs stops it from running."""

    def before(self, context: NegotiationContext) -> None:
        """Before the mechanism is built."""

    def constructed(self, context: NegotiationContext, mechanism: Any) -> None:
        """After the negotiators joined, before the first round."""

    def after(self, context: NegotiationContext, end: NegotiationEnd) -> None:
        """Once the negotiation ended (also in an error, or hung)."""


def check_hooks(hooks: Any, executor: str) -> None:
    """Refuse ``run_hooks`` without the three hooks (``ValueError``), or that
    another executor than ``serial`` cannot send to its workers."""
    if hooks is None:
        return
    missing = [
        m for m in ("before", "constructed", "after") if not callable(getattr(hooks, m, None))
    ]
    if missing:
        raise ValueError(f"run_hooks={hooks!r:.80} lacks the method(s) {missing} of RunHooks")
    if executor != "serial":
        try:
            pickle.dumps(hooks)
        except Exception as exc:
            raise ValueError(
                f"run_hooks={hooks!r:.80} cannot be sent to the {executor!r} executor's "
                f"workers ({type(exc).__name__}: {exc}); define its callbacks at module "
                "level, or run with executor='serial' (NegMAS: njobs=-1)"
            ) from None
