"""NegMAS's read-only World views beyond the tutorial (a base of :class:`~palaver.world.World`).

Time used (``time``, ``remaining_time``, ``total_time``, ``frozen_time``),
the saved contracts that erred or were nullified, the per-agent request
counts, the mean rounds of successful and failed negotiations and NegMAS's
``world._negotiations`` (the running negotiations by id). Each is computed
from what the world's engine (``self._palaver``) already keeps.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from palaver.world.contracts import Contract
from palaver.world.engine import Engine

if TYPE_CHECKING:
    from palaver.world.agent import Agent

__all__ = ["RunningNegotiation", "WorldViews"]


class RunningNegotiation(NamedTuple):
    """A running negotiation as NegMAS's ``world._negotiations`` holds it
    (its ``NegotiationInfo``): agents as objects, not ids.

    Attributes:
        mechanism: The mechanism running it (the mechanism itself, as in
            NegMAS; agents get its interface, ``NegotiationInfo.mechanism``).
        partners: The agents taking part, in the request's order.
        annotation: The request's annotation.
        issues: The negotiation issues.
        requested_at: The step it was requested.
        rejectors: The partners that refused (only under ``acceptance="at_least_two"``).
        caller: The agent that requested it.
        group: The ``group`` its request gave (NegMAS's free text), or ``None``.
    """

    mechanism: Any
    partners: list[Agent[Any]]
    annotation: dict[str, Any]
    issues: list[Any]
    requested_at: int
    rejectors: list[Agent[Any]]
    caller: Agent[Any] | None
    group: str | None = None


class _RunningNegotiations:
    """``world._negotiations``: NegMAS's dict of the running negotiations by id.

    A non-data descriptor (no ``__set__``), so a world that assigns
    ``self._negotiations`` for its own use keeps its value: the instance
    attribute wins, and the framework never reads this name.
    """

    @overload
    def __get__(self, world: None, owner: type[Any]) -> _RunningNegotiations: ...

    @overload
    def __get__(
        self, world: WorldViews, owner: type[Any] | None = None
    ) -> dict[str, RunningNegotiation]: ...

    def __get__(
        self, world: WorldViews | None, owner: type[Any] | None = None
    ) -> dict[str, RunningNegotiation] | _RunningNegotiations:
        if world is None:
            return self
        agents = world._palaver.roster.agents
        return {
            nid: RunningNegotiation(
                mechanism=neg.mechanism,
                partners=[agents[p] for p in neg.partners],
                annotation=dict(neg.annotation),
                issues=list(neg.issues),
                requested_at=neg.requested_at,
                rejectors=[agents[r] for r in neg.info.rejectors],
                caller=agents.get(neg.caller),
                group=neg.group,
            )
            for nid, neg in world._palaver.desk.active.items()
        }


class WorldViews:
    """``world.time``, ``remaining_time``, ``total_time``, ``frozen_time``,
    ``erred_contracts``, ``nullified_contracts``, ``negs_initiated``,
    ``neg_requests_sent``, ``n_negotiation_rounds_successful``,
    ``n_negotiation_rounds_failed`` and ``_negotiations`` (NegMAS's names).

    Time is the time used inside steps, the time ``time_limit`` is measured
    against: unlike NegMAS's wall-clock time since the run started, it leaves
    out the time between ``step()`` calls.
    """

    _palaver: Engine
    time_limit: float | None

    #: NegMAS's ``world._negotiations``: a fresh dict, on every read, from each
    #: running negotiation's id to a :class:`RunningNegotiation` (NegMAS's
    #: ``NegotiationInfo`` fields; a negotiation leaves it when it ends). A world
    #: that assigns ``self._negotiations`` keeps its own value instead.
    _negotiations = _RunningNegotiations()

    @property
    def time(self) -> float:
        """Seconds the run has used so far (0.0 before it starts; frozen once it ends)."""
        return self._palaver.clock.used()

    @property
    def remaining_time(self) -> float | None:
        """Seconds left before ``time_limit`` (never below 0.0); ``None`` without a limit."""
        if self.time_limit is None:
            return None
        return max(0.0, self.time_limit - self.time)

    @property
    def frozen_time(self) -> float:
        """:attr:`time` as it was when the last completed step ended (0.0 before one)."""
        return self._palaver.clock.frozen

    @property
    def total_time(self) -> float:
        """Seconds used by the steps completed so far (the same as :attr:`frozen_time`)."""
        return self._palaver.clock.frozen

    @property
    def erred_contracts(self) -> list[Contract]:
        """The saved contracts whose execution raised (Contracts, not NegMAS's dicts)."""
        ledger = self._palaver.ledger
        erred = ledger.erred_ids
        return [c for c in ledger.saved_contracts if c.id in erred]

    @property
    def nullified_contracts(self) -> list[Contract]:
        """The saved contracts the world nullified (``start_contract_execution``
        returned ``None``); erred ones, also marked with ``nullified_at``, are not."""
        ledger = self._palaver.ledger
        erred = ledger.erred_ids
        return [
            c for c in ledger.saved_contracts if c.nullified_at is not None and c.id not in erred
        ]

    @property
    def negs_initiated(self) -> defaultdict[str, int]:
        """Negotiations registered at each agent's request, by agent id (0 for any
        other id, as NegMAS's ``defaultdict``); a copy."""
        return defaultdict(int, self._palaver.desk.intake.quota_total)

    @property
    def neg_requests_sent(self) -> defaultdict[str, int]:
        """Requests each agent made within its quotas, registered or not, by agent
        id (0 for any other id); a copy."""
        return defaultdict(int, self._palaver.desk.intake.requests_sent)

    @property
    def n_negotiation_rounds_successful(self) -> float:
        """Mean rounds of the negotiations that reached an agreement, over the
        steps completed; NaN before any did."""
        totals = self._palaver.ledger.totals
        n = totals["n_contracts_concluded"]
        return totals["n_negotiation_rounds_successful"] / n if n else math.nan

    @property
    def n_negotiation_rounds_failed(self) -> float:
        """Mean rounds of the negotiations that ended without agreement (timed-out
        ones included), over the steps completed; NaN before any did."""
        totals = self._palaver.ledger.totals
        n = totals["n_negotiations_failed"]
        return totals["n_negotiation_rounds_failed"] / n if n else math.nan
