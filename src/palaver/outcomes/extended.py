"""NegMAS's ``ExtendedOutcome`` (an offer with extra data) and its readers
``extract_outcome``, ``extract_text`` and ``extract_data``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from palaver.outcomes.space import Outcome, OutcomeSpace

__all__ = ["ExtendedOutcome", "extract_data", "extract_outcome", "extract_text"]


@dataclass(frozen=True)
class ExtendedOutcome:
    """An outcome offered with extra data (NegMAS's ``ExtendedOutcome``).

    A negotiator's ``propose`` may return one instead of a plain outcome:
    Palaver's SAO mechanism takes its ``outcome`` as the offer and keeps its
    ``data`` (NegMAS's text or metadata) with the offer, in the history and in
    ``state.current_data``. ``outcome=None`` with data is a message that
    withdraws the standing offer without ending the negotiation (with the
    mechanism's ``allow_none_with_data=True``, the default; see the guide's
    negotiation page). ``outcome_space`` is not used by the mechanism (see
    :meth:`best_for`). It is frozen, as NegMAS's is.

    Attributes:
        outcome: The offered outcome.
        outcome_space: NegMAS's set of offers (unused here).
        data: Extra information, such as ``{"text": "..."}``.
    """

    outcome: Outcome | None
    outcome_space: OutcomeSpace | None = None
    data: dict[str, Any] | None = None

    def best_for(self, ufun: Any) -> Outcome | None:
        """The offer as ``ufun`` would take it (NegMAS's): the best outcome of
        :attr:`outcome_space` for ``ufun`` when one is given, else :attr:`outcome`."""
        if self.outcome_space is None:
            return self.outcome
        best: Outcome = ufun.best(self.outcome_space)
        return best


def extract_outcome(outcome: Outcome | ExtendedOutcome | None) -> Outcome | None:
    """The outcome of an :class:`ExtendedOutcome`; anything else as it is (NegMAS's)."""
    return outcome.outcome if isinstance(outcome, ExtendedOutcome) else outcome


def extract_text(outcome: Outcome | ExtendedOutcome | None) -> str | None:
    """The ``"text"`` of an :class:`ExtendedOutcome`'s data (``""`` when its data
    has none); ``None`` without data or for a plain outcome (NegMAS's rule)."""
    if not isinstance(outcome, ExtendedOutcome) or not outcome.data:
        return None
    text: str | None = outcome.data.get("text", "")
    return text


def extract_data(outcome: Outcome | ExtendedOutcome | None) -> dict[str, Any] | None:
    """The ``"data"`` entry of an :class:`ExtendedOutcome`'s data (NegMAS's rule:
    ``None`` without it, without data, or for a plain outcome)."""
    if not isinstance(outcome, ExtendedOutcome) or not outcome.data:
        return None
    data: dict[str, Any] | None = outcome.data.get("data")
    return data
