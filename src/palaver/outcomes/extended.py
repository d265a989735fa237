"""NegMAS's ``ExtendedOutcome``: an offer with extra data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from palaver.outcomes.space import Outcome, OutcomeSpace

__all__ = ["ExtendedOutcome"]


@dataclass
class ExtendedOutcome:
    """An outcome offered with extra data (NegMAS's ``ExtendedOutcome``).

    A negotiator's ``propose`` may return one instead of a plain outcome:
    Palaver's SAO mechanism takes its ``outcome`` as the offer. The ``data``
    (NegMAS's text or metadata) and ``outcome_space`` are not kept: Palaver's
    offers are outcomes only. ``outcome=None`` is refused as an invalid offer
    (return ``None`` itself to make no offer).

    Attributes:
        outcome: The offered outcome.
        outcome_space: NegMAS's set of offers (unused here).
        data: Extra information, such as ``{"text": "..."}``.
    """

    outcome: Outcome | None
    outcome_space: OutcomeSpace | None = None
    data: dict[str, Any] | None = None
