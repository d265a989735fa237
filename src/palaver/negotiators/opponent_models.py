"""Models of a partner's utility function, learned from the partner's offers.

An opponent model is a utility function (a
:class:`~palaver.preferences.UtilityFunction`, so ``model(outcome)``,
``eval_normalized``, ``minmax`` and the solution concepts work on it) whose
values are its current estimate of what the partner wants, in ``[0, 1]``. A
negotiator that owns one hands it the partner's offers through NegMAS's
update API:

- ``model.set_negotiator(negotiator)``: the negotiator it models a partner
  for (its outcome space is that negotiator's);
- ``model.on_preferences_changed(changes)``: the negotiator's utility function
  is known or changed (the model reads the issues then);
- ``model.before_responding(state, offer, source)``: the partner made
  ``offer``, which the negotiator is about to answer (the frequency models
  count it; none of the models here reads ``state``, which may be ``None``);
- ``model.on_partner_proposal(state, partner_id, offer)``: the same, from
  NegMAS's callback (once it is heard, ``before_responding`` learns nothing:
  each offer counts once when a negotiator reports both);
- ``model.after_proposing(state, offer)``: the negotiator made ``offer``.

:class:`~palaver.negotiators.NiceTitForTatNegotiator` makes these calls for its
model. The names and definitions are NegMAS's (its ``gb.components.models``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from palaver._util.checks import check_bool, check_int
from palaver.mechanisms import MechanismState
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences import Outcomes, RankOnlyUtilityFunction, UtilityFunction
from palaver.preferences.changes import PreferencesChange
from palaver.preferences.protocol import UtilityFunctionLike

__all__ = [
    "AdditiveFrequencyModel",
    "FrequencyLinearUFunModel",
    "FrequencyUFunModel",
    "PeekingOpponentModel",
    "UFunModel",
    "ZeroSumModel",
]


class UFunModel(UtilityFunction):
    """A utility function estimating a partner's, updated from the partner's offers.

    Subclasses implement :meth:`eval` (a value in ``[0, 1]``) and override the
    callbacks they learn from; every callback here does nothing but keep the
    outcome space in step with the negotiator's. The reserved value is 0.0 (the
    bottom of the model's scale: NegMAS's disagreement point for a model).
    ``eval_normalized`` returns :meth:`eval` as it is (already in ``[0, 1]``) and
    0.0 for ``None``.

    Attributes:
        negotiator: The negotiator the model works for (set by
            :meth:`set_negotiator`), or ``None``.
    """

    def __init__(self) -> None:
        self.negotiator: Any = None
        # Whether on_partner_proposal reports the partners' offers (see there).
        self._hears_proposals = False
        super().__init__(reserved_value=0.0)

    def set_negotiator(self, negotiator: Any) -> None:
        """Work for ``negotiator``: its outcome space becomes the model's."""
        self.negotiator = negotiator
        self._follow_space()

    def _follow_space(self) -> OutcomeSpace | None:
        """The negotiator's outcome space (its ufun's, else its negotiation's), adopted."""
        negotiator = self.negotiator
        space: OutcomeSpace | None = None
        if negotiator is not None:
            space = getattr(getattr(negotiator, "ufun", None), "outcome_space", None)
            nmi = getattr(negotiator, "nmi", None)
            if space is None and nmi is not None:
                space = nmi.outcome_space
        if space is not None and space is not self._outcome_space:
            self.outcome_space = space
        return self._outcome_space

    def _register(self) -> None:
        # NegMAS's models publish themselves as the negotiator's opponent_ufun;
        # a partner's ufun the user gave in private_info is kept instead.
        info = getattr(self.negotiator, "private_info", None)
        if isinstance(info, dict) and info.get("opponent_ufun") is None:
            info["opponent_ufun"] = self

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """The negotiator's utility function is set or changed: follow its outcome space."""
        self._follow_space()
        self._register()

    def on_negotiation_start(self, state: MechanismState) -> None:
        """The negotiation starts (nothing to do by default)."""

    def on_negotiation_end(self, state: MechanismState) -> None:
        """The negotiation ended (nothing to do by default)."""

    def before_responding(
        self, state: MechanismState | None, offer: Outcome | None, source: str | None = None
    ) -> None:
        """The partner ``source`` offered ``offer``: learned from by :meth:`_observe`,
        unless the model hears the partners' offers from :meth:`on_partner_proposal`."""
        if offer is not None and not self._hears_proposals:
            self._observe(tuple(offer))

    def on_partner_proposal(
        self, state: MechanismState | None, partner_id: str, offer: Outcome
    ) -> None:
        """NegMAS's callback for a partner's offer: learned from by :meth:`_observe`.

        A negotiator that hands its model both callbacks (a BOA negotiator
        under a mechanism with ``extra_callbacks``, the default) reports each
        offer twice; once this callback is heard, :meth:`before_responding`
        learns nothing, so that each offer counts once.
        """
        self._hears_proposals = True
        if offer is not None:
            self._observe(tuple(offer))

    def _observe(self, offer: Outcome) -> None:
        """Learn from a partner's offer (nothing by default)."""

    def after_proposing(
        self, state: MechanismState | None, offer: Outcome | None, dest: str | None = None
    ) -> None:
        """The negotiator offered ``offer`` (nothing learned by default)."""

    def eval_normalized(
        self,
        offer: Outcome | Any,
        above_reserve: bool = True,
        expected_limits: bool = True,
    ) -> float:
        """The model's value of ``offer`` (already in ``[0, 1]``); 0.0 for ``None``.

        ``above_reserve`` and ``expected_limits`` are NegMAS's and change nothing.
        """
        if offer is None:
            return 0.0
        return float(self(offer))


