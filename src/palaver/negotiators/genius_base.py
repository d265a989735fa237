"""The bases of NegMAS's Genius BOA components (``negmas.gb.components.genius``).

NegMAS rewrote the Genius BOA framework's parts in Python: offering
strategies, acceptance conditions and opponent models, named with a ``G``
(``GTimeDependentOffering``, ``GACNext``, ``GHardHeadedFrequencyModel``...).
They plug into :func:`~palaver.negotiators.make_boa` as any component does.
This module holds their three bases:

- :class:`GeniusOfferingPolicy`: an :class:`~palaver.negotiators.OfferingPolicy`
  with the search slack the strategies share;
- :class:`GeniusAcceptancePolicy`: an :class:`~palaver.negotiators.AcceptancePolicy`;
- :class:`GeniusOpponentModel`: a :class:`~palaver.negotiators.UFunModel` (a
  utility function estimating the partner's) that learns from the partner's
  offers, reported by NegMAS's ``on_partner_proposal`` callback (the
  mechanism's ``extra_callbacks``, on by default) or else by the negotiator's
  ``before_responding`` (each offer counted once), and publishes itself in its
  negotiator's ``private_info`` (``"opponent_ufun"``, or
  ``"opponent_ufuns"[partner]`` with more than two negotiators).
"""

from __future__ import annotations

import random
from typing import Any

from palaver._util.checks import check_real
from palaver.negotiators.components import (
    AcceptancePolicy,
    OfferingPolicy,
    component,
    component_field,
)
from palaver.negotiators.opponent_models import UFunModel
from palaver.outcomes import ExtendedOutcome, Outcome

__all__ = ["GeniusAcceptancePolicy", "GeniusOfferingPolicy", "GeniusOpponentModel"]


@component
class GeniusOfferingPolicy(OfferingPolicy):
    """The base of the Genius offering strategies.

    Attributes:
        utility_band_tolerance: The slack (non-negative) on each side of a
            target utility when a strategy looks for an outcome near it
            (NegMAS's, default 0.01).
    """

    utility_band_tolerance: float = component_field(default=0.01, kw_only=True)

    def __attrs_post_init__(self) -> None:
        """Check the tolerance (a non-negative number)."""
        tolerance = check_real("utility_band_tolerance", self.utility_band_tolerance)
        if tolerance < 0:
            raise ValueError(
                f"utility_band_tolerance must be a non-negative number, got {tolerance!r}"
            )
        self.utility_band_tolerance = tolerance


@component
class GeniusAcceptancePolicy(AcceptancePolicy):
    """The base of the Genius acceptance conditions."""


def draw_uniform(negotiator: Any) -> float:
    """A uniform draw in ``[0, 1)`` from ``negotiator``'s generator (a seeded
    mechanism repeats it), from Python's when it has none (or has not joined
    a mechanism yet)."""
    try:
        rng = getattr(negotiator, "random", None)
    except RuntimeError:  # a Palaver negotiator's generator comes with its mechanism
        return random.random()
    if rng is None or not hasattr(rng, "random"):
        return random.random()
    return float(rng.random())


def planned_outcome(offer: Outcome | ExtendedOutcome | None, ufun: Any) -> Outcome | None:
    """The outcome an offering policy's answer stands for (an
    :class:`~palaver.outcomes.ExtendedOutcome` as ``ufun`` would take it)."""
    if isinstance(offer, ExtendedOutcome):
        return offer.best_for(ufun)
    return offer


class GeniusOpponentModel(UFunModel):
    """The base of the Genius opponent models (see the module doc).

    Subclasses learn from each partner offer in ``_observe`` (called by
    :meth:`on_partner_proposal`) and implement :meth:`eval`.
    ``eval_normalized`` is :meth:`eval` (the models' values are already in
    ``[0, 1]``).
    """

    def __init__(self) -> None:
        self._negotiator: Any = None
        super().__init__()

    @property
    def negotiator(self) -> Any:
        """The negotiator the model works for (``None`` before it is given to one)."""
        return self._negotiator

    @negotiator.setter
    def negotiator(self, negotiator: Any) -> None:
        self._negotiator = negotiator

    def _update_private_info(self, partner_id: str | None = None) -> None:
        """Publish the model in its negotiator's ``private_info``: as
        ``"opponent_ufun"`` in a bilateral negotiation, under
        ``"opponent_ufuns"[partner_id]`` with more than two negotiators."""
        negotiator = self._negotiator
        info = getattr(negotiator, "private_info", None)
        if not isinstance(info, dict):
            return
        nmi = getattr(negotiator, "nmi", None)
        n = getattr(nmi, "n_negotiators", 2) if nmi is not None else 2
        if partner_id is not None and isinstance(n, int) and n > 2:
            info.setdefault("opponent_ufuns", {})[partner_id] = self
        else:
            info["opponent_ufun"] = self

    def on_partner_proposal(self, state: Any, partner_id: str, offer: Outcome) -> None:
        """A partner offered ``offer``: learn from it (:meth:`_observe`) and publish the model."""
        super().on_partner_proposal(state, partner_id, offer)
        self._update_private_info(partner_id)

    def before_responding(
        self, state: Any, offer: Outcome | None, source: str | None = None
    ) -> None:
        """The partner ``source`` offered ``offer``: learned from unless the model
        hears :meth:`on_partner_proposal` (see :class:`~palaver.negotiators.UFunModel`)."""
        super().before_responding(state, offer, source)
        self._update_private_info(source)

    def eval_normalized(
        self,
        offer: Outcome | Any,
        above_reserve: bool = True,
        expected_limits: bool = True,
    ) -> float:
        """:meth:`eval` of ``offer`` (``above_reserve`` and ``expected_limits``
        are NegMAS's and change nothing)."""
        return float(self.eval(offer))
