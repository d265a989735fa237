"""``MappingUtilityFunction``: utilities given by a dict or a function of the outcome."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from numbers import Real
from typing import Any

import numpy as np

from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.base import Outcomes, UtilityFunction
from palaver.preferences.draws import ReservedValue, Seed, draw_reserved, generator, space_of
from palaver.preferences.protocol import checked_utility
from palaver.preferences.random_tables import unit_draws


class MappingUtilityFunction(UtilityFunction):
    """Utilities read from a dict keyed by outcome tuple, or computed by a function.

    ``mapping`` is either a dict ``{outcome_tuple: utility}`` or a callable
    taking an outcome tuple and returning its utility. For a dict, an outcome
    that is not a key gets ``default``; when ``default`` is ``None`` (the
    default) such an outcome raises ``KeyError`` naming it, so that a gap in
    the table is never mistaken for a utility.
    """

    #: Keeps its range and extremes (see :mod:`palaver.preferences.kept_extremes`).
    keeps_results = True

    def __init__(
        self,
        mapping: Mapping[Outcome, float] | Callable[[Outcome], float],
        default: float | None = None,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        self._fn: Callable[[Outcome], float] | None = None
        self._map: dict[Outcome, float] | None = None
        if isinstance(mapping, Mapping):
            self._map = {}
            for k, v in mapping.items():
                # float() took the text "0.5" and True; NaN stays (NegMAS's "cannot
                # evaluate": pareto_utilities skips it, minmax() refuses it).
                if isinstance(v, bool) or not isinstance(v, Real):
                    raise ValueError(
                        f"mapping must have numbers as values; mapping[{k!r:.80}] "
                        f"is {v!r:.80} ({type(v).__name__})"
                    )
                try:
                    self._map[tuple(k)] = float(v)
                except TypeError:
                    raise ValueError(
                        f"mapping must have outcome tuples as keys, got the key {k!r:.80}"
                    ) from None
        elif callable(mapping):
            self._fn = mapping
        else:
            raise TypeError(f"mapping must be a dict or a callable, got {mapping!r}")
        if default is not None and (isinstance(default, bool) or not isinstance(default, Real)):
            # float() would take the text "0.5" and fail on others with its own message.
            raise TypeError(f"default must be a number or None, got {default!r:.80}")
        self._default = None if default is None else float(default)
        super().__init__(reserved_value, outcome_space)

    @classmethod
    def random(
        cls,
        outcome_space: OutcomeSpace | Iterable[Issue],
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        *,
        seed: Seed = None,
    ) -> MappingUtilityFunction:
        """A table of uniform random utilities over a discrete outcome space (NegMAS's ``random``).

        Normalized, the worst outcome gets 0 and the best 1; otherwise the
        draws are uniform in a random range within ``[0, 8]``.
        ``reserved_value`` is a number or a ``(low, high)`` range to draw it
        from. Continuous issues are refused (``OutcomeSpaceError``): discretize
        them. Every draw comes from ``seed`` (an int, a numpy ``Generator``,
        or ``None`` for fresh entropy).
        """
        space = space_of(outcome_space, None)
        rng = generator(seed)
        outcomes = space.enumerate()
        table = dict(
            zip(outcomes, map(float, unit_draws(rng, len(outcomes), normalized)), strict=True)
        )
        reserved = draw_reserved(rng, reserved_value)
        return cls(table, reserved_value=reserved, outcome_space=space)

    @property
    def mapping(self) -> Mapping[Outcome, float] | Callable[[Outcome], float]:
        """The dict or callable given at construction (a dict is a read-only copy)."""
        if self._map is not None:
            return dict(self._map)
        assert self._fn is not None
        return self._fn

    @property
    def default(self) -> float | None:
        """The utility of outcomes missing from the dict (``None``: they raise)."""
        return self._default

    def eval(self, outcome: Outcome) -> float:
        """The utility of an outcome tuple."""
        if self._map is None:
            return checked_utility(self._fn(outcome), self, outcome)  # type: ignore[misc]
        try:
            return self._map[outcome]
        except KeyError:
            if self._default is None:
                raise self._missing(outcome) from None
            return self._default
        except TypeError:
            raise self._missing(outcome) from None

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The utilities of many outcomes; an array input is decoded to tuples first."""
        rows = self.as_rows(outcomes)
        if self._map is None:
            return np.fromiter(map(self.eval, rows), dtype=float, count=len(rows))
        get, default = self._map.get, self._default
        if default is not None:
            return np.fromiter((get(o, default) for o in rows), dtype=float, count=len(rows))
        try:
            return np.fromiter(map(self._map.__getitem__, rows), dtype=float, count=len(rows))
        except (KeyError, TypeError):
            raise self._missing(next(o for o in rows if not self._has(o))) from None

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The lowest and highest utility over the (discrete) outcome space.

        Without any outcome space, a dict's own values are used.
        """
        if outcome_space is None and self._outcome_space is None and self._map is not None:
            values = list(self._map.values())
            if not values:
                raise ValueError("cannot find the range of an empty mapping")
            keys = list(self._map)
            self._no_nan(np.array(values), keys)
            return min(values), max(values)
        return super().minmax(outcome_space)

    def _has(self, outcome: Any) -> bool:
        try:
            return outcome in self._map  # type: ignore[operator]
        except TypeError:  # unhashable outcomes are never keys
            return False

    def _missing(self, outcome: Any) -> KeyError:
        return KeyError(
            f"outcome {outcome!r} is not in the mapping and no default was given "
            "(pass default=... to MappingUtilityFunction)"
        )
