"""The two halves of Nice Tit for Tat: its bidding strategy and its acceptance condition.

:class:`NiceTitForTatOfferingPolicy` and :class:`ACCombi` are NegMAS's names
for the offering and acceptance components of its Nice Tit for Tat (Baarslag,
Hindriks and Jonker, "A Tit for Tat Negotiation Strategy for Real-Time
Bilateral Negotiations", 2013). :class:`~palaver.negotiators.NiceTitForTatNegotiator`
builds one of each; they can also be built and called alone, given a
``negotiator`` with a utility function (and, for the offering policy, an
``opponent_model``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from palaver._util.checks import check_bool, check_int, check_real
from palaver.mechanisms import ResponseType
from palaver.negotiators.ranking import OutcomeRanking, ranking_for
from palaver.outcomes import Outcome, OutcomeSpace
from palaver.preferences import (
    ConstUtilityFunction,
    UtilityFunction,
    kalai_points,
    ks_points,
    max_relative_welfare_points,
    nash_points,
)
from palaver.preferences.frontier_points import Points
from palaver.preferences.protocol import UtilityFunctionLike, utility_of

__all__ = ["NICE_TARGETS", "ACCombi", "NiceTitForTatOfferingPolicy"]

#: The bargaining solutions :class:`NiceTitForTatOfferingPolicy` can aim for.
NICE_TARGETS = ("nash", "kalai", "kalai_smorodinsky", "ks", "max_welfare", "max_relative_welfare")

_POINTS: dict[str, Callable[..., Points]] = {
    "nash": nash_points,
    "kalai": kalai_points,
    "kalai_smorodinsky": ks_points,
    "ks": ks_points,
    "max_relative_welfare": max_relative_welfare_points,
}

# Utility ranges narrower than this are one utility (NegMAS's tolerance).
_FLAT = 1e-5


class _Proposer(Protocol):
    """What :class:`ACCombi` needs of an offering policy."""

    def propose(self, state: Any, dest: str | None = None) -> Outcome | None:
        """The offer it would make now."""
        ...


def _space_of(negotiator: Any, ufun: UtilityFunctionLike) -> OutcomeSpace | None:
    space: OutcomeSpace | None = ufun.outcome_space
    nmi = getattr(negotiator, "nmi", None)
    if space is None and nmi is not None:
        space = nmi.outcome_space
    return space


class _Scale:
    """A utility function's grid ranking and the maps onto its ``[0, 1]`` scale."""

    def __init__(self, ufun: UtilityFunctionLike, space: OutcomeSpace, levels: int) -> None:
        self.ufun = ufun
        self.space = space
        self.ranking: OutcomeRanking = ranking_for(ufun, space, levels)
        utils = self.ranking.utilities
        self.low, self.high = float(utils[0]), float(utils[-1])
        self.flat = not self.high - self.low >= _FLAT
        span = self.high - self.low
        rv = float(ufun.reserved_value)
        # The reserved value on the [0, 1] scale (NegMAS's normalize_reserved_values).
        self.reserved = (rv - self.low) / span if math.isfinite(rv) and not self.flat else -math.inf

    def normalized(self, outcome: Outcome) -> float:
        """``outcome`` on the scale where the worst grid outcome is 0 and the best 1."""
        if self.flat:
            return 1.0
        return (self.ranking.utility(outcome) - self.low) / (self.high - self.low)

    def above_reserve(self, outcome: Outcome) -> float:
        """:meth:`normalized`, re-based at the reserved value when it is above 0
        (``eval_normalized`` of the normalized ufun, as NegMAS measures offers)."""
        value = self.normalized(outcome)
        base = max(0.0, self.reserved)
        if base > 1.0:
            return 0.0
        if not 1.0 - base >= _FLAT:
            return 1.0
        return (value - base) / (1.0 - base)


def _normalized(negotiator: Any, ufun: UtilityFunctionLike, outcome: Outcome) -> float:
    """``ufun.eval_normalized(outcome)``, or its grid equivalent for a ufun without one."""
    evaluate = getattr(ufun, "eval_normalized", None)
    if evaluate is not None:
        return float(evaluate(outcome))
    space = _space_of(negotiator, ufun)
    if space is None:
        raise ValueError(f"cannot normalize the utilities of {ufun!r}: it has no outcome space")
    return _Scale(ufun, space, getattr(negotiator, "n_levels", 10)).above_reserve(outcome)