class ZeroSumModel(UFunModel):
    """Assumes the partner wants the opposite of what the negotiator wants.

    ``eval_normalized(o)`` is ``1 - u.eval_normalized(o, above_reserve)`` for the
    negotiator's utility function ``u``; ``eval(o)`` maps that back onto ``u``'s
    range (``min + (1 - normalized) * (max - min)``), so that the values never
    go negative. Nothing is learned.

    Args:
        above_reserve: Normalize the negotiator's utilities from its reserved
            value rather than its lowest utility (NegMAS's default ``True``).
        rank_only: Use the ranks of the outcomes under the negotiator's utility
            function instead of its utilities (needs a discrete space).
    """

    def __init__(self, above_reserve: bool = True, rank_only: bool = False) -> None:
        super().__init__()
        self.above_reserve = check_bool("above_reserve", above_reserve)
        self.rank_only = check_bool("rank_only", rank_only)
        self._effective: UtilityFunction | None = None

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Take the negotiator's (new) utility function, or its ranks with ``rank_only``."""
        super().on_preferences_changed(changes)
        self._effective = None
        self._own()

    def _own(self) -> UtilityFunction:
        if self._effective is None:
            ufun = getattr(self.negotiator, "ufun", None)
            if not isinstance(ufun, UtilityFunction):
                raise ValueError(
                    "ZeroSumModel needs the negotiator's utility function (a "
                    f"palaver.preferences.UtilityFunction); got {ufun!r}: call "
                    "set_negotiator() with a negotiator that has one"
                )
            self._effective = RankOnlyUtilityFunction(ufun) if self.rank_only else ufun
        return self._effective

    def eval(self, outcome: Outcome) -> float:
        """The negotiator's utility range, mirrored: its best outcome gets its lowest utility."""
        own = self._own()
        mirrored = 1.0 - own.eval_normalized(outcome, self.above_reserve)
        low, high = own.minmax()
        return mirrored * (high - low) + low

    def eval_normalized(
        self,
        offer: Outcome | Any,
        above_reserve: bool = True,
        expected_limits: bool = True,
    ) -> float:
        """``1 - u.eval_normalized(offer, above_reserve)`` for the negotiator's ``u``
        (0.0 for ``None``)."""
        if offer is None:
            return 0.0
        return 1.0 - self._own().eval_normalized(offer, above_reserve, expected_limits)


def _value_grid(issue: Issue, levels: int) -> Sequence[Any] | None:
    """The values of a continuous issue discretized into ``levels``; ``None`` if discrete."""
    if issue.is_discrete:
        return None
    return list(issue.discretize(levels).all_values)


def _bucket(value: Any, grid: Sequence[Any] | None) -> Any:
    """``value``, or for a continuous issue the grid value nearest to it."""
    if grid is None:
        return value
    x = float(value)
    return min(grid, key=lambda g: abs(float(g) - x))


