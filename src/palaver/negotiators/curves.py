"""Concession curves: the utility a negotiator still asks for at each relative time.

NegMAS's ``PolyAspiration`` and ``ExpAspiration`` (``negmas.negotiators.helpers``),
used by :class:`~palaver.negotiators.components.TimeBasedOfferingPolicy` and by
negotiators written NegMAS-style. ``utility_at(t)`` goes from
``max_aspiration`` at ``t = 0`` down to ``0`` at ``t = 1``; the curve's
exponent says how: above 1 it holds out (Boulware), below 1 it gives in early
(Conceder).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod

__all__ = [
    "EXP_ASPIRATION_EXPONENTS",
    "POLY_ASPIRATION_EXPONENTS",
    "ExpAspiration",
    "PolyAspiration",
]

#: The exponent of each named :class:`PolyAspiration` (NegMAS's values).
POLY_ASPIRATION_EXPONENTS: dict[str, float] = {
    "boulware": 4.0,
    "linear": 1.0,
    "conceder": 0.25,
    "hardheaded": math.inf,
}

#: The exponent of each named :class:`ExpAspiration` (NegMAS's values).
EXP_ASPIRATION_EXPONENTS: dict[str, float] = {"boulware": 0.125, "linear": 0.725, "conceder": 4.0}


def _exponent(aspiration_type: str | float, names: dict[str, float]) -> float:
    if isinstance(aspiration_type, str):
        try:
            return names[aspiration_type]
        except KeyError:
            raise ValueError(
                f"unknown aspiration_type {aspiration_type!r}; use one of {sorted(names)} "
                "or a number"
            ) from None
    if isinstance(aspiration_type, bool) or not isinstance(aspiration_type, int | float):
        raise TypeError(f"aspiration_type must be a name or a number, got {aspiration_type!r}")
    return float(aspiration_type)


class _Aspiration(ABC):
    """What both curves share: a starting level, an exponent and ``utility_range``."""

    def __init__(
        self,
        max_aspiration: float,
        aspiration_type: str | float,
        exponents: dict[str, float] | None,
        default: dict[str, float],
    ) -> None:
        self.max_aspiration = float(max_aspiration)
        self.aspiration_type = aspiration_type
        self.exponents = dict(default if exponents is None else exponents)
        self.exponent = _exponent(aspiration_type, self.exponents)

    @abstractmethod
    def utility_at(self, t: float) -> float:
        """The level asked for at relative time ``t`` (in ``[0, 1]``)."""

    def utility_range(self, t: float) -> tuple[float, float]:
        """The utilities acceptable at ``t``: from :meth:`utility_at` up to 1."""
        return self.utility_at(t), 1.0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.max_aspiration!r}, {self.aspiration_type!r})"


class PolyAspiration(_Aspiration):
    """``max_aspiration * (1 - t ** exponent)``: a polynomial concession curve.

    Args:
        max_aspiration: The level at ``t = 0`` (usually 1.0).
        aspiration_type: ``"boulware"`` (exponent 4), ``"linear"`` (1),
            ``"conceder"`` (0.25), ``"hardheaded"`` (never concedes before the
            end), or the exponent itself.
        exponents: What the names mean, to replace
            :data:`POLY_ASPIRATION_EXPONENTS`.
    """

    def __init__(
        self,
        max_aspiration: float,
        aspiration_type: str | float,
        exponents: dict[str, float] | None = None,
    ) -> None:
        super().__init__(max_aspiration, aspiration_type, exponents, POLY_ASPIRATION_EXPONENTS)

    def utility_at(self, t: float) -> float:
        """``max_aspiration * (1 - t ** exponent)``."""
        return self.max_aspiration * (1.0 - math.pow(t, self.exponent))


class ExpAspiration(_Aspiration):
    """``max_aspiration * (e ** ((1 - t) ** exponent) - 1) / (e - 1)``: an exponential curve.

    Args:
        max_aspiration: The level at ``t = 0`` (usually 1.0).
        aspiration_type: ``"boulware"`` (exponent 0.125), ``"linear"``
            (0.725), ``"conceder"`` (4), or the exponent itself.
        exponents: What the names mean, to replace
            :data:`EXP_ASPIRATION_EXPONENTS`.
    """

    def __init__(
        self,
        max_aspiration: float,
        aspiration_type: str | float,
        exponents: dict[str, float] | None = None,
    ) -> None:
        super().__init__(max_aspiration, aspiration_type, exponents, EXP_ASPIRATION_EXPONENTS)

    def utility_at(self, t: float) -> float:
        """``max_aspiration * (e ** ((1 - t) ** exponent) - 1) / (e - 1)``."""
        return self.max_aspiration * math.expm1(math.pow(1.0 - t, self.exponent)) / math.expm1(1.0)
