"""Opponent models that classify the partner or reason about what it accepts.

NegMAS's models after Baarslag et al.'s 2016 survey of opponent modelling:
:class:`LuceProfileClassifierModel` (section 5.3.2: which of some candidate
utility functions is the partner's) and :class:`CandidateEliminationModel`
(section 5.3.4: which issue values the partner accepts). Both are
:class:`~palaver.negotiators.UFunModel`\\ s valued in ``[0, 1]``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from palaver._util.checks import check_bool, check_int, check_items
from palaver.mechanisms import MechanismState
from palaver.negotiators.opponent_models import UFunModel
from palaver.outcomes import Issue, Outcome
from palaver.preferences import UtilityFunction
from palaver.preferences.changes import PreferencesChange

__all__ = ["CandidateEliminationModel", "LuceProfileClassifierModel"]


class LuceProfileClassifierModel(UFunModel):
    """Learns which of some candidate utility functions the partner has (Lin et al.).

    A partner with profile ``t`` is taken to offer ``o`` with probability
    proportional to its Luce number ``u_t(o) / sum of u_t over the outcomes``
    (``u_t`` is the profile's ``eval_normalized``, so never negative). Each
    offer updates a posterior over the profiles, uniform at first. ``eval(o)``
    is the posterior-weighted mean of the profiles' normalized utilities, or
    with ``use_map`` the most probable profile's alone; 0.5 without profiles.

    Args:
        profiles: The candidate utility functions of the partner.
        use_map: Value outcomes by the most probable profile only.
        max_outcomes: At most this many outcomes sum up each profile's Luce
            denominator: a larger space gives a sample of them, drawn with
            seed 0 so that the model is deterministic (continuous issues are
            discretized into 10 values first).
    """

    def __init__(
        self,
        profiles: Sequence[UtilityFunction] = (),
        use_map: bool = False,
        max_outcomes: int = 10000,
    ) -> None:
        super().__init__()
        self.profiles = check_items("profiles", profiles, "utility functions")
        for i, profile in enumerate(self.profiles):
            if not hasattr(profile, "eval_normalized"):
                raise TypeError(
                    f"profiles[{i}] must be a utility function with eval_normalized, "
                    f"got {profile!r} ({type(profile).__name__})"
                )
        self.use_map = check_bool("use_map", use_map)
        self.max_outcomes = check_int("max_outcomes", max_outcomes, minimum=1)
        self._log_posterior: list[float] | None = None
        self._log_totals: list[float] = []

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Sum each profile over the outcome space and start from a uniform posterior."""
        super().on_preferences_changed(changes)
        self._log_posterior = None
        self._ready()

    def _ready(self) -> bool:
        if self._log_posterior is None:
            space = self._follow_space()
            if space is None:
                return False
            outcomes = space.enumerate_or_sample(max_cardinality=self.max_outcomes, seed=0)
            totals = [
                sum(max(0.0, float(p.eval_normalized(o))) for o in outcomes) for p in self.profiles
            ]
            self._log_totals = [math.log(t) if t > 0 else 0.0 for t in totals]
            self._log_posterior = [0.0] * len(self.profiles)
        return True

    def _observe(self, offer: Outcome) -> None:
        if not self.profiles or not self._ready():
            return
        assert self._log_posterior is not None
        for i, profile in enumerate(self.profiles):
            u = max(0.0, float(profile.eval_normalized(offer)))
            # a tiny floor: an outcome worth 0 to a profile makes it unlikely, not impossible
            self._log_posterior[i] += math.log(u + 1e-12) - self._log_totals[i]

    @property
    def posterior(self) -> list[float]:
        """The probability of each profile, in the order given."""
        n = len(self.profiles)
        logs = self._log_posterior if self._log_posterior is not None else [0.0] * n
        if not logs:
            return []
        top = max(logs)
        weights = [math.exp(v - top) for v in logs]
        total = sum(weights)
        return [w / total for w in weights]

    def eval(self, outcome: Outcome | None) -> float:
        """The posterior-weighted (or most probable) profile's normalized utility."""
        if outcome is None or not self.profiles:
            return 0.5
        posterior = self.posterior
        if self.use_map:
            best = max(range(len(posterior)), key=posterior.__getitem__)
            return float(self.profiles[best].eval_normalized(outcome))
        return sum(
            p * float(profile.eval_normalized(outcome))
            for p, profile in zip(posterior, self.profiles, strict=True)
        )


class CandidateEliminationModel(UFunModel):
    """Learns which issue values the partner accepts from what it offers and rejects.

    Every value of the partner's offers is acceptable to it; every value of an
    offer of the negotiator's that the partner answered with an offer of its
    own (rather than accepting it) is suspect (:meth:`note_rejected` adds
    such an offer by hand). An outcome's value is the mean over its issues of
    1 (an acceptable value), 0 (a suspect value never offered by the partner)
    or 0.5 (a value not seen): an ordering, not a calibrated utility; 0.5
    for every outcome before any evidence. The negotiator tells it its own
    offers with :meth:`after_proposing`
    (:class:`~palaver.negotiators.NiceTitForTatNegotiator` does).
    """

    def __init__(self) -> None:
        super().__init__()
        self._issues: list[Issue] | None = None
        self._acceptable: dict[str, set[Any]] = {}
        self._suspect: dict[str, set[Any]] = {}
        self._last_proposed: Outcome | None = None
        self._names: list[str] = []

    def _ready(self) -> bool:
        if self._issues is None:
            space = self._follow_space()
            if space is None:
                return False
            self._issues = list(space.issues)
            self._names = list(space.issue_names)
        return True

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Read the issue names of the negotiator's outcome space."""
        super().on_preferences_changed(changes)
        self._issues = None
        self._ready()

    def after_proposing(
        self, state: MechanismState | None, offer: Outcome | None, dest: str | None = None
    ) -> None:
        """The negotiator offered ``offer``: suspect, if the partner answers with its own."""
        if offer is not None:
            self._last_proposed = tuple(offer)

    def _observe(self, offer: Outcome) -> None:
        last, self._last_proposed = self._last_proposed, None
        if last is not None and last != offer:
            self.note_rejected(last)
        elif last is not None:
            self._last_proposed = last
        if not self._ready():
            return
        for name, value in zip(self._names, offer, strict=True):
            self._acceptable.setdefault(name, set()).add(value)

    def note_rejected(self, offer: Outcome) -> None:
        """Mark the values of ``offer`` (which the partner rejected) as suspect."""
        if offer is None or not self._ready():
            return
        for name, value in zip(self._names, offer, strict=True):
            self._suspect.setdefault(name, set()).add(value)

    def eval(self, outcome: Outcome | None) -> float:
        """The mean over issues of 1 (acceptable), 0 (suspect) or 0.5 (unseen)."""
        if outcome is None or not self._ready() or not (self._acceptable or self._suspect):
            return 0.5
        scores = [
            1.0
            if value in self._acceptable.get(name, ())
            else 0.0
            if value in self._suspect.get(name, ())
            else 0.5
            for name, value in zip(self._names, outcome, strict=True)
        ]
        return sum(scores) / len(scores) if scores else 0.5