class NiceTitForTatOfferingPolicy:
    """Nice Tit for Tat's bids: mirror the partner's concession, aiming for a bargaining point.

    All utilities are on the negotiator's ``[0, 1]`` scale (0 its worst
    outcome, 1 its best). Each time it is asked for an offer it:

    1. estimates the chosen bargaining solution (``target``) on the Pareto
       frontier of its own utility and the opponent model's (every outcome
       of the discretized space, at most ``max_cardinality`` of them, both
       utilities at or above their reserved values), re-estimated every
       ``nash_refresh`` rounds as the model learns; ``my_nash`` is its own
       utility there times ``nash_multiplier_base - nash_multiplier_gap_weight
       * gap`` (``gap``: 1 minus the partner's first offer's utility), floored
       at ``nash_min`` for ``"nash"`` and at the reserved value always
       (``default_nash_utility`` stands in when there is no frontier);
    2. reciprocates: the partner's concession is how far the best offer it
       made has moved from its first offer (in its own utility); as a share
       of the way from that first offer to ``my_nash``, it concedes the same
       share of the way from 1 down to ``my_nash``;
    3. adds a concession bonus, a share of the rest of the way to
       ``my_nash``: ``discount_bonus_base - discount_bonus_weight *
       discount`` (0.1 without discounting), or, after ``bonus_start_time``
       (``bonus_start_time_big_domain`` above ``big_domain_cardinality``
       outcomes), ``bonus_ramp_rate * (time - start)`` when larger, at most 1;
    4. offers, among the outcomes worth at least that target to it, the one
       the opponent model values most (the one better for itself among
       equals), unless the best offer the partner made is worth at least as
       much to it: then that offer.

    Its first offer is its best outcome. Each round's offer is computed once
    (:meth:`propose` keeps it for the round, so :class:`ACCombi` and the
    negotiator's proposal agree).

    Args:
        sample_size: NegMAS's sample of the utility band when it cannot search
            the frontier; accepted (a positive int), unused: this policy always
            searches every outcome of the band.
        max_cardinality: At most this many outcomes (evenly spread over its
            own utility) are searched for the bargaining point (default 10000).
        nash_refresh: Re-estimate the bargaining point every this many rounds.
        stochastic: NegMAS's random choice when there is no opponent model;
            accepted, unused (the negotiator always has one).
        target: ``"nash"`` (default), ``"kalai"``, ``"kalai_smorodinsky"``
            (or ``"ks"``), ``"max_welfare"`` or ``"max_relative_welfare"``.
        levels: Values per continuous issue when discretizing (default 20).
        nash_min, nash_multiplier_base, nash_multiplier_gap_weight,
        default_nash_utility, discount_bonus_base, discount_bonus_weight,
        big_domain_cardinality, bonus_start_time, bonus_start_time_big_domain,
        bonus_ramp_rate: The constants above (defaults: the paper's, 0.5,
            1.4, 0.6, 0.7, 0.5, 0.4, 3000, 0.91, 0.85, 20).

    Attributes:
        negotiator: The negotiator it bids for (needs ``ufun`` and
            ``opponent_model``).
        target_utility: The utility its latest offer had to reach, ``None``
            before the first.
    """

    def __init__(
        self,
        sample_size: int = 100,
        max_cardinality: int = 10000,
        nash_refresh: int = 1,
        stochastic: bool = False,
        target: str = "nash",
        levels: int = 20,
        nash_min: float = 0.5,
        nash_multiplier_base: float = 1.4,
        nash_multiplier_gap_weight: float = 0.6,
        default_nash_utility: float = 0.7,
        discount_bonus_base: float = 0.5,
        discount_bonus_weight: float = 0.4,
        big_domain_cardinality: float = 3000,
        bonus_start_time: float = 0.91,
        bonus_start_time_big_domain: float = 0.85,
        bonus_ramp_rate: float = 20.0,
    ) -> None:
        if target not in NICE_TARGETS:
            raise ValueError(f"target must be one of {', '.join(NICE_TARGETS)}; got {target!r}")
        self.target = target
        self.sample_size = check_int("sample_size", sample_size, minimum=1)
        self.max_cardinality = check_int("max_cardinality", max_cardinality, minimum=1)
        self.nash_refresh = check_int("nash_refresh", nash_refresh, minimum=1)
        self.stochastic = check_bool("stochastic", stochastic)
        self.levels = check_int("levels", levels, minimum=2)
        self.nash_min = check_real("nash_min", nash_min)
        self.nash_multiplier_base = check_real("nash_multiplier_base", nash_multiplier_base)
        self.nash_multiplier_gap_weight = check_real(
            "nash_multiplier_gap_weight", nash_multiplier_gap_weight
        )
        self.default_nash_utility = check_real("default_nash_utility", default_nash_utility)
        self.discount_bonus_base = check_real("discount_bonus_base", discount_bonus_base)
        self.discount_bonus_weight = check_real("discount_bonus_weight", discount_bonus_weight)
        self.big_domain_cardinality = check_real(
            "big_domain_cardinality", big_domain_cardinality, inf_ok=True
        )
        self.bonus_start_time = check_real("bonus_start_time", bonus_start_time)
        self.bonus_start_time_big_domain = check_real(
            "bonus_start_time_big_domain", bonus_start_time_big_domain
        )
        self.bonus_ramp_rate = check_real("bonus_ramp_rate", bonus_ramp_rate)
        self.negotiator: Any = None
        self._scale: _Scale | None = None
        self._planned: tuple[int, Outcome | None] | None = None
        self.reset()

    def reset(self) -> None:
        """Forget the partner's offers and the bargaining point (a new negotiation)."""
        self._target_util: float | None = None
        self._point_cache: tuple[float, float, float] | None = None
        self._point_cache_step = -1
        self._frontier_outcomes: list[Outcome] = []
        self._opp_first_util: float | None = None
        self._opp_max_util: float | None = None
        self._opp_best_bid: Outcome | None = None
        self._planned = None

    def on_preferences_changed(self, changes: Any = None) -> None:
        """The negotiator's utility function changed: its scale is computed anew."""
        self._scale = None
        self._point_cache = None
        self._frontier_outcomes = []
        self._planned = None

    @property
    def target_utility(self) -> float | None:
        """The utility its latest offer had to reach (``None`` before the first)."""
        return self._target_util

    def _own_scale(self) -> _Scale | None:
        negotiator = self.negotiator
        ufun = getattr(negotiator, "ufun", None)
        if ufun is None:
            return None
        scale = self._scale
        if scale is None or scale.ufun is not ufun:
            space = _space_of(negotiator, ufun)
            if space is None:
                raise ValueError(
                    f"{type(negotiator).__name__} cannot bid: its utility function has no "
                    "outcome space (give it one, or let a mechanism bind it)"
                )
            scale = self._scale = _Scale(ufun, space, self.levels)
        return scale

    def before_responding(
        self, state: Any, offer: Outcome | None, source: str | None = None
    ) -> None:
        """Note the partner's ``offer``: its first, and its best so far (for itself)."""
        scale = self._own_scale()
        if offer is None or scale is None:
            return
        u = scale.above_reserve(tuple(offer))
        if not math.isfinite(u):
            return
        if self._opp_first_util is None:
            self._opp_first_util = u
        if self._opp_max_util is None or u > self._opp_max_util:
            self._opp_max_util = u
            self._opp_best_bid = tuple(offer)

    def _frontier(
        self, scale: _Scale, model: UtilityFunctionLike
    ) -> tuple[list[Outcome], np.ndarray]:
        """The Pareto-optimal searched outcomes and their (own, model) utilities.

        Outcomes are searched in the space's enumeration order (at most
        ``max_cardinality``, evenly spread). The frontier is listed by
        decreasing sum of the two utilities (equal sums in the order
        ``numpy.argsort`` leaves them, reversed), and of outcomes with equal
        utilities only the first is kept: NegMAS's order, on which its choice
        among equally good outcomes depends.
        """
        outcomes: list[Outcome] = list(scale.ranking.grid_objects)
        own = np.asarray(scale.ranking.values, dtype=float)
        if len(outcomes) > self.max_cardinality:
            picks = np.unique(np.linspace(0, len(outcomes) - 1, self.max_cardinality).round())
            outcomes = [outcomes[int(i)] for i in picks]
            own = own[picks.astype(int)]
        own = np.ones_like(own) if scale.flat else (own - scale.low) / (scale.high - scale.low)
        many = getattr(model, "eval_many", None)
        if many is not None:
            opp = np.asarray(many(outcomes), dtype=float)
        else:
            opp = np.fromiter((float(model(o)) for o in outcomes), dtype=float, count=len(outcomes))
        utils = np.column_stack((own, opp))
        order = np.argsort(utils.sum(axis=1))[::-1]
        ranked = utils[order]
        kept = np.ones(len(ranked), dtype=bool)
        for i in range(len(ranked)):
            if kept[i]:
                # drop what ranked[i] weakly dominates (so later equal points too)
                kept[kept] = (ranked[kept] > ranked[i]).any(axis=1)
                kept[i] = True
        chosen = order[np.flatnonzero(kept)]
        return [tuple(outcomes[int(i)]) for i in chosen], utils[chosen]

    def _target_point(
        self, ufun: UtilityFunctionLike, opponent_model: UtilityFunctionLike | None
    ) -> tuple[float, float, float] | None:
        """``(own, partner's, best partner's)`` utilities at the bargaining point, or ``None``.

        On the Pareto frontier of the searched outcomes (see :meth:`_frontier`,
        kept for choosing the round's offer), restricted to outcomes worth the
        reserved values of both; ``None`` without a model, or when no outcome
        is rational for both.
        """
        scale = self._own_scale()
        if opponent_model is None or scale is None:
            return None
        self._frontier_outcomes, frontier = self._frontier(scale, opponent_model)
        model_rv = float(opponent_model.reserved_value)
        rational = (frontier[:, 0] >= scale.reserved) & (
            frontier[:, 1] >= (model_rv if math.isfinite(model_rv) else -math.inf)
        )
        frontier = frontier[rational & np.isfinite(frontier).all(axis=1)]
        if len(frontier) == 0:
            return None
        best_opp = float(frontier[:, 1].max())
        if self.target == "max_welfare":
            p_me, p_opp = frontier[int(np.argmax(frontier.sum(axis=1)))]
            return float(p_me), float(p_opp), best_opp
        reserved = scale.reserved if math.isfinite(scale.reserved) else -math.inf
        holders: list[UtilityFunction] = [
            ConstUtilityFunction(0.0, reserved_value=reserved),
            ConstUtilityFunction(0.0, reserved_value=model_rv),
        ]
        points = [tuple(float(v) for v in row) for row in frontier]
        ranges = [
            (float(frontier[:, 0].min()), float(frontier[:, 0].max())),
            (float(frontier[:, 1].min()), float(frontier[:, 1].max())),
        ]
        found = _POINTS[self.target](holders, points, ranges=ranges)
        if not found:
            return None
        (p_me, p_opp), _ = found[0]
        return float(p_me), float(p_opp), best_opp

    def _bonus(self, relative_time: float) -> float:
        """The share of the remaining way to ``my_nash`` conceded as a bonus."""
        ufun = getattr(self.negotiator, "ufun", None)
        discount = getattr(ufun, "discount", None)
        if not isinstance(discount, int | float) or not 0.0 < discount <= 1.0:
            discount = 1.0
        base = self.discount_bonus_base - self.discount_bonus_weight * discount
        space = _space_of(self.negotiator, ufun) if ufun is not None else None
        big = space is not None and space.cardinality > self.big_domain_cardinality
        start = self.bonus_start_time_big_domain if big else self.bonus_start_time
        ramp = (
            min(1.0, self.bonus_ramp_rate * (relative_time - start))
            if relative_time > start
            else 0.0
        )
        return min(1.0, max(0.0, base, ramp))

    def propose(self, state: Any, dest: str | None = None) -> Outcome | None:
        """This round's offer: computed on the round's first call, then the same."""
        planned = self._planned
        if planned is not None and planned[0] == state.step:
            return planned[1]
        offer = self(state)
        self._planned = (state.step, offer)
        return offer

    def __call__(self, state: Any, dest: str | None = None) -> Outcome | None:
        """Compute the offer for ``state`` (see the class); ``None`` without a ufun.

        ``dest`` is NegMAS's (unused).
        """
        scale = self._own_scale()
        if scale is None:
            return None
        model = getattr(self.negotiator, "opponent_model", None)
        if self._point_cache is None or state.step - self._point_cache_step >= self.nash_refresh:
            self._point_cache = self._target_point(scale.ufun, model)
            self._point_cache_step = state.step
        point = self._point_cache
        reserved = scale.reserved if math.isfinite(scale.reserved) else 0.0
        first = self._opp_first_util if self._opp_first_util is not None else 1.0
        best_offered = self._opp_max_util if self._opp_max_util is not None else first
        base_nash = point[0] if point is not None else self.default_nash_utility
        multiplier = max(
            0.0, self.nash_multiplier_base - self.nash_multiplier_gap_weight * (1 - first)
        )
        floor = self.nash_min if self.target == "nash" else reserved
        my_nash = min(1.0, max(floor, reserved, base_nash * multiplier))
        way = my_nash - first
        share = min(1.0, max(0.0, (best_offered - first) / way)) if way > 1e-9 else 0.0
        target = 1.0 - share * (1.0 - my_nash)
        target -= self._bonus(float(state.relative_time)) * max(0.0, target - my_nash)
        target = min(max(target, reserved), 1.0)
        self._target_util = target
        bid = self._best_for_partner(scale, model, target)
        best_offered_bid = self._opp_best_bid
        if best_offered_bid is not None and (
            bid is None or scale.normalized(best_offered_bid) >= scale.normalized(bid)
        ):
            return best_offered_bid
        return bid

    def _best_for_partner(
        self, scale: _Scale, model: UtilityFunctionLike | None, target: float
    ) -> Outcome | None:
        """Among frontier outcomes worth at least ``target``, the one the model values most
        (the first in frontier order among equals); without a frontier, the
        outcome of lowest utility meeting ``target``."""
        if model is not None and self._frontier_outcomes:
            best: Outcome | None = None
            best_value = -math.inf
            for outcome in self._frontier_outcomes:
                if scale.normalized(outcome) >= target:
                    value = float(model(outcome))
                    if value > best_value:
                        best, best_value = outcome, value
            if best is not None:
                return best
        outcomes = scale.ranking.outcomes
        if not outcomes:
            return None
        start = scale.ranking.index_at_least(target * (scale.high - scale.low) + scale.low)
        return outcomes[min(start, len(outcomes) - 1)]


