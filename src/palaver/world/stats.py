"""Per-step statistics: counters flushed into series at the end of every step."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

__all__ = ["COUNTERS", "StatsBook"]

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


class StatsBook:
    """Counters of the current step, their per-step series, and run totals.

    ``series`` is the world's ``_stats``: a ``defaultdict(list)`` that worlds
    extend in ``pre_step_stats`` / ``post_step_stats`` (one value per step).
    """

    def __init__(self) -> None:
        self.series: defaultdict[str, list[Any]] = defaultdict(list)
        self.current: dict[str, float] = dict.fromkeys(COUNTERS, 0)
        self.totals: dict[str, float] = dict.fromkeys(COUNTERS, 0)
        self.executed_size = 0.0
        #: Summed level of the breaches left unresolved this step.
        self.breach_level = 0.0
        #: The length of every series at the last flush.
        self.lengths: dict[str, int] = {}

    def flush(self, extra: dict[str, Any], append: bool = True) -> dict[str, Any]:
        """Close the current step: add its counters to the totals and (with
        ``append``) to the series together with ``extra``; returns the row."""
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
