"""NegMAS's ``runall(..., ordering=, ordering_fun=)``: stepping many mechanisms in a given order.

``ordering`` lists mechanism positions, each pass stepping them in that order
(a position may appear more than once: that mechanism then steps more than
once per pass; every mechanism must appear); with ``keep_order=False`` each
pass shuffles it. ``ordering_fun(j, states)`` instead names the position of
the mechanism to step at the ``j``-th call, given every mechanism's state
(``None`` for a ``None`` entry); one that names only ended mechanisms
:data:`IDLE_CALLS` times in a row is stopped with a ``MechanismValueError``.
Both advance only the ``"ordered"`` method.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError

if TYPE_CHECKING:
    from palaver.mechanisms.base import Mechanism
    from palaver.mechanisms.many import MechanismCallback
    from palaver.mechanisms.state import MechanismState

__all__ = ["IDLE_CALLS", "OrderingFun", "run_ordered"]

#: Calls in a row naming only ended mechanisms after which ``ordering_fun`` is
#: taken to loop (or 100 per mechanism, if more).
IDLE_CALLS = 10_000

#: NegMAS's ``ordering_fun``: the call number and every state -> the position to step next.
OrderingFun = Callable[[int, list["MechanismState | None"]], int]


def _checked_ordering(ordering: Sequence[int], mechanisms: Sequence[Mechanism | None]) -> list[int]:
    n = len(mechanisms)
    if isinstance(ordering, str | bytes) or not isinstance(ordering, Sequence):
        raise MechanismTypeError(f"ordering must be a list of positions, got {ordering!r:.80}")
    bad = [i for i in ordering if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n]
    if bad:
        raise MechanismValueError(
            f"ordering must list positions in mechanisms (0..{n - 1}); got {bad[:5]}"
        )
    missing = sorted({i for i, m in enumerate(mechanisms) if m is not None} - set(ordering))
    if missing:
        raise MechanismValueError(
            f"ordering never mentions the mechanisms at {missing}: they would never run"
        )
    return list(ordering)


def run_ordered(
    mechanisms: Sequence[Mechanism | None],
    ordering: Sequence[int] | None,
    ordering_fun: OrderingFun | None,
    keep_order: bool,
    rng: np.random.Generator | None,
    start_callback: MechanismCallback | None = None,
    progress_callback: MechanismCallback | None = None,
    completion_callback: MechanismCallback | None = None,
) -> None:
    """Step ``mechanisms`` in ``ordering`` (or as ``ordering_fun`` says) until all have ended.

    The callbacks are called as by :func:`~palaver.mechanisms.many.runall`:
    ``start_callback`` before a mechanism's first step, ``progress_callback``
    after each step, ``completion_callback`` once it has ended.
    """
    order = None if ordering is None else _checked_ordering(ordering, mechanisms)
    if ordering_fun is not None and not callable(ordering_fun):
        raise MechanismTypeError(f"ordering_fun must be callable, got {ordering_fun!r:.80}")
    started: set[int] = set()
    done = {i for i, m in enumerate(mechanisms) if m is None}

    def ended(m: Mechanism) -> bool:
        return m.state.started and not m.state.running

    def advance(i: int) -> None:
        m = mechanisms[i]
        assert m is not None
        if i not in started:
            started.add(i)
            if start_callback is not None:
                start_callback(i, m)
        m.step()
        if progress_callback is not None:
            progress_callback(i, m)
        # A mechanism that cannot start (too few negotiators) is as good as ended.
        if ended(m) or not m.state.started:
            done.add(i)
            if completion_callback is not None:
                completion_callback(i, m)

    for i, m in enumerate(mechanisms):
        if m is not None and ended(m):
            done.add(i)
            if completion_callback is not None:
                completion_callback(i, m)
    n = len(mechanisms)
    if ordering_fun is not None:
        calls, idle = 0, 0
        # A cyclic function may name ended mechanisms many times before a running
        # one; this many in a row means it never will.
        patience = max(IDLE_CALLS, 100 * n)
        while len(done) < n:
            i = ordering_fun(calls, [None if m is None else m.state for m in mechanisms])
            calls += 1
            if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
                raise MechanismValueError(
                    f"ordering_fun must return a position in mechanisms (0..{n - 1}); got {i!r:.80}"
                )
            if i in done:
                idle += 1
                if idle > patience:  # NegMAS would loop for ever
                    raise MechanismValueError(
                        f"ordering_fun named only ended mechanisms {idle} times in a row "
                        f"while {sorted(set(range(n)) - done)} still run"
                    )
                continue
            idle = 0
            advance(i)
        return
    assert order is not None
    while len(done) < n:
        this_pass = (
            order if keep_order or rng is None else [order[k] for k in rng.permutation(len(order))]
        )
        for i in this_pass:
            if i not in done:
                advance(i)
