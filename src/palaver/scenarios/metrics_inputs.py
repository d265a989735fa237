"""What the metric calculators read from one negotiation, gathered once.

:class:`MetricInputs` takes every party's utility function, the outcome
space, the parties' ids and the offers in order (``(step, negotiator, offer)``
as ``extended_trace`` lists them), whether from a scenario (its own
``calc_*_metrics``), a live mechanism or a saved
:class:`~palaver.mechanisms.CompletedRun` (the mechanisms layer adds
``MetricInputs.of_mechanism``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from palaver.outcomes import Outcome, OutcomeSpace

__all__ = ["MetricInputs"]


class MetricInputs:
    """What the calculators read from one negotiation.

    Attributes:
        ufuns: Every party's utility function, in the negotiators' order.
        reserved: Their reserved values (a missing or infinite one: the lowest utility).
        ranges: Their ``(min, max)`` utilities over the outcome space.
        trace_utils: Per offer, in order, every party's utility of it.
        trace_offers: The offers (a trace's ``None`` entries, data-only
            messages, are no offers and are left out).
        trace_parties: The index of the party that made each offer.
    """

    def __init__(
        self,
        ufuns: Sequence[Any],
        space: OutcomeSpace,
        negotiator_ids: Sequence[str],
        extended_trace: Iterable[tuple[int, str | None, Outcome | None]],
    ) -> None:
        if not ufuns or any(u is None for u in ufuns):
            missing = [negotiator_ids[i] for i, u in enumerate(ufuns) if u is None]
            raise ValueError(
                f"metrics need every negotiator's utility function: {missing} have none"
                if ufuns
                else "metrics need negotiators with utility functions; there are none"
            )
        self.space = space
        self.ufuns = list(ufuns)
        self.ranges: list[tuple[float, float]] = []
        for u in ufuns:
            low, high = u.minmax(space)
            self.ranges.append((float(low), float(high)))
        self.reserved = [
            _finite_reserved(getattr(u, "reserved_value", None), low)
            for u, (low, _) in zip(ufuns, self.ranges, strict=True)
        ]
        index = {nid: i for i, nid in enumerate(negotiator_ids)}
        self.trace_offers: list[Outcome] = []
        self.trace_parties: list[int] = []
        for _, source, offer in extended_trace:
            if offer is None:
                # a data-only message (SAO's allow_none_with_data): not an offer,
                # as the tournaments' metrics (offer_columns) count it
                continue
            self.trace_offers.append(offer)
            self.trace_parties.append(index.get(source, -1) if source is not None else -1)
        self.trace_utils = [tuple(float(u(o)) for u in ufuns) for o in self.trace_offers]

    def parties(self) -> tuple[list[int] | None, int]:
        """Who made each offer (``None``: some offer's maker is not a party, so
        attribution alternates) and who made the first."""
        first = next((p for p in self.trace_parties if p >= 0), 0)
        if any(p < 0 for p in self.trace_parties):
            return None, first
        return self.trace_parties, first

    def agreement_utils(self, agreement: Outcome | None) -> list[float] | None:
        """Each party's utility of ``agreement`` (``None`` without one)."""
        if agreement is None:
            return None
        # a loaded run's agreement is the YAML list it was saved as
        outcome = tuple(agreement)
        return [float(u(outcome)) for u in self.ufuns]


def _finite_reserved(value: Any, low: float) -> float:
    if value is None or not math.isfinite(float(value)):
        return low
    return float(value)