class ACCombi:
    """Nice Tit for Tat's acceptance condition: ACnext, or ACtime near the deadline.

    An offer is accepted when ``a * u(offer) + b >= u(next)``, ``next`` being
    the offer its ``offering_strategy`` would make now (ACnext; utilities on
    the negotiator's ``eval_normalized`` scale), or when ``relative_time >= t``
    and the offer is worth at least the reserved value (ACtime). With no
    planned offer, it accepts offers worth at least the reserved value.
    ``None`` is never accepted, nor anything without a utility function.

    Args:
        offering_strategy: What it asks for the next offer (anything with
            ``propose(state)``, e.g. a :class:`NiceTitForTatOfferingPolicy`).
        a: Scale of the offer's utility (default 1.0).
        b: Added to the scaled utility (default 0.0).
        t: Relative time from which ACtime accepts (default 0.98).

    Attributes:
        negotiator: The negotiator it answers for.
    """

    def __init__(
        self, offering_strategy: _Proposer, a: float = 1.0, b: float = 0.0, t: float = 0.98
    ) -> None:
        if not callable(getattr(offering_strategy, "propose", None)):
            # Found at once, not as an AttributeError at the first offer it judges.
            raise TypeError(
                "offering_strategy must have a propose(state) method (an offering policy "
                f"or a negotiator), got {offering_strategy!r:.80} "
                f"({type(offering_strategy).__name__})"
            )
        self.offering_strategy = offering_strategy
        self.a = check_real("a", a)
        self.b = check_real("b", b)
        self.t = check_real("t", t)
        self.negotiator: Any = None

    def _rational(self, ufun: UtilityFunctionLike, offer: Outcome) -> bool:
        reserved = float(ufun.reserved_value)
        return not math.isfinite(reserved) or utility_of(ufun, offer) >= reserved

    def __call__(
        self, state: Any, offer: Outcome | None, source: str | None = None
    ) -> ResponseType:
        """Accept or reject ``offer`` (made by ``source``) in ``state``."""
        ufun = getattr(self.negotiator, "ufun", None)
        if ufun is None or offer is None:
            return ResponseType.REJECT_OFFER
        offer = tuple(offer)
        if state.relative_time >= self.t:
            return (
                ResponseType.ACCEPT_OFFER
                if self._rational(ufun, offer)
                else ResponseType.REJECT_OFFER
            )
        planned = self.offering_strategy.propose(state)
        if planned is None:
            return (
                ResponseType.ACCEPT_OFFER
                if self._rational(ufun, offer)
                else ResponseType.REJECT_OFFER
            )
        mine = _normalized(self.negotiator, ufun, tuple(planned))
        if self.a * _normalized(self.negotiator, ufun, offer) + self.b >= mine:
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER
