"""The negotiator-facing view of a mechanism."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from palaver.mechanisms.base import Mechanism
    from palaver.mechanisms.state import MechanismState
    from palaver.outcomes import Issue, OutcomeSpace


class NegotiatorMechanismInterface:
    """What a negotiator may know about, and draw from, the mechanism it is in.

    Each negotiator gets its own interface when it joins; ``mechanism.nmi`` is
    one more for observers (e.g. a world deciding whether to accept a request).
    Every interface carries its own random generator, :attr:`random`, derived
    from the mechanism's seed and the negotiator's position, so negotiators
    never share or disturb each other's randomness.
    """

    __slots__ = ("_key", "_mechanism", "_random")

    def __init__(self, mechanism: Mechanism, key: tuple[int, ...]) -> None:
        self._mechanism = mechanism
        self._key = key
        self._random: np.random.Generator | None = None

    @property
    def id(self) -> str:
        """The mechanism's (negotiation's) id."""
        return self._mechanism.id

    @property
    def mechanism_type(self) -> str:
        """The mechanism's class name (e.g. ``"SAOMechanism"``)."""
        return type(self._mechanism).__name__

    @property
    def outcome_space(self) -> OutcomeSpace:
        """The outcome space under negotiation."""
        return self._mechanism.outcome_space

    @property
    def issues(self) -> tuple[Issue, ...]:
        """The issues under negotiation, in outcome order."""
        return tuple(self._mechanism.outcome_space.issues)

    @property
    def n_steps(self) -> int | None:
        """The round limit, or ``None``."""
        return self._mechanism.n_steps

    @property
    def time_limit(self) -> float | None:
        """The wall-clock limit of the whole negotiation in seconds, or ``None``."""
        return self._mechanism.time_limit

    @property
    def step_time_limit(self) -> float | None:
        """The wall-clock limit of one round in seconds, or ``None``."""
        return self._mechanism.step_time_limit

    @property
    def negotiator_time_limit(self) -> float | None:
        """The wall-clock limit of one negotiator call in seconds, or ``None``."""
        return self._mechanism.negotiator_time_limit

    @property
    def n_negotiators(self) -> int:
        """How many negotiators have joined."""
        return len(self._mechanism.negotiators)

    @property
    def negotiator_ids(self) -> list[str]:
        """The ids of the negotiators, in turn order."""
        return [n.id for n in self._mechanism.negotiators]

    @property
    def state(self) -> MechanismState:
        """The live state (see :mod:`palaver.mechanisms.state`)."""
        return self._mechanism.state

    @property
    def relative_time(self) -> float:
        """``state.relative_time``."""
        return self._mechanism.state.relative_time

    @property
    def history(self) -> list[tuple[int, str | None, tuple]]:
        """Every offer made so far as ``(round, negotiator_id, outcome)``, oldest first.

        The mechanism's own list (not a copy): do not modify it. In the veto
        mechanism the mediator's proposals appear with ``negotiator_id=None``.
        """
        return self._mechanism.history

    @property
    def annotation(self) -> dict[str, Any]:
        """Free-form information the creator of the mechanism attached."""
        return self._mechanism.annotation

    @property
    def random(self) -> np.random.Generator:
        """This interface's generator, derived from the mechanism's seed (made on first use)."""
        if self._random is None:
            seq = np.random.SeedSequence(self._mechanism.seed, spawn_key=self._key)
            self._random = np.random.default_rng(seq)
        return self._random

    def random_outcomes(self, n: int = 1) -> list[tuple]:
        """``n`` outcomes drawn uniformly (with replacement) using :attr:`random`."""
        return self._mechanism.outcome_space.sample(self.random, n)

    def __repr__(self) -> str:
        return f"NegotiatorMechanismInterface({self.mechanism_type} {self.id!r})"


#: Short alias.
NMI = NegotiatorMechanismInterface
#: The name the tutorial uses.
AgentMechanismInterface = NegotiatorMechanismInterface
