"""NegMAS's read-only World views beyond the tutorial (a base of :class:`~palaver.world.World`).

Time used (``time``, ``remaining_time``, ``total_time``, ``frozen_time``),
the saved contracts that erred or were nullified, the per-agent request
counts and the mean rounds of successful and failed negotiations. Each is
computed from what the world's engine (``self._palaver``) already keeps.
"""

from __future__ import annotations

import math
from collections import defaultdict

from palaver.world.contracts import Contract
from palaver.world.engine import Engine

__all__ = ["WorldViews"]


class WorldViews:
    """``world.time``, ``remaining_time``, ``total_time``, ``frozen_time``,
    ``erred_contracts``, ``nullified_contracts``, ``negs_initiated``,
    ``neg_requests_sent``, ``n_negotiation_rounds_successful`` and
    ``n_negotiation_rounds_failed`` (NegMAS's names).

    Time is the time used inside steps, the time ``time_limit`` is measured
    against: unlike NegMAS's wall-clock time since the run started, it leaves
    out the time between ``step()`` calls.
    """

    _palaver: Engine
    time_limit: float | None

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
