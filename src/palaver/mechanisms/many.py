"""NegMAS's ``Mechanism.stepall`` / ``Mechanism.runall``: advancing many negotiations together.

Palaver runs negotiators one at a time in the caller's thread, so the only
methods are NegMAS's ``"ordered"`` (one step of every running mechanism per
pass, until all ended; ``"serial"`` is its old name) and ``"sequential"``
(each mechanism run to its end before the next). ``keep_order=False``
shuffles the order of every pass with a generator made from ``seed``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError
from palaver.mechanisms.many_ordered import OrderingFun as OrderingFun
from palaver.mechanisms.many_ordered import run_ordered

if TYPE_CHECKING:
    from palaver.mechanisms.base import Mechanism
    from palaver.mechanisms.state import MechanismState

_METHODS = ("ordered", "serial", "sequential")

#: NegMAS's ``runall`` callbacks: called with a mechanism's position in the list and the mechanism.
MechanismCallback = Callable[[int, "Mechanism"], None]


def _mechanisms(value: object) -> list[Mechanism | None]:
    """``value`` as a list of mechanisms (or ``None``); ``MechanismTypeError`` naming
    ``mechanisms`` otherwise (an AttributeError on ``step`` came from inside)."""
    from palaver.mechanisms.base import Mechanism

    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise MechanismTypeError(
            f"mechanisms must be a list of mechanisms (or None), got {value!r:.80} "
            f"({type(value).__name__})"
        )
    for i, m in enumerate(value):
        if m is not None and not isinstance(m, Mechanism):
            raise MechanismTypeError(
                f"mechanisms[{i}] must be a mechanism or None, got {m!r:.80} ({type(m).__name__})"
            )
    return list(value)


def _order(n: int, keep_order: bool, rng: np.random.Generator | None) -> list[int]:
    if keep_order or rng is None:
        return list(range(n))
    return [int(i) for i in rng.permutation(n)]


def stepall(
    mechanisms: Sequence[Mechanism | None],
    keep_order: bool = True,
    seed: int | None = None,
) -> list[MechanismState | None]:
    """One ``step()`` of every mechanism still running; their states, in the given order.

    A ``None`` in ``mechanisms`` is skipped (its state is ``None``).
    """
    mechanisms = _mechanisms(mechanisms)
    rng = None if keep_order else np.random.default_rng(seed)
    for i in _order(len(mechanisms), keep_order, rng):
        m = mechanisms[i]
        if m is not None and not (m.state.started and not m.state.running):
            m.step()
    return [None if m is None else m.state for m in mechanisms]


def runall(
    mechanisms: Sequence[Mechanism | None],
    keep_order: bool = True,
    method: str = "ordered",
    seed: int | None = None,
    start_callback: MechanismCallback | None = None,
    progress_callback: MechanismCallback | None = None,
    completion_callback: MechanismCallback | None = None,
    *,
    ordering: Sequence[int] | None = None,
    ordering_fun: OrderingFun | None = None,
) -> list[MechanismState | None]:
    """Run every mechanism to its end; their final states, in the given order.

    ``method`` is ``"ordered"`` (NegMAS's default: one step of each running
    mechanism per pass) or ``"sequential"`` (one mechanism after the other);
    NegMAS's ``"threads"`` and ``"processes"`` are refused with a
    ``MechanismValueError`` (Palaver calls negotiators in the caller's thread;
    use a negotiation tournament to spread negotiations over processes).

    NegMAS's callbacks are called with the mechanism's position in
    ``mechanisms`` and the mechanism: ``start_callback`` once before its
    first step, ``progress_callback`` after each of its steps and
    ``completion_callback`` once when it has ended (also for one that had
    ended before the call, whose ``start_callback`` is then not called).

    NegMAS's ``ordering`` (positions stepped in that order every pass) and
    ``ordering_fun`` (``(call number, states) -> position to step``) steer the
    ``"ordered"`` method (see :mod:`.many_ordered`).
    """
    mechanisms = _mechanisms(mechanisms)
    if method not in _METHODS:
        raise MechanismValueError(
            f"method must be one of {list(_METHODS)}, got {method!r} (Palaver runs "
            "negotiations in the caller's thread; a negotiation tournament uses processes)"
        )
    rng = None if keep_order else np.random.default_rng(seed)
    if ordering is not None or ordering_fun is not None:
        if method == "sequential":
            raise MechanismValueError(
                "ordering / ordering_fun steer the 'ordered' method; method='sequential' "
                "runs each mechanism to its end in turn"
            )
        run_ordered(
            mechanisms,
            ordering,
            ordering_fun,
            keep_order,
            rng,
            start_callback,
            progress_callback,
            completion_callback,
        )
        return [None if m is None else m.state for m in mechanisms]
    if start_callback is None and progress_callback is None and completion_callback is None:
        if method == "sequential":
            for i in _order(len(mechanisms), keep_order, rng):
                m = mechanisms[i]
                if m is not None:
                    m.run()
        else:
            live = [m for m in mechanisms if m is not None]
            while live:
                for i in _order(len(live), keep_order, rng):
                    live[i].step()
                live = [m for m in live if m.state.running]
        return [None if m is None else m.state for m in mechanisms]
    _run_watched(
        mechanisms, method, keep_order, rng, start_callback, progress_callback, completion_callback
    )
    return [None if m is None else m.state for m in mechanisms]


def _run_watched(
    mechanisms: Sequence[Mechanism | None],
    method: str,
    keep_order: bool,
    rng: np.random.Generator | None,
    start_callback: MechanismCallback | None,
    progress_callback: MechanismCallback | None,
    completion_callback: MechanismCallback | None,
) -> None:
    """:func:`runall` step by step, calling the callbacks (positions in ``mechanisms``)."""
    started: set[int] = set()

    def advance(i: int, m: Mechanism) -> None:
        if m.state.started and not m.state.running:
            return
        if i not in started:
            started.add(i)
            if start_callback is not None:
                start_callback(i, m)
        m.step()
        if progress_callback is not None:
            progress_callback(i, m)

    positions = [i for i, m in enumerate(mechanisms) if m is not None]
    if method == "sequential":
        for k in _order(len(positions), keep_order, rng):
            i = positions[k]
            m = mechanisms[i]
            assert m is not None
            while not (m.state.started and not m.state.running):
                advance(i, m)
                if not m.state.started:  # too few negotiators to start
                    break
    else:
        live = positions
        while live:
            for k in _order(len(live), keep_order, rng):
                m = mechanisms[live[k]]
                assert m is not None
                advance(live[k], m)
            live = [i for i in live if not (m := mechanisms[i]) or m.state.running]
    if completion_callback is not None:
        for i in positions:
            m = mechanisms[i]
            assert m is not None
            completion_callback(i, m)
