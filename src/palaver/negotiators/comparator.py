"""NegMAS's negotiators that only compare or rank outcomes: the binary comparator and the sorter."""

from __future__ import annotations

import math
from typing import Any, ClassVar

from palaver._util.checks import check_real
from palaver.negotiators.base import Negotiator
from palaver.outcomes import Outcome
from palaver.preferences.protocol import utility_of

__all__ = ["BinaryComparatorNegotiator", "SorterNegotiator"]


class BinaryComparatorNegotiator(Negotiator):
    """Answers ``is_better(first, second)`` from its utility function (NegMAS's class).

    It is what :class:`~palaver.mechanisms.VetoSTMechanism` and
    :class:`~palaver.mechanisms.HillClimbingSTMechanism` ask; it also takes part
    in :class:`~palaver.mechanisms.STVetoMechanism` (its final vote uses the
    inherited ``respond``). Override :meth:`is_better` for another judgement.
    """

    def is_better(
        self, first: Outcome | None, second: Outcome | None, epsilon: float = 1e-10
    ) -> bool | None:
        """Whether ``first`` is better than ``second`` by more than ``epsilon``.

        ``True`` when ``u(first) > u(second) + epsilon``, ``False`` when
        ``u(first) < u(second) - epsilon``, ``None`` (indifferent) in between or
        when either utility is NaN. ``None`` stands for no agreement (its
        utility is the reserved value).

        Raises:
            ValueError: it has no utility function, or ``epsilon`` is negative,
                NaN or infinite.
        """
        if epsilon != 1e-10:
            epsilon = check_real("epsilon", epsilon)
            if epsilon < 0:
                raise ValueError(f"epsilon must be a real number >= 0, got {epsilon!r}")
        ufun = self._ufun
        if ufun is None:
            raise ValueError(
                f"{type(self).__name__} {self.id!r} cannot compare outcomes without a utility "
                "function: pass ufun= (or preferences=) to it or to mechanism.add()"
            )
        diff = utility_of(ufun, first) - utility_of(ufun, second)
        if math.isnan(diff) or abs(diff) <= epsilon:
            return None
        return diff > 0


class SorterNegotiator(Negotiator):
    """Ranks outcomes from its utility function (NegMAS's class): what
    :class:`~palaver.mechanisms.GAMechanism` asks of its negotiators.

    Its ``capabilities`` say ``{"sort": True}``, NegMAS's mark for a
    mechanism's requirements. Override :meth:`sort` for another ranking.
    """

    #: NegMAS's capabilities of this negotiator, matched against a mechanism's requirements.
    capabilities: ClassVar[dict[str, Any]] = {"sort": True}

    def sort(self, outcomes: list[Outcome | None], descending: bool = True) -> None:
        """Sort ``outcomes`` in place by utility, best first unless ``descending``
        is false; equal utilities keep their order, ``None`` (no agreement) counts
        as the reserved value and a NaN utility as the worst.

        Raises:
            ValueError: it has no utility function.
        """
        ufun = self._ufun
        if ufun is None:
            raise ValueError(
                f"{type(self).__name__} {self.id!r} cannot sort outcomes without a utility "
                "function: pass ufun= (or preferences=) to it or to mechanism.add()"
            )
        worst = -math.inf if descending else math.inf

        def key(outcome: Outcome | None) -> float:
            u = utility_of(ufun, outcome)
            return worst if math.isnan(u) else u

        outcomes.sort(key=key, reverse=descending)