class _FrequencyModel(UFunModel):
    """What the frequency models share: the issues, their grids and the offer count."""

    def __init__(self, above_reserve: bool = True, levels: int = 10) -> None:
        super().__init__()
        self.above_reserve = check_bool("above_reserve", above_reserve)
        self.levels = check_int("levels", levels, minimum=2)
        self._total = 0
        self._issues: list[Issue] | None = None
        self._grids: list[Sequence[Any] | None] = []

    def _ready(self) -> bool:
        """Whether the issues are known (read from the negotiator's space the first time)."""
        if self._issues is None:
            space = self._follow_space()
            if space is None:
                return False
            self._issues = list(space.issues)
            self._grids = [_value_grid(issue, self.levels) for issue in self._issues]
        return True

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Read the issues of the negotiator's outcome space (counts so far are kept)."""
        super().on_preferences_changed(changes)
        self._issues = None
        self._ready()

    def _observe(self, offer: Outcome) -> None:
        raise NotImplementedError

    @property
    def n_observed(self) -> int:
        """The number of offers counted so far."""
        return self._total


class FrequencyUFunModel(_FrequencyModel):
    """Values an outcome by how often the partner offered it, whatever its form.

    ``eval(o)`` is the number of times the partner offered ``o`` over the count
    of its most offered outcome: 1.0 for its most offered outcomes, 0.0 for
    outcomes never offered, and a neutral 0.5 for every outcome before the
    first offer. Continuous issues are discretized into ``levels`` values and
    an offer counts for the grid values nearest to it. Suits small spaces;
    for a partner with a linear-additive utility function prefer
    :class:`FrequencyLinearUFunModel`.

    Args:
        above_reserve: Accepted for NegMAS's signature (changes nothing).
        levels: Values per continuous issue (at least 2; default 10).
    """

    def __init__(self, above_reserve: bool = True, levels: int = 10) -> None:
        super().__init__(above_reserve, levels)
        self._counts: dict[Outcome, int] = {}
        self._most = 0

    def _key(self, offer: Outcome) -> Outcome:
        if not self._ready():
            return offer
        return tuple(_bucket(v, g) for v, g in zip(offer, self._grids, strict=True))

    def _observe(self, offer: Outcome) -> None:
        key = self._key(offer)
        n = self._counts.get(key, 0) + 1
        self._counts[key] = n
        self._most = max(self._most, n)
        self._total += 1

    def eval(self, outcome: Outcome | None) -> float:
        """How often ``outcome`` was offered relative to the most offered one (0.5 before any)."""
        if outcome is None or self._total == 0:
            return 0.5
        return self._counts.get(self._key(tuple(outcome)), 0) / self._most


class AdditiveFrequencyModel(_FrequencyModel):
    """A linear-additive estimate: value scores from offer counts, issue weights learned.

    Each issue value scores how often the partner offered it over the count of
    that issue's most offered value (1.0 for the most offered, 0.0 for values
    never offered). ``eval(o)`` is the mean of ``o``'s value scores weighted by
    :attr:`weights` (the plain mean while every weight is 0), in ``[0, 1]``,
    and a neutral 0.5 before the first offer. Subclasses learn the weights in
    :meth:`_learn`; an issue without a weight yet weighs ``default_weight``.
    Continuous issues are discretized into ``levels`` values.
    """

    #: The weight of an issue the model has not weighed yet.
    default_weight: float = 0.0

    def __init__(self, above_reserve: bool = True, levels: int = 10) -> None:
        super().__init__(above_reserve, levels)
        self._counts: dict[str, dict[Any, int]] = {}
        self._weights: dict[str, float] = {}

    @property
    def weights(self) -> dict[str, float]:
        """The learned weight of each issue weighed so far, by issue name (a copy)."""
        return dict(self._weights)

    def _names(self) -> list[str]:
        assert self._issues is not None
        return [
            issue.name if issue.name is not None else str(i) for i, issue in enumerate(self._issues)
        ]

    def _observe(self, offer: Outcome) -> None:
        if not self._ready():
            return
        names = self._names()
        bucketed = tuple(_bucket(v, g) for v, g in zip(offer, self._grids, strict=True))
        for name, key in zip(names, bucketed, strict=True):
            counts = self._counts.setdefault(name, {})
            counts[key] = counts.get(key, 0) + 1
        self._total += 1
        self._learn(names, bucketed)

    def _learn(self, names: list[str], offer: Outcome) -> None:
        """Update the weights after counting ``offer`` (its values snapped to the grid)."""
        raise NotImplementedError

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """:meth:`eval` of many outcomes at once (the same numbers, issue by issue)."""
        rows = self.as_rows(outcomes)
        if not rows or self._total == 0 or not self._ready():
            return np.full(len(rows), 0.5)
        names = self._names()
        weights = [self._weights.get(name, self.default_weight) for name in names]
        total = sum(weights)
        acc = np.zeros(len(rows))
        columns = list(zip(*rows, strict=True))
        for name, column, grid, weight in zip(names, columns, self._grids, weights, strict=True):
            counts = self._counts.get(name, {})
            most = max(counts.values(), default=0)
            table = {
                v: counts.get(_bucket(v, grid), 0) / most if most > 0 else 0.0 for v in set(column)
            }
            scores = np.fromiter(map(table.__getitem__, column), dtype=float, count=len(rows))
            acc += scores if total <= 0 else scores * weight
        return acc / (len(names) if total <= 0 else total)

    def eval(self, outcome: Outcome | None) -> float:
        """The weighted mean of the learned value scores of ``outcome`` (0.5 before any offer)."""
        if outcome is None or self._total == 0 or not self._ready():
            return 0.5
        scores: list[float] = []
        weights: list[float] = []
        for name, value, grid in zip(self._names(), outcome, self._grids, strict=True):
            counts = self._counts.get(name, {})
            most = max(counts.values(), default=0)
            scores.append(counts.get(_bucket(value, grid), 0) / most if most > 0 else 0.0)
            weights.append(self._weights.get(name, self.default_weight))
        total = sum(weights)
        if total <= 0:
            return sum(scores) / len(scores) if scores else 0.5
        return sum(s * w for s, w in zip(scores, weights, strict=True)) / total


