"""Meta-negotiators for SAO: offers and answers pooled from held negotiators.

:class:`GBMetaNegotiator` (NegMAS's name; :class:`SAOMetaNegotiator` is the
same for SAO) asks every negotiator it holds for its offer and passes the
list ``[(negotiator, offer), ...]`` to :meth:`~GBMetaNegotiator.aggregate_proposals`;
asked to answer an offer, it collects their answers and passes
``[(negotiator, response), ...]`` to
:meth:`~GBMetaNegotiator.aggregate_responses`. Subclasses implement those
two (or ``propose`` and ``respond`` themselves). Three strategies come ready
(:class:`SAOAggMetaNegotiator` subclasses), each answering by majority
(ties go to the answer given first):

- :class:`RangeMetaNegotiator`: offers an outcome drawn among those whose
  utility lies between the lowest and the highest of the offers;
- :class:`MeanMetaNegotiator`: offers one drawn among those within
  ``epsilon`` of the offers' mean utility, ``epsilon`` growing from
  ``initial_epsilon`` by ``epsilon_step`` (inside that range) until one is;
- :class:`OSMeanMetaNegotiator`: offers the issue-by-issue mean of the
  offers (the nearest value of a numeric issue; one of the offered values,
  drawn, of any other issue).

The draws use the negotiator's generator (a seeded mechanism repeats them).
The candidate outcomes (at most ``max_cardinality`` of them) are ranked by
utility once per negotiation, so choosing an offer costs a binary search.
"""

from __future__ import annotations

import bisect
from collections import Counter
from typing import Any

from palaver._util.checks import check_int, check_real
from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators.base import Negotiator, SAONegotiator
from palaver.negotiators.meta import MetaNegotiator
from palaver.outcomes import ExtendedOutcome, Outcome
from palaver.outcomes.extended import extract_outcome
from palaver.preferences.changes import PreferencesChange
from palaver.preferences.protocol import utility_of

__all__ = [
    "GBMetaNegotiator",
    "MeanMetaNegotiator",
    "OSMeanMetaNegotiator",
    "RangeMetaNegotiator",
    "SAOAggMetaNegotiator",
    "SAOMetaNegotiator",
]

Proposal = Outcome | ExtendedOutcome | None


class GBMetaNegotiator(MetaNegotiator, SAONegotiator):
    """Offers and answers by pooling its negotiators' (see the module doc)."""

    # It ranks no outcomes itself: the negotiators it holds do.
    uses_ranking = False

    def add_negotiator(
        self, negotiator: Negotiator, name: str | None = None, index: int = -1
    ) -> None:
        """Hold ``negotiator`` (one that proposes; see :meth:`MetaNegotiator.add_negotiator`)."""
        if isinstance(negotiator, Negotiator) and not callable(
            getattr(negotiator, "propose", None)
        ):
            raise TypeError(
                f"negotiator {negotiator.id!r} ({type(negotiator).__name__}) cannot propose: "
                f"{type(self).__name__} holds SAO negotiators"
            )
        super().add_negotiator(negotiator, name, index)

    @property
    def gb_negotiators(self) -> tuple[Any, ...]:
        """The negotiators it holds (NegMAS's name)."""
        return tuple(self._negotiators)

    def aggregate_proposals(
        self, state: MechanismState, proposals: list[tuple[Any, Proposal]], dest: str | None = None
    ) -> Proposal:
        """The offer made from the held negotiators' ``proposals`` (implement it)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement aggregate_proposals (or propose)"
        )

    def aggregate_responses(
        self,
        state: MechanismState,
        responses: list[tuple[Any, ResponseType]],
        offer: Outcome | None,
        source: str | None = None,
    ) -> ResponseType:
        """The answer made from the held negotiators' ``responses`` (implement it)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement aggregate_responses (or respond)"
        )

    def propose(self, state: MechanismState, dest: str | None = None) -> Proposal:  # type: ignore[override]
        """Each held negotiator's offer, pooled by :meth:`aggregate_proposals`."""
        proposals = [(n, n.propose(state)) for n in self._negotiators]
        return self.aggregate_proposals(state, proposals, dest=dest)

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Each held negotiator's answer to ``offer``, pooled by :meth:`aggregate_responses`."""
        responses = [(n, n.respond(state, offer)) for n in self._negotiators]
        source = getattr(state, "current_proposer", None)
        return self.aggregate_responses(state, responses, offer, source=source)

    def on_partner_proposal(self, state: MechanismState, partner_id: str, offer: Outcome) -> None:
        """Tell each held negotiator that has the callback."""
        self._tell("on_partner_proposal", state, partner_id, offer)

    def on_partner_response(
        self, state: MechanismState, partner_id: str, outcome: Outcome, response: ResponseType
    ) -> None:
        """Tell each held negotiator that has the callback."""
        self._tell("on_partner_response", state, partner_id, outcome, response)

    def on_negotiator_left(self, negotiator_id: str, state: MechanismState) -> None:
        """Tell each held negotiator that has the callback."""
        self._tell("on_negotiator_left", negotiator_id, state)

    def on_negotiator_entered(self, negotiator_id: str, state: MechanismState) -> None:
        """Tell each held negotiator that has the callback."""
        self._tell("on_negotiator_entered", negotiator_id, state)


