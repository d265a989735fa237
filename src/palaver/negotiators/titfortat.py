"""Naive tit-for-tat: concede as much as the others concede."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palaver._util.checks import check_bool, check_probability
from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators.base import SAONegotiator, offer_of
from palaver.negotiators.ranking import DEFAULT_N_LEVELS
from palaver.outcomes import Outcome
from palaver.preferences.protocol import UtilityFunctionLike

_ACCEPT = ResponseType.ACCEPT_OFFER
_REJECT = ResponseType.REJECT_OFFER


#: NegMAS 0.16's NaiveTitForTatNegotiator options at the values that describe
#: this negotiator (their NegMAS defaults), each with the values accepted.
_NEGMAS_DEFAULTS: dict[str, tuple[object, ...]] = {
    "punish": (False,),
    "rank_only": (False,),
    "stochastic": (False,),
    "no_concession_step": (0,),
    "kindness_start_step": (3,),
    "min_concession_eps": (1e-12,),
}
_DEFAULT_VALUES = tuple(allowed[0] for allowed in _NEGMAS_DEFAULTS.values())
_DEFAULT_TYPES = tuple(type(value) for value in _DEFAULT_VALUES)


class NaiveTitForTat(SAONegotiator):
    """Mirrors the concessions of the others, measured in its own utility.

    It keeps a target utility, starting at its best. Whenever an offer from
    someone else is worth more to it than the previous such offer, it lowers
    its target by the same amount (that is the "naive" part: the others'
    concession is judged by its own utility function). On every response it
    also concedes ``kindness`` times its utility range, so that two tit-for-tat
    negotiators do not wait for each other forever. The target never goes
    below the reserved value (or the lowest utility). It proposes the
    least-utility outcome meeting the target and accepts offers worth at least
    the target. Deterministic.

    Its first response to someone else's offer is its opening concession, as
    in NegMAS: it concedes ``initial_concession`` more, and with
    ``must_concede`` at least down to its next utility level below the
    target, so that its second offer differs from its first even against a
    partner who never concedes.

    Args:
        kindness: Unconditional concession per response, as a fraction of the
            range between its best utility and its floor (default 0.01).
        n_levels: Levels per continuous issue for its own proposals.
        initial_concession: The opening concession, a fraction of the same
            range in ``[0, 1]``; ``"min"`` (the default, NegMAS's) is 0: the
            smallest concession ``must_concede`` makes.
        must_concede: Whether the opening concession reaches at least the
            next utility level below the target (default ``True``, NegMAS's).
        punish, rank_only, stochastic, no_concession_step,
        kindness_start_step, min_concession_eps: NegMAS 0.16's other options
            of its tit-for-tat (a concession recommender), accepted at
            NegMAS's defaults only (``False``, ``False``, ``False``, 0, 3,
            1e-12) so that NegMAS code spelling them runs; any other value is
            refused, naming the option.
    """

    needs_ufun = True

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        kindness: float = 0.01,
        n_levels: int = DEFAULT_N_LEVELS,
        *,
        punish: bool = False,
        initial_concession: float | str = "min",
        rank_only: bool = False,
        stochastic: bool = False,
        must_concede: bool = True,
        no_concession_step: int = 0,
        kindness_start_step: int = 3,
        min_concession_eps: float = 1e-12,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            owner=owner,
            private_info=private_info,
            n_levels=n_levels,
        )
        given = (
            punish,
            rank_only,
            stochastic,
            no_concession_step,
            kindness_start_step,
            min_concession_eps,
        )
        # The usual case (every option at NegMAS's default) in one comparison;
        # the types too, since False == 0 and 3 == 3.0.
        if given != _DEFAULT_VALUES or tuple(map(type, given)) != _DEFAULT_TYPES:
            for option, value in zip(_NEGMAS_DEFAULTS, given, strict=True):
                allowed = _NEGMAS_DEFAULTS[option]
                if type(value) not in (type(a) for a in allowed) or value not in allowed:
                    raise ValueError(
                        f"{option}={value!r} is not supported by Palaver's NaiveTitForTat "
                        f"(its own algorithm, not NegMAS's concession recommender); "
                        f"allowed: {' or '.join(repr(a) for a in allowed)}"
                    )
        check_probability("kindness", kindness)
        self.kindness = float(kindness)
        if isinstance(initial_concession, str):
            if initial_concession != "min":
                raise ValueError(
                    f"initial_concession must be 'min' or a fraction in [0, 1]; "
                    f"got {initial_concession!r}"
                )
            initial_concession = 0.0
        check_probability("initial_concession", initial_concession)
        self.initial_concession = float(initial_concession)
        self.must_concede = check_bool("must_concede", must_concede)
        self.target = 0.0
        self._floor = 0.0
        self._step = 0.0
        self._last: float | None = None
        self._opened = False

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Start at the best utility."""
        super().on_negotiation_start(state)
        ranking = self.ranking
        assert ranking is not None
        self._floor = max(self.reserved_value, ranking.min_utility)
        self.target = max(ranking.max_utility, self._floor)
        self._step = self.kindness * (ranking.max_utility - self._floor)
        self._last = None
        self._opened = False

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Update the target from the others' concession, then accept if the offer meets it."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        ranking = self._ranked()
        u = ranking.utility(offer)
        if getattr(state, "current_proposer", None) != self.id:
            conceded = u - self._last if self._last is not None else 0.0
            self._last = u
            target = self.target - max(conceded, 0.0) - self._step
            if not self._opened:
                self._opened = True
                target -= self.initial_concession * (ranking.max_utility - self._floor)
                if self.must_concede:
                    # The best level below the current target: the smallest
                    # concession that changes what it proposes.
                    below = ranking.index_at_least(self.target) - 1
                    if below >= 0:
                        target = min(target, ranking.utilities[below])
            self.target = max(self._floor, target)
        return _ACCEPT if u >= self.target else _REJECT

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """The least-utility outcome meeting the target."""
        return self._ranked().at_least(self.target)