class FrequencyLinearUFunModel(AdditiveFrequencyModel):
    """Assumes a linear-additive partner and learns its weights and values from its offers.

    Values score as in :class:`AdditiveFrequencyModel` (how often each was
    offered). Each issue weighs ``1 - H``, where ``H`` is the entropy of the
    issue's offered values divided by the log of the number of distinct
    values offered: an issue on which the partner never moves weighs 1, one it
    spreads evenly over its offered values weighs 0. This is the default model
    of :class:`~palaver.negotiators.NiceTitForTatNegotiator` (the
    linear-additive assumption of Hindriks and Tykhonov's Bayesian model).

    Args:
        above_reserve: Accepted for NegMAS's signature (changes nothing).
        levels: Values per continuous issue (at least 2; default 10).
    """

    def _learn(self, names: list[str], offer: Outcome) -> None:
        for name in names:
            self._weights[name] = _concentration(self._counts[name].values())


def _concentration(counts: Iterable[int]) -> float:
    """``1 -`` the entropy of ``counts`` over the log of how many there are (1.0 for one)."""
    values = [c for c in counts if c > 0]
    total = float(sum(values))
    entropy = -sum(c / total * math.log(c / total) for c in values)
    if len(values) > 1:
        entropy /= math.log(len(values))
    return 1.0 - entropy


class PeekingOpponentModel(UFunModel):
    """An oracle: the partner's true utility function, normalized to ``[0, 1]``.

    For tests and analyses where the partner's preferences are known: a
    negotiator using it behaves as with a perfect model. ``eval(o)`` is
    ``ufun.eval_normalized(o)``; without a ``ufun`` every outcome is worth a
    neutral 0.5. Nothing is learned.

    Args:
        ufun: The partner's utility function (may be assigned later, as
            ``model.ufun = ...``); it needs ``eval_normalized`` (every
            :class:`~palaver.preferences.UtilityFunction` has it).
    """

    def __init__(self, ufun: UtilityFunctionLike | None = None) -> None:
        super().__init__()
        self.ufun = ufun

    def _normalized(self, outcome: Outcome, above_reserve: bool, expected_limits: bool) -> float:
        evaluate = getattr(self.ufun, "eval_normalized", None)
        if evaluate is None:
            raise TypeError(
                f"PeekingOpponentModel.ufun must have eval_normalized (a "
                f"palaver.preferences.UtilityFunction), got {self.ufun!r}"
            )
        return float(evaluate(outcome, above_reserve, expected_limits))

    def eval(self, outcome: Outcome) -> float:
        """The partner's normalized utility of ``outcome`` (0.5 without a ``ufun``)."""
        if self.ufun is None:
            return 0.5
        return self._normalized(outcome, True, True)

    def eval_normalized(
        self,
        offer: Outcome | Any,
        above_reserve: bool = True,
        expected_limits: bool = True,
    ) -> float:
        """``ufun.eval_normalized(offer, above_reserve, expected_limits)``; 0.0 for
        ``None``, 0.5 without a ``ufun``."""
        if offer is None:
            return 0.0
        if self.ufun is None:
            return 0.5
        return self._normalized(offer, above_reserve, expected_limits)
