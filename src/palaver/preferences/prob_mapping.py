"""NegMAS's probabilistic utility functions: each outcome worth a distribution of utilities.

:class:`ProbUtilityFunction` is the base (NegMAS's ``negmas.preferences.
ProbUtilityFunction``): calling it gives a
:class:`~palaver.preferences.distributions.Distribution`, ``None`` (no
agreement) gives :attr:`~ProbUtilityFunction.reserved_distribution`.
:class:`ProbMappingUtilityFunction` looks the distributions up in a dict, or
asks a callable. These are :class:`~palaver.preferences.Preferences`, not
utility functions: Palaver's negotiators, mechanisms and statistics need
numbers, so they do not take them (use the means in a
:class:`~palaver.preferences.MappingUtilityFunction` there).
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.base import Preferences
from palaver.preferences.distributions import (
    Distribution,
    UniformDistribution,
    make_distribution,
)

__all__ = ["IPUtilityFunction", "ProbMappingUtilityFunction", "ProbUtilityFunction"]

#: What a probabilistic utility function gives an outcome: a distribution, or a number.
ProbValue: TypeAlias = Distribution | float


class ProbUtilityFunction(Preferences, ABC):
    """Preferences giving each outcome a distribution of utilities (subclasses define ``eval``).

    ``reserved_value`` is a number or a distribution; :attr:`reserved_value`
    reads its mean, :attr:`reserved_distribution` the distribution (a point
    for a number).
    """

    def __init__(
        self,
        reserved_value: ProbValue = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        self.reserved_value = reserved_value
        super().__init__(outcome_space)

    @property
    def reserved_value(self) -> float:
        """The mean utility of no agreement."""
        return self._reserved.mean()

    @reserved_value.setter
    def reserved_value(self, value: ProbValue) -> None:
        if not isinstance(value, Distribution) and (
            isinstance(value, bool) or not isinstance(value, numbers.Real)
        ):
            raise ValueError(
                f"reserved_value must be a number or a Distribution, got {value!r:.80} "
                f"({type(value).__name__})"
            )
        self._reserved = make_distribution(value)

    @property
    def reserved_distribution(self) -> Distribution:
        """The utility of no agreement as a distribution."""
        return self._reserved

    @abstractmethod
    def eval(self, outcome: Outcome) -> ProbValue:
        """The utility distribution (or number) of an outcome tuple."""

    def __call__(self, outcome: Outcome | None) -> Distribution:
        """The utility of ``outcome`` as a distribution (a number becomes a point);
        ``None`` gives :attr:`reserved_distribution`."""
        if outcome is None:
            return self._reserved
        return make_distribution(self.eval(tuple(outcome)))


class ProbMappingUtilityFunction(ProbUtilityFunction):
    """Distributions of utility looked up per outcome: a dict keyed by outcome tuple, or a callable.

    Values are distributions or numbers (points). An outcome the dict lacks
    (or the callable raises ``KeyError`` for) gets ``default``; with no
    ``default`` that is a ``KeyError`` naming it (NegMAS returns ``None``,
    and also turns any other error of the callable into ``default``).
    """

    def __init__(
        self,
        mapping: Mapping[Outcome, ProbValue] | Callable[[Outcome], ProbValue],
        default: ProbValue | None = None,
        reserved_value: ProbValue = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        if isinstance(mapping, Mapping):
            self._lookup: Callable[[Outcome], ProbValue] = {
                tuple(k): _checked(k, v) for k, v in mapping.items()
            }.__getitem__
        elif callable(mapping):
            self._lookup = mapping
        else:
            raise TypeError(f"mapping must be a dict or a callable, got {mapping!r:.80}")
        self._mapping = mapping
        self._default = None if default is None else _checked("default", default)
        super().__init__(reserved_value, outcome_space)

    @property
    def mapping(self) -> Mapping[Outcome, ProbValue] | Callable[[Outcome], ProbValue]:
        """The dict or callable given."""
        return self._mapping

    @property
    def default(self) -> ProbValue | None:
        """What an outcome missing from the mapping is worth (``None``: an error)."""
        return self._default

    def eval(self, outcome: Outcome) -> ProbValue:
        """The mapping's distribution (or number) for an outcome tuple."""
        try:
            return self._lookup(outcome)
        except KeyError:
            if self._default is None:
                raise KeyError(
                    f"outcome {outcome!r} is not in the mapping and no default was given"
                ) from None
            return self._default


class IPUtilityFunction(ProbMappingUtilityFunction):
    """NegMAS's independent probabilistic utility function: ``outcomes[k]`` is
    worth ``distributions[k]`` (each the uniform one on ``[0, 1]`` when none are
    given). Outcomes are tuples, or dicts (read in the order of their sorted
    keys, as NegMAS does). ``ValueError`` for no outcomes, or a different
    number of distributions."""

    def __init__(
        self,
        outcomes: Iterable[Outcome | Mapping[str, Any]],
        distributions: Iterable[ProbValue] | None = None,
        reserved_value: ProbValue = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        listed = list(outcomes)
        if not listed:
            raise ValueError("IPUtilityFunction needs at least one outcome, got none")
        given = (
            [UniformDistribution(0.0, 1.0) for _ in listed]
            if distributions is None
            else list(distributions)
        )
        if len(given) != len(listed):
            raise ValueError(
                f"IPUtilityFunction: {len(given)} distributions for {len(listed)} outcomes"
            )
        keys = [
            tuple(o[k] for k in sorted(o)) if isinstance(o, Mapping) else tuple(o) for o in listed
        ]
        super().__init__(dict(zip(keys, given, strict=True)), None, reserved_value, outcome_space)

    @property
    def distributions(self) -> dict[Outcome, ProbValue]:
        """Each outcome's distribution (or number)."""
        mapping = self.mapping
        assert isinstance(mapping, Mapping)
        return dict(mapping)


def _checked(key: Any, value: Any) -> ProbValue:
    if isinstance(value, Distribution):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"mapping values must be distributions or numbers; {key!r:.80} has {value!r:.80}"
        )
    return float(value)
