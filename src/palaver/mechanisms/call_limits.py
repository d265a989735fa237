"""An SAO negotiation's time limits enforced inside negotiators' calls.

Without this, the limits (``time_limit``, NegMAS's ``hidden_time_limit``,
``step_time_limit``, ``negotiator_time_limit``) are checked between calls: a
negotiator whose ``respond`` or ``propose`` never returns hangs the
negotiation, and the program, for ever. With any of them set, each call a
negotiator makes during the rounds runs under the earliest deadline they give
(see :mod:`palaver._util.deadlines`): a call still running a short grace
(``GRACE``, 0.1 s) after it is stopped,
and the negotiation ends timed out as it would at the next check (a call
over ``negotiator_time_limit`` ends it as too slow, naming the negotiator).

Only calls made round by round are watched. Round plans are not made with
``time_limit``, ``step_time_limit`` or ``negotiator_time_limit`` (see
:func:`~palaver.mechanisms.sao_planned.collect_plans`); with
``hidden_time_limit`` alone, negotiators that all planned their rounds are not
called during them (unless a sink taking no batch rows listens to offers or
responses: the general loop then calls them, watched), and plans of only
some negotiators are dropped (the planned duels call the others unwatched).
Every other call made round by round, in the general loop of
:mod:`~palaver.mechanisms.sao_loop` or the turns of
:mod:`~palaver.mechanisms.sao_turns`, goes through :meth:`CallLimits.call`.
A negotiator running a negotiation of its own is stopped through it by an
outer limit (:func:`~palaver._util.deadlines.call_before` raises the outer
interruption on, which :meth:`CallLimits.call` lets pass).
The start and end callbacks are not watched (NegMAS does not watch them
either), nor are the round callbacks and the leaving callbacks.

``run(timeout=)`` (:func:`~palaver.mechanisms.watched.run_watched`) watches the
same calls while it runs: its end is one more deadline
(:meth:`CallLimits.run_until`), so a call that never returns ends the
negotiation timed out when the timeout is over, as the timeout does between
steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from palaver._util.deadlines import CallStopped, call_before

if TYPE_CHECKING:
    from palaver.mechanisms.sao import SAOMechanism

#: What :meth:`CallLimits.call` returns for a call that failed or was stopped
#: (the negotiation has been ended or its failure recorded).
FAILED = object()


class CallLimits:
    """The deadlines of one running negotiation's calls.

    Attributes:
        round_start: When the current round (the current turn with
            ``one_offer_per_step``) began; the loops set it.
        stopped: Whether a call was stopped at the negotiation's deadline (the
            loops then show the ended negotiation's relative time as 1, as
            for any time-out, once they counted the round).
    """

    __slots__ = (
        "_end",
        "_limits_end",
        "_negotiator_limit",
        "_step_limit",
        "round_start",
        "stopped",
    )

    def __init__(
        self,
        start: float,
        time_limit: float | None,
        hidden_time_limit: float | None,
        step_time_limit: float | None,
        negotiator_time_limit: float | None,
    ) -> None:
        ends = [start + s for s in (time_limit, hidden_time_limit) if s is not None]
        self._limits_end = min(ends) if ends else float("inf")
        self._end = self._limits_end
        self._step_limit = step_time_limit
        self._negotiator_limit = negotiator_time_limit
        self.round_start = start
        self.stopped = False

    @classmethod
    def of(cls, mechanism: SAOMechanism) -> CallLimits | None:
        """The limits of ``mechanism`` (started), or ``None`` when it has none in
        seconds and no ``run(timeout=)`` is under way."""
        limits = mechanism._limits
        hidden = mechanism._hidden_time_limit
        run_deadline = mechanism._run_deadline
        if (
            limits.time_limit is None
            and hidden is None
            and limits.step_time_limit is None
            and limits.negotiator_time_limit is None
            and run_deadline is None
        ):
            return None
        made = cls(
            mechanism._start_time,
            limits.time_limit,
            hidden,
            limits.step_time_limit,
            limits.negotiator_time_limit,
        )
        made.run_until(run_deadline)
        return made

    @property
    def needed(self) -> bool:
        """Whether the mechanism's own limits need these (not only a ``run(timeout=)``)."""
        return (
            self._limits_end != float("inf")
            or self._step_limit is not None
            or self._negotiator_limit is not None
        )

    def run_until(self, deadline: float | None) -> None:
        """Stop calls also at ``deadline`` (a ``time.perf_counter`` reading: the end
        of a ``run(timeout=)``), or, with ``None``, at the mechanism's limits only."""
        self._end = self._limits_end if deadline is None else min(self._limits_end, deadline)

    def call(
        self,
        mechanism: SAOMechanism,
        negotiator: Any,
        where: str,
        method: Callable[..., Any],
        *args: Any,
    ) -> Any:
        """``method(*args)`` under the earliest deadline; :data:`FAILED` after
        recording an exception, or ending the negotiation when a limit passed."""
        t0 = time.perf_counter()
        deadline = self._end
        if self._step_limit is not None:
            deadline = min(deadline, self.round_start + self._step_limit)
        own = self._negotiator_limit
        own_binds = own is not None and t0 + own < deadline
        if own_binds:
            deadline = t0 + own  # type: ignore[operator]
        try:
            result = call_before(deadline, method, *args)
        except CallStopped:  # an enclosing call's interruption passes (a nested negotiation)
            if own_binds:
                mechanism._negotiator_too_slow(negotiator, where, time.perf_counter() - t0)
            else:
                state = mechanism._state
                state.timedout = True
                state.running = False
                self.stopped = True
            return FAILED
        except Exception as exc:
            mechanism._negotiator_failed(negotiator, where, exc)
            return FAILED
        spent = time.perf_counter() - t0
        if own is not None and spent > own:
            mechanism._negotiator_too_slow(negotiator, where, spent)
            return FAILED
        return result
