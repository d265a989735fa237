"""``ConstUtilityFunction``: NegMAS's utility function giving every outcome the same value."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from palaver._util.checks import check_real
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.outcomes.plain import issues_from_plain, issues_to_plain
from palaver.preferences.base import Outcomes, UtilityFunction, raise_unless_outcomes
from palaver.preferences.draws import ReservedValue, Seed, draw_reserved, generator, space_of
from palaver.preferences.value_functions import dict_of

__all__ = ["ConstUtilityFunction"]


class ConstUtilityFunction(UtilityFunction):
    """``value`` for every outcome, of any issue type; ``None`` gives ``reserved_value``.

    Its range is ``(value, value)`` over any outcome space, continuous ones
    included; like any constant it cannot be normalized (``ValueError``).
    """

    def __init__(
        self,
        value: float,
        *,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        self._value = check_real("value", value)
        super().__init__(reserved_value, outcome_space)

    @property
    def value(self) -> float:
        """The utility of every outcome."""
        return self._value

    def eval(self, outcome: Outcome) -> float:
        """``value``, whatever the outcome."""
        return self._value

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """``value`` once per outcome."""
        try:
            return np.full(len(outcomes), self._value)
        except TypeError:
            raise_unless_outcomes(outcomes)
            raise

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """``(value, value)``, over any outcome space (none is needed)."""
        return self._value, self._value

    def shift_by(self, offset: float, shift_reserved: bool = True) -> ConstUtilityFunction:
        """``value + offset`` (the reserved value too, by default)."""
        d = check_real("offset", offset)
        rv = self.reserved_value + d if shift_reserved else self.reserved_value
        made = ConstUtilityFunction(
            self._value + d, reserved_value=rv, outcome_space=self.outcome_space
        )
        made.name = self.name
        return made

    def scale_by(self, scale: float, scale_reserved: bool = True) -> ConstUtilityFunction:
        """``value * scale`` (``scale >= 0``; the reserved value too, by default)."""
        s = check_real("scale", scale)
        if s < 0:
            raise ValueError(f"scale must be >= 0 (a negative one reverses preferences), got {s}")
        rv = self.reserved_value * s if scale_reserved else self.reserved_value
        made = ConstUtilityFunction(
            self._value * s, reserved_value=rv, outcome_space=self.outcome_space
        )
        made.name = self.name
        return made

    def to_dict(self) -> dict[str, Any]:
        """``type``, ``value``, ``reserved_value`` and the issues (when known) as plain data."""
        space = self.outcome_space
        return {
            "type": "ConstUtilityFunction",
            "value": self._value,
            "reserved_value": self.reserved_value,
            "stability": int(self.stability),
            "issues": None if space is None else issues_to_plain(space.issues),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ConstUtilityFunction:
        """The function a :meth:`to_dict` dict describes."""
        data = dict_of(cls.__name__, d, ("value",))
        issues = data.pop("issues", None)
        space = None if issues is None else issues_from_plain(issues)
        return cls(data.pop("value"), outcome_space=space, **data)

    @classmethod
    def random(
        cls,
        issues: OutcomeSpace | Iterable[Issue] | None = None,
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        value_range: tuple[float, float] = (0.0, 1.0),
        *,
        outcome_space: OutcomeSpace | None = None,
        seed: Seed = None,
    ) -> ConstUtilityFunction:
        """NegMAS's ``random``: value 1 when ``normalized``, else drawn from
        ``value_range``; the reserved value drawn from its range. Draws come from ``seed``."""
        space = space_of(issues, outcome_space)
        rng = generator(seed)
        low = check_real("value_range low", value_range[0])
        high = check_real("value_range high", value_range[1])
        value = 1.0 if normalized else float(rng.uniform(low, high))
        rv = draw_reserved(rng, reserved_value)
        return cls(value, reserved_value=rv, outcome_space=space)