class SAOMetaNegotiator(GBMetaNegotiator):
    """:class:`GBMetaNegotiator` under its SAO name."""

    @property
    def sao_negotiators(self) -> tuple[Any, ...]:
        """The negotiators it holds (NegMAS's name)."""
        return tuple(self._negotiators)


def _majority(responses: list[tuple[Any, ResponseType]]) -> ResponseType:
    """The most common answer (the first given among equals); reject when none."""
    if not responses:
        return ResponseType.REJECT_OFFER
    counts = Counter(r for _, r in responses)
    top = max(counts.values())
    return next(r for _, r in responses if counts[r] == top)


class SAOAggMetaNegotiator(SAOMetaNegotiator):
    """A :class:`SAOMetaNegotiator` that answers by majority and offers from a
    ranking of candidate outcomes by utility (see the module doc).

    Args:
        max_cardinality: The most candidate outcomes ranked (default 10,000;
            a sample of the outcome space when it has more).
        *args, **kwargs: As for :class:`~palaver.negotiators.meta.MetaNegotiator`.
    """

    def __init__(self, *args: Any, max_cardinality: int = 10_000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._max_cardinality = check_int("max_cardinality", max_cardinality, minimum=1)
        self._by_utility: tuple[list[float], list[Outcome]] | None = None

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Rank the candidates afresh when next needed; tell the held negotiators."""
        self._by_utility = None
        super().on_preferences_changed(changes)

    def _candidates(self) -> tuple[list[float], list[Outcome]] | None:
        """The candidates' utilities (ascending) and the candidates in that order."""
        if self._by_utility is None:
            ufun, nmi = self.ufun, self.nmi
            if ufun is None or nmi is None:
                return None
            outcomes = nmi.outcome_space.enumerate_or_sample(
                max_cardinality=self._max_cardinality, seed=self.random
            )
            pairs = sorted(((utility_of(ufun, o), i) for i, o in enumerate(outcomes)))
            self._by_utility = ([u for u, _ in pairs], [outcomes[i] for _, i in pairs])
        return self._by_utility

    def _utilities(self, proposals: list[tuple[Any, Proposal]]) -> list[tuple[float, Proposal]]:
        ufun = self.ufun
        assert ufun is not None
        return [(utility_of(ufun, extract_outcome(p)), p) for _, p in proposals if p is not None]

    def _draw_between(self, low: float, high: float) -> Outcome | None:
        """A candidate with utility in ``[low, high]``, drawn (``None`` when none is)."""
        ranked = self._candidates()
        if ranked is None:
            return None
        utils, outcomes = ranked
        start, stop = bisect.bisect_left(utils, low), bisect.bisect_right(utils, high)
        if start >= stop:
            return None
        return outcomes[start + int(self.random.integers(stop - start))]

    def aggregate_responses(
        self,
        state: MechanismState,
        responses: list[tuple[Any, ResponseType]],
        offer: Outcome | None,
        source: str | None = None,
    ) -> ResponseType:
        """The majority answer (the first given among equals)."""
        return _majority(responses)


class RangeMetaNegotiator(SAOAggMetaNegotiator):
    """Offers a candidate between the lowest and highest utility of its negotiators' offers."""

    def aggregate_proposals(
        self, state: MechanismState, proposals: list[tuple[Any, Proposal]], dest: str | None = None
    ) -> Proposal:
        """A drawn candidate in the offers' utility range (the only offer when one)."""
        if self.ufun is None or self.nmi is None:
            return None
        scored = self._utilities(proposals)
        if len(scored) <= 1:
            return scored[0][1] if scored else None
        utils = [u for u, _ in scored]
        found = self._draw_between(min(utils), max(utils))
        return found if found is not None else scored[0][1]


class MeanMetaNegotiator(SAOAggMetaNegotiator):
    """Offers a candidate near the mean utility of its negotiators' offers.

    Args:
        initial_epsilon: The first half-width around the mean (default 0.05).
        epsilon_step: How much it widens each time nothing is found (0.1; positive).
        max_cardinality: As for :class:`SAOAggMetaNegotiator`.
    """

    def __init__(
        self,
        *args: Any,
        initial_epsilon: float = 0.05,
        epsilon_step: float = 0.1,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._initial_epsilon = check_real("initial_epsilon", initial_epsilon)
        self._epsilon_step = check_real("epsilon_step", epsilon_step, positive=True)

    def aggregate_proposals(
        self, state: MechanismState, proposals: list[tuple[Any, Proposal]], dest: str | None = None
    ) -> Proposal:
        """A drawn candidate within the smallest epsilon of the offers' mean utility."""
        if self.ufun is None or self.nmi is None:
            return None
        scored = self._utilities(proposals)
        if len(scored) <= 1:
            return scored[0][1] if scored else None
        utils = [u for u, _ in scored]
        lowest, highest = min(utils), max(utils)
        mean = sum(utils) / len(utils)
        epsilon = self._initial_epsilon
        while epsilon <= highest - lowest + self._epsilon_step:
            found = self._draw_between(max(lowest, mean - epsilon), min(highest, mean + epsilon))
            if found is not None:
                return found
            epsilon += self._epsilon_step
        found = self._draw_between(lowest, highest)
        return found if found is not None else scored[0][1]


class OSMeanMetaNegotiator(SAOAggMetaNegotiator):
    """Offers the issue-by-issue mean of its negotiators' offers (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per issue: None (not numeric), () (continuous) or its sorted values.
        self._numeric: list[tuple[Any, ...] | None] | None = None

    def _issue_kinds(self) -> list[tuple[Any, ...] | None]:
        if self._numeric is None:
            assert self.nmi is not None
            kinds: list[tuple[Any, ...] | None] = []
            for issue in self.nmi.outcome_space.issues:
                if not bool(issue.is_numeric):
                    kinds.append(None)
                elif bool(issue.is_continuous):
                    kinds.append(())
                else:
                    kinds.append(tuple(sorted(issue.all_values)))
            self._numeric = kinds
        return self._numeric

    def aggregate_proposals(
        self, state: MechanismState, proposals: list[tuple[Any, Proposal]], dest: str | None = None
    ) -> Proposal:
        """The issue-by-issue mean of the offers (the only offer when one)."""
        if self.nmi is None:
            return None
        offers: list[Outcome] = [
            o for o in (extract_outcome(p) for _, p in proposals) if o is not None
        ]
        if len(offers) <= 1:
            return offers[0] if offers else None
        issues = self.nmi.outcome_space.issues
        values: list[Any] = []
        for i, kind in enumerate(self._issue_kinds()):
            offered = [o[i] for o in offers]
            if kind is None:
                values.append(offered[int(self.random.integers(len(offered)))])
                continue
            mean = sum(offered) / len(offered)
            if not kind:  # continuous: the mean within the issue's range
                low, high = issues[i].values
                values.append(float(min(max(mean, low), high)))
                continue
            at = bisect.bisect_left(kind, mean)
            near = [kind[j] for j in (at - 1, at) if 0 <= j < len(kind)]
            values.append(min(near, key=lambda v: abs(v - mean)))
        return tuple(values)
