"""NegMAS's ``Mechanism.stepall`` / ``Mechanism.runall``: advancing many negotiations together.

Palaver runs negotiators one at a time in the caller's thread, so the only
methods are NegMAS's ``"ordered"`` (one step of every running mechanism per
pass, until all ended; ``"serial"`` is its old name) and ``"sequential"``
(each mechanism run to its end before the next). ``keep_order=False``
shuffles the order of every pass with a generator made from ``seed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from palaver.mechanisms.errors import MechanismValueError

if TYPE_CHECKING:
    from palaver.mechanisms.base import Mechanism
    from palaver.mechanisms.state import MechanismState

_METHODS = ("ordered", "serial", "sequential")


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
) -> list[MechanismState | None]:
    """Run every mechanism to its end; their final states, in the given order.

    ``method`` is ``"ordered"`` (NegMAS's default: one step of each running
    mechanism per pass) or ``"sequential"`` (one mechanism after the other);
    NegMAS's ``"threads"`` and ``"processes"`` are refused with a
    ``MechanismValueError`` (Palaver calls negotiators in the caller's thread;
    use a negotiation tournament to spread negotiations over processes).
    """
    if method not in _METHODS:
        raise MechanismValueError(
            f"method must be one of {list(_METHODS)}, got {method!r} (Palaver runs "
            "negotiations in the caller's thread; a negotiation tournament uses processes)"
        )
    rng = None if keep_order else np.random.default_rng(seed)
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
