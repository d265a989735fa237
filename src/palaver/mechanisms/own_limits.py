"""Limits of one negotiator: NegMAS's ``add(negotiator, n_steps=..., time_limit=...)``.

A negotiator that joins with limits of its own sees the mechanism's limits
(as the mechanism was made) each lowered to its own: its interface reports
them (``nmi.n_steps``, ``nmi.time_limit``) and, in its calls, its
``state.relative_time`` follows them: ``(step + 1) / (n_steps + 1)`` with a
round limit, the seconds since the start over ``time_limit`` with a time
limit, the larger of the two with both (at most 1). The negotiation itself
ends at the shortest limit of all, and the state that events, history and
observers see keeps the relative time of that shortest limit.

Negotiations where every negotiator sees the limits the negotiation ends at
(the usual case: nobody has limits of its own) pay nothing for this: the
clocks below are ``None`` and the mechanisms' round loops run as before.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from palaver.mechanisms.joining import admit
from palaver.mechanisms.options import MechanismLimits

if TYPE_CHECKING:
    from palaver.mechanisms.base import Mechanism
    from palaver.mechanisms.protocol import NegotiatorProtocol
    from palaver.mechanisms.stepping import MechanismStepping
    from palaver.preferences.protocol import UtilityFunctionLike

#: Per negotiator (in turn order): the relative time one round advances and
#: the time limit in seconds (or ``None``), both as that negotiator sees them.
Clocks = list[tuple[float, float | None]]


def own_view(
    shared: MechanismLimits, n_steps: int | None, time_limit: float | None
) -> MechanismLimits:
    """``shared`` with ``n_steps`` and ``time_limit`` lowered to one negotiator's own
    (``None``: it has none)."""
    if n_steps is not None and shared.n_steps is not None:
        n_steps = min(n_steps, shared.n_steps)
    if time_limit is not None and shared.time_limit is not None:
        time_limit = min(time_limit, shared.time_limit)
    return dataclasses.replace(
        shared,
        n_steps=shared.n_steps if n_steps is None else n_steps,
        time_limit=shared.time_limit if time_limit is None else time_limit,
    )


def admit_with_own_limits(
    mechanism: Mechanism,
    negotiator: NegotiatorProtocol,
    ufun: UtilityFunctionLike | None,
    role: str | None,
    n_steps: int | None,
    time_limit: float | None,
) -> bool:
    """Let ``negotiator`` join with limits of its own (checked; one of them not
    ``None``); on joining, the mechanism's limits are lowered to its own."""
    view = own_view(mechanism._shared_limits or mechanism._limits, n_steps, time_limit)
    joined = admit(mechanism, negotiator, ufun, role, view)
    if joined:
        if mechanism._own_views is None:
            mechanism._own_views = {}
        mechanism._own_views[len(mechanism._negotiators) - 1] = view
        _tighten_limits(mechanism, n_steps, time_limit)
    return joined


def _tighten_limits(mechanism: Mechanism, n_steps: int | None, time_limit: float | None) -> None:
    """Lower the round and time limits to a joining negotiator's own (before the start)."""
    limits = mechanism._limits
    if mechanism._shared_limits is None:
        mechanism._shared_limits = limits
    if n_steps is not None and limits.n_steps is not None:
        n_steps = min(n_steps, limits.n_steps)
    if time_limit is not None and limits.time_limit is not None:
        time_limit = min(time_limit, limits.time_limit)
    mechanism._limits = dataclasses.replace(
        limits,
        n_steps=n_steps if n_steps is not None else limits.n_steps,
        time_limit=time_limit if time_limit is not None else limits.time_limit,
    )
    mechanism._facts.limits = mechanism._limits
    mechanism._inv_steps = mechanism._limits.time_step


def own_clocks(mechanism: MechanismStepping) -> Clocks | None:
    """Each negotiator's clock, or ``None`` when all of them see the limits the
    negotiation ends at (then the shared ``state.relative_time`` is everyone's)."""
    views = mechanism._own_views
    if not views:
        return None
    limits = mechanism._limits
    shared = mechanism._shared_limits or limits
    clocks: Clocks = []
    differ = False
    for i in range(len(mechanism._negotiators)):
        view = views.get(i, shared)
        clock = (view.time_step, view.time_limit)
        clocks.append(clock)
        if clock != (limits.time_step, limits.time_limit):
            differ = True
    return clocks if differ else None


def own_relative_time(mechanism: MechanismStepping, i: int) -> float:
    """Negotiator ``i``'s relative time now (NegMAS's): by its own round and time limits."""
    time_step, time_limit = mechanism._own_clocks[i]  # type: ignore[index]
    relative = (mechanism._state.step + 1) * time_step
    if time_limit is not None:
        relative = max(relative, (time.perf_counter() - mechanism._start_time) / time_limit)
    return min(relative, 1.0)


def call_in_own_time(
    mechanism: MechanismStepping, negotiator: Any, method: Callable[[Any], object]
) -> None:
    """``method(state)`` with the state showing ``negotiator``'s own relative time
    (the mechanism's is restored afterwards, also when ``method`` raises)."""
    state = mechanism._state
    shared = state.relative_time
    state.relative_time = own_relative_time(mechanism, mechanism._negotiators.index(negotiator))
    try:
        method(state)
    finally:
        state.relative_time = shared
