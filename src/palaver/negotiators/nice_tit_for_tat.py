"""Nice Tit for Tat (Baarslag, Hindriks and Jonker, 2013), with NegMAS's arguments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators.base import SAONegotiator
from palaver.negotiators.nice_policies import ACCombi, NiceTitForTatOfferingPolicy
from palaver.negotiators.opponent_models import FrequencyLinearUFunModel, UFunModel
from palaver.outcomes import Outcome
from palaver.preferences.changes import PreferencesChange
from palaver.preferences.protocol import UtilityFunctionLike

__all__ = ["NiceTitForTatNegotiator"]


class NiceTitForTatNegotiator(SAONegotiator):
    """Reciprocates the partner's concessions, aiming for a bargaining point; never defects first.

    Genius's "Nice Tit for Tat" agent as NegMAS builds it: a
    :class:`~palaver.negotiators.NiceTitForTatOfferingPolicy` bids (its best
    outcome first; then, as the partner concedes in its utility, the same
    share of its way to the bargaining point estimated with the opponent
    model, plus a small bonus that grows near the deadline; among the
    outcomes good enough for it, the one the model says the partner likes
    most) and an :class:`~palaver.negotiators.ACCombi` answers (accept an
    offer at least as good as its own next one, or, from relative time
    ``t``, any offer worth its reserved value).

    The opponent model learns from every offer it answers. Pass a ready
    model as ``opponent_model`` (any :class:`~palaver.negotiators.UFunModel`,
    e.g. a :class:`~palaver.negotiators.PeekingOpponentModel` wrapping the
    partner's true utility function), or a model class as
    ``opponent_model_type`` (made with no arguments); the default is a
    :class:`~palaver.negotiators.FrequencyLinearUFunModel`. The model is
    published as ``private_info["opponent_ufun"]`` (so
    :attr:`opponent_ufun` reads it) unless one was given there.

    Deterministic: nothing is drawn at random.

    Args:
        name, ufun, preferences, id, owner, private_info: As for every
            negotiator.
        opponent_model: A ready opponent model (takes precedence).
        opponent_model_type: A :class:`~palaver.negotiators.UFunModel`
            subclass to make the model from.
        target, sample_size, max_cardinality, nash_refresh, stochastic,
        levels, nash_min, nash_multiplier_base, nash_multiplier_gap_weight,
        default_nash_utility, discount_bonus_base, discount_bonus_weight,
        big_domain_cardinality, bonus_start_time,
        bonus_start_time_big_domain, bonus_ramp_rate: The bidding
            strategy's (see :class:`~palaver.negotiators.NiceTitForTatOfferingPolicy`);
            ``levels`` also discretizes continuous issues for its own offers.
        pareto_sampler_type: NegMAS's choice of Pareto sampler; only
            ``None`` (the exact search over every outcome, NegMAS's default
            on small spaces) is accepted.
        a, b, t: The acceptance condition's (see :class:`~palaver.negotiators.ACCombi`).
    """

    needs_ufun = True
    # Its offering policy ranks the outcomes on the scale it needs, when needed.
    uses_ranking = False

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        *,
        opponent_model: UFunModel | None = None,
        opponent_model_type: type[UFunModel] | None = None,
        target: str = "nash",
        sample_size: int = 100,
        max_cardinality: int = 10000,
        nash_refresh: int = 1,
        stochastic: bool = False,
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
        pareto_sampler_type: type | None = None,
        a: float = 1.0,
        b: float = 0.0,
        t: float = 0.98,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        if pareto_sampler_type is not None:
            raise ValueError(
                f"pareto_sampler_type must be None (Palaver searches every outcome exactly), "
                f"got {pareto_sampler_type!r}"
            )
        model = _model(opponent_model, opponent_model_type)
        self._offering = NiceTitForTatOfferingPolicy(
            sample_size=sample_size,
            max_cardinality=max_cardinality,
            nash_refresh=nash_refresh,
            stochastic=stochastic,
            target=target,
            levels=levels,
            nash_min=nash_min,
            nash_multiplier_base=nash_multiplier_base,
            nash_multiplier_gap_weight=nash_multiplier_gap_weight,
            default_nash_utility=default_nash_utility,
            discount_bonus_base=discount_bonus_base,
            discount_bonus_weight=discount_bonus_weight,
            big_domain_cardinality=big_domain_cardinality,
            bonus_start_time=bonus_start_time,
            bonus_start_time_big_domain=bonus_start_time_big_domain,
            bonus_ramp_rate=bonus_ramp_rate,
        )
        self._acceptance = ACCombi(self._offering, a=a, b=b, t=t)
        self._opponent_model = model
        super().__init__(
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            n_levels=levels,
            owner=owner,
            private_info=private_info,
        )
        self._offering.negotiator = self
        self._acceptance.negotiator = self
        model.set_negotiator(self)

    @property
    def opponent_model(self) -> UFunModel:
        """The model of the partner's utility function its bids rely on."""
        return self._opponent_model

    @property
    def offering_policy(self) -> NiceTitForTatOfferingPolicy:
        """Its bidding strategy."""
        return self._offering

    @property
    def acceptance_policy(self) -> ACCombi:
        """Its acceptance condition."""
        return self._acceptance

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Pass the change to the opponent model and the bidding strategy."""
        self._opponent_model.set_negotiator(self)
        self._opponent_model.on_preferences_changed(changes)
        self._offering.on_preferences_changed(changes)

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Start afresh: the bidding strategy forgets any earlier negotiation's offers."""
        super().on_negotiation_start(state)
        self._offering.reset()
        self._opponent_model.set_negotiator(self)
        self._opponent_model.on_negotiation_start(state)

    def on_negotiation_end(self, state: MechanismState) -> None:
        """Tell the opponent model."""
        self._opponent_model.on_negotiation_end(state)

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Learn from ``offer``, then answer it with :class:`~palaver.negotiators.ACCombi`."""
        source = getattr(state, "current_proposer", None)
        self._opponent_model.before_responding(state, offer, source)
        self._offering.before_responding(state, offer, source)
        return self._acceptance(state, offer, source)

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """This round's bid (see :class:`~palaver.negotiators.NiceTitForTatOfferingPolicy`);
        the opponent model is told of it."""
        offer = self._offering.propose(state)
        self._opponent_model.after_proposing(state, offer)
        return offer


def _model(given: UFunModel | None, kind: type[UFunModel] | None) -> UFunModel:
    """The opponent model from ``opponent_model=`` or ``opponent_model_type=``; checked."""
    if given is not None:
        if not isinstance(given, UFunModel):
            raise TypeError(
                "opponent_model must be a palaver.negotiators.UFunModel (e.g. "
                f"FrequencyLinearUFunModel()) or None, got {given!r} ({type(given).__name__})"
            )
        return given
    if kind is None:
        return FrequencyLinearUFunModel()
    if not (isinstance(kind, type) and issubclass(kind, UFunModel)):
        raise TypeError(
            "opponent_model_type must be a subclass of palaver.negotiators.UFunModel "
            f"(e.g. FrequencyUFunModel) or None, got {kind!r}"
        )
    return kind()
