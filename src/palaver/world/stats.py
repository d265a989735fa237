"""The ledger: per-step counters flushed into series, run totals, saved records, scores."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from palaver.world.contracts import Breach, Contract, NegotiationRecord

__all__ = ["COUNTERS", "Ledger"]

#: The built-in per-step counters (each also has a run total in ``World.totals``).
COUNTERS: tuple[str, ...] = (
    "n_negotiations_requested",
    "n_negotiations_refused",
    "n_negotiations_rejected",
    "n_negotiations_accepted",
    "n_negotiations_started",
    "n_negotiations_succeeded",
    "n_negotiations_failed",
    "n_negotiations_timedout",
    "n_negotiations_cancelled",
    "n_negotiation_rounds_successful",
    "n_negotiation_rounds_failed",
    "n_contracts_concluded",
    "n_contracts_signed",
    "n_contracts_cancelled",
    "n_contracts_executed",
    "n_contracts_breached",
    "n_contracts_nullified",
    "n_contracts_erred",
    "n_contracts_unexecuted",
    "n_breaches",
    "n_breaches_resolved",
    "n_renegotiations",
    "n_actions",
    "n_messages",
    "n_agent_exceptions",
    "n_simulation_exceptions",
    "n_mechanism_exceptions",
    "n_contract_exceptions",
)


class Ledger:
    """What a run has counted and kept: the current step's counters, their per-step
    series, run totals, the saved records, the agents' scores and the stats monitors.

    ``series`` is the world's ``_stats``: a ``defaultdict(list)`` that worlds
    extend in ``pre_step_stats`` / ``post_step_stats`` (one value per step).
    The ledger only keeps; the components that see something happen write it.

    Args:
        max_saved: How many of each kind of saved record to keep (``None``: all).
    """

    def __init__(self, max_saved: int | None = None) -> None:
        self.saved_contracts: deque[Contract] = deque(maxlen=max_saved)
        self.cancelled_contracts: deque[Contract] = deque(maxlen=max_saved)
        self.saved_negotiations: deque[NegotiationRecord] = deque(maxlen=max_saved)
        self.resolved_breaches: deque[Breach] = deque(maxlen=max_saved)
        self.unresolved_breaches: deque[Breach] = deque(maxlen=max_saved)
        #: Summed ``contract_size`` of the contracts each agent executed, by agent id.
        self.scores: dict[str, float] = {}
        #: Called as ``monitor(row, world)`` with every step's statistics row.
        self.monitors: list[Callable[[dict[str, Any], Any], Any]] = []
        self.series: defaultdict[str, list[Any]] = defaultdict(list)
        self.current: dict[str, float] = dict.fromkeys(COUNTERS, 0)
        self.totals: dict[str, float] = dict.fromkeys(COUNTERS, 0)
        self.executed_size = 0.0
        #: Summed level of the breaches left unresolved this step.
        self.breach_level = 0.0
        #: The length of every series at the last flush.
        self.lengths: dict[str, int] = {}
        #: Ids of breached contracts (as keys, in order), kept while they may
        #: still be in :attr:`saved_contracts`: NegMAS's ``executed_contracts``
        #: are those executed without a breach.
        self.breached_ids: dict[str, None] = {}
        #: Ids of contracts whose execution raised, kept like :attr:`breached_ids`
        #: (an erred contract is marked nullified too: NegMAS's ``erred_contracts``
        #: and ``nullified_contracts`` tell them apart).
        self.erred_ids: dict[str, None] = {}

    def breached(self, contract: Contract) -> None:
        """Remember that ``contract`` was breached."""
        self.breached_ids = self._remember(self.breached_ids, contract)

    def erred(self, contract: Contract) -> None:
        """Remember that executing ``contract`` raised."""
        self.erred_ids = self._remember(self.erred_ids, contract)

    def _remember(self, ids: dict[str, None], contract: Contract) -> dict[str, None]:
        # Ids of contracts no longer saved are dropped now and then, so that
        # ids holds no more than about twice as many ids as contracts are saved.
        ids[contract.id] = None
        limit = self.saved_contracts.maxlen
        if limit is not None and len(ids) > 2 * limit:
            saved = {c.id for c in self.saved_contracts}
            return {i: None for i in ids if i in saved}
        return ids

    def count(self, name: str, n: float = 1) -> None:
        """Add ``n`` to the current step's counter ``name``."""
        self.current[name] += n

    def _counted(self) -> dict[str, Any]:
        """What was counted since the last row, with NegMAS's derived names."""
        current = self.current
        row: dict[str, Any] = dict(current)
        row["executed_contracts_size"] = self.executed_size
        # NegMAS's base statistics, under NegMAS's names (see docs/world.md).
        row["n_negotiations"] = current["n_negotiations_accepted"]
        row["n_negotiation_successful"] = current["n_negotiations_succeeded"]
        row["n_negotiation_failed"] = current["n_negotiations_failed"]
        row["n_contracts_dropped"] = 0
        row["activity_level"] = self.executed_size
        row["breach_level"] = self.breach_level
        return row

    def fold(self) -> None:
        """Add what was counted since the last row to the totals and to the last row
        of the series (a run ended outside a step: timed out before one, or stopped
        by an exception), so that every counter's series still sums to its total.

        Without any row yet, the counts become the first row.
        """
        row = self._counted()
        series = self.series
        if not series.get("n_negotiations_requested"):
            self.flush({})
            return
        for k, v in row.items():
            values = series[k]
            values[-1] += v
        self.flush({}, append=False)

    def malformed_series(self) -> list[str]:
        """The keys of ``_stats`` whose value a world replaced by something that
        is not a list (``self._stats["x"] = 5`` instead of ``.append(5)``)."""
        return [k for k, v in self.series.items() if not isinstance(v, list)]

    def check_series(self) -> None:
        """Raise a ``ValueError`` naming the first key of ``_stats`` that is not a list.

        Building the step's row from it failed with Python's "object of type
        'int' has no len()", naming neither the key nor the fix.
        """
        for key in self.malformed_series():
            value = self.series[key]
            raise ValueError(
                f"self._stats[{key!r}] is {value!r} ({type(value).__name__}), not a list: "
                f"statistics are one value per step, appended (self._stats[{key!r}]"
                ".append(value))"
            )

    def flush(self, extra: dict[str, Any], append: bool = True) -> dict[str, Any]:
        """Close the current step: add its counters to the totals and (with
        ``append``) to the series together with ``extra``; returns the row."""
        if append:
            self.check_series()
        row = self._counted()
        row.update(extra)
        totals = self.totals
        for k, v in self.current.items():
            totals[k] += v
        if append:
            series = self.series
            for k, v in row.items():
                series[k].append(v)
            # What the world's own stats hooks appended during this step joins
            # the row, so that the stats event and the monitors see it too.
            lengths = self.lengths
            for k, values in series.items():
                n = len(values)
                if lengths.get(k) != n:
                    lengths[k] = n
                    if k not in row and n:
                        row[k] = values[-1]
        self.current = dict.fromkeys(COUNTERS, 0)
        self.executed_size = 0.0
        self.breach_level = 0.0
        return row
