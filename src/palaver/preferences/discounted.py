"""Discounted utility functions: another utility function, worth less as a negotiation goes on.

NegMAS's ``ExpDiscountedUFun`` (``discount ** factor * u``),
``LinDiscountedUFun`` (``u - (factor * cost) ** power``) and
``make_discounted_ufun``. The *factor* is read from the negotiation's state:
a state field named by a string (``"step"``, ``"relative_time"``, ``"time"``)
or a function of the state.

A discounted function evaluates an outcome in a given state with
:meth:`DiscountedUtilityFunction.eval_on_state`. Called as ``ufun(outcome)``
it reads the state of the negotiation of its ``owner``, the negotiator
using it in a running negotiation (set when the negotiation starts, cleared
when it ends, as NegMAS does); with no owner it is not discounted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from palaver._util.checks import check_real
from palaver.outcomes import Issue, OutcomeSpace
from palaver.preferences.base import UtilityFunction
from palaver.preferences.discounted_base import DiscountedUtilityFunction, Factor, checked_factor
from palaver.preferences.draws import ReservedValue, Seed, draw_reserved, generator, space_of
from palaver.preferences.stability import (
    FIXED_RESERVED_VALUE,
    SESSION_INDEPENDENT,
    STABLE_DIFF_RATIOS,
    STABLE_IRRATIONAL_OUTCOMES,
    STABLE_ORDERING,
    STABLE_RATIONAL_OUTCOMES,
    STABLE_RESERVED_VALUE,
    STATE_INDEPENDENT,
    Stability,
)

__all__ = [
    "DiscountedUtilityFunction",
    "ExpDiscountedUFun",
    "Factor",
    "LinDiscountedUFun",
    "make_discounted_ufun",
]


def _discount_stability(
    inner: Stability, effective: bool, dynamic_reservation: bool, rising: bool
) -> Stability:
    """NegMAS's stability of a discounted function (documented in ``ExpDiscountedUFun``).

    No effective discount: the inner function's. Otherwise discounting keeps
    the ordering and the ratios of differences, depends on the state (never
    ``STATE_INDEPENDENT``) and on the session only as the inner function does.
    Discounting the reserved value too keeps which outcomes are rational;
    a fixed reserved value keeps the rational ones when utilities rise
    (``rising``), the irrational ones when they fall.
    """
    if not effective:
        return inner
    flags = STABLE_ORDERING | STABLE_DIFF_RATIOS | (inner & SESSION_INDEPENDENT)
    if dynamic_reservation:
        flags |= STABLE_RESERVED_VALUE | STABLE_RATIONAL_OUTCOMES | STABLE_IRRATIONAL_OUTCOMES
    else:
        flags |= FIXED_RESERVED_VALUE
        flags |= STABLE_RATIONAL_OUTCOMES if rising else STABLE_IRRATIONAL_OUTCOMES
    return Stability(flags & inner & ~STATE_INDEPENDENT)


def _inner_from_dict(d: Mapping[str, Any]) -> UtilityFunction:
    """The inner function of a ``to_dict`` dict: a Palaver class named by its ``type``."""
    import palaver.preferences as preferences

    data = d["ufun"]
    kind = data.get("type") if isinstance(data, Mapping) else None
    cls = getattr(preferences, kind, None) if isinstance(kind, str) else None
    if not (isinstance(cls, type) and issubclass(cls, UtilityFunction)):
        raise ValueError(f"ufun: no utility function class named {kind!r} in palaver.preferences")
    made: UtilityFunction = cls.from_dict(data)  # type: ignore[attr-defined]
    return made


class ExpDiscountedUFun(DiscountedUtilityFunction):
    """``discount ** factor * u(outcome)``: NegMAS's exponential ``ExpDiscountedUFun``.

    ``factor`` is a state field (``"step"`` by default: the round) or a
    function of the state. ``discount`` None, 0 or 1 does not discount (NegMAS's
    rule); otherwise it must be positive (above 1, utilities grow).

    Args:
        ufun: The utility function to discount.
        discount: The factor per unit of ``factor`` (0.9 keeps 90% per round).
        factor: A state field name or a function of the state.
        name: A label (default: the inner function's).
        reserved_value: Default: the inner function's.
        dynamic_reservation: Discount the reserved value too.
        outcome_space: Default: the inner function's.
        id: NegMAS's identifier, kept as ``id``.
    """

    _type_suffix = "_exponentially_discounted"

    def __init__(
        self,
        ufun: UtilityFunction,
        discount: float | None = None,
        factor: Factor = "step",
        name: str | None = None,
        reserved_value: float | None = None,
        dynamic_reservation: bool = True,
        id: str | None = None,
        *,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        if discount is not None:
            discount = check_real("discount", discount)
            if discount < 0:
                raise ValueError(f"discount must be >= 0 (or None), got {discount}")
        self.discount = discount
        self.factor: Factor = checked_factor(factor)
        super().__init__(
            ufun,
            name=name,
            reserved_value=reserved_value,
            dynamic_reservation=dynamic_reservation,
            outcome_space=outcome_space,
            id=id,
        )
        self._stability = _discount_stability(
            ufun.stability, self.effective, self.dynamic_reservation, (discount or 1.0) > 1.0
        )

    @property
    def effective(self) -> bool:
        """Whether it discounts: ``discount`` is set and neither 0 nor 1."""
        return bool(self.discount) and self.discount != 1.0

    def discounted(self, utility: Any, value: float) -> Any:
        """``discount ** value * utility``."""
        assert self.discount is not None
        return self.discount**value * utility

    def shift_by(self, offset: float, shift_reserved: bool = True) -> ExpDiscountedUFun:
        """The inner function shifted by ``offset``, discounted the same way."""
        d = check_real("offset", offset)
        return ExpDiscountedUFun(
            self._ufun.shift_by(d, shift_reserved),
            self.discount,
            self.factor,
            self.name,
            self.reserved_value + d if shift_reserved else self.reserved_value,
            self.dynamic_reservation,
            outcome_space=self.outcome_space,
        )

    def scale_by(self, scale: float, scale_reserved: bool = True) -> ExpDiscountedUFun:
        """The inner function scaled by ``scale`` (> 0), discounted the same way."""
        s = check_real("scale", scale, positive=True)
        return ExpDiscountedUFun(
            self._ufun.scale_by(s, scale_reserved),
            self.discount,
            self.factor,
            self.name,
            self.reserved_value * s if scale_reserved else self.reserved_value,
            self.dynamic_reservation,
            outcome_space=self.outcome_space,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``type``, the inner function's ``to_dict()``, ``discount``, ``factor``, ...

        ``TypeError`` when the factor is a function or the inner function has no ``to_dict``.
        """
        return {**self._negmas_dict(), "discount": self.discount}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ExpDiscountedUFun:
        """The function a :meth:`to_dict` dict describes."""
        data = {k: v for k, v in d.items() if k not in ("type", "ufun")}
        return cls(_inner_from_dict(d), **data)

    @classmethod
    def random(
        cls,
        issues: OutcomeSpace | Iterable[Issue] | None = None,
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        discount_range: tuple[float, float] = (0.8, 1.0),
        *,
        outcome_space: OutcomeSpace | None = None,
        seed: Seed = None,
        **kwargs: Any,
    ) -> ExpDiscountedUFun:
        """NegMAS's ``random``: a random linear-additive function, discounted by a
        draw from ``discount_range``; draws come from ``seed``. Other keywords
        (``factor=``, ...) go to the constructor."""
        from palaver.preferences.additive import LinearAdditiveUtilityFunction

        space = space_of(issues, outcome_space)
        rng = generator(seed)
        discount = float(rng.uniform(*_range("discount_range", discount_range)))
        rv = draw_reserved(rng, reserved_value)
        inner = LinearAdditiveUtilityFunction.random(
            space, reserved_value=rv, normalized=normalized, seed=rng
        )
        return cls(inner, discount, reserved_value=rv, **kwargs)

    def __str__(self) -> str:
        return f"{self.base_type}-discount:{self.discount} based on {self.factor}"


class LinDiscountedUFun(DiscountedUtilityFunction):
    """``u(outcome) - (factor * cost) ** power``: NegMAS's linear ``LinDiscountedUFun``.

    ``factor`` is a state field or a function of the state; the default,
    ``"current_step"``, is NegMAS's name for the round (``"step"``: NegMAS's
    own state has no such field and raises when it reads it). ``cost`` None or
    0 does not discount. A negative cost (utilities grow) needs a whole
    ``power``: a negative number to a fractional power is not a real number.

    Args:
        ufun: The utility function to discount.
        cost: What each unit of ``factor`` costs.
        factor: A state field name or a function of the state.
        power: The exponent of the total cost (None: 1).
        name: A label (default: the inner function's).
        reserved_value: Default: the inner function's.
        dynamic_reservation: Discount the reserved value too.
        outcome_space: Default: the inner function's.
        id: NegMAS's identifier, kept as ``id``.
    """

    _type_suffix = "_linearly_discounted"

    def __init__(
        self,
        ufun: UtilityFunction,
        cost: float | None = None,
        factor: Factor = "current_step",
        power: float | None = 1.0,
        name: str | None = None,
        reserved_value: float | None = None,
        dynamic_reservation: bool = True,
        id: str | None = None,
        *,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        cost = None if cost is None else check_real("cost", cost)
        power = 1.0 if power is None else check_real("power", power)
        if cost is not None and cost < 0 and not power.is_integer():
            raise ValueError(
                f"power must be a whole number when cost is negative, got cost={cost}, "
                f"power={power}"
            )
        self.cost = cost
        self.power = power
        self.factor: Factor = checked_factor(factor)
        super().__init__(
            ufun,
            name=name,
            reserved_value=reserved_value,
            dynamic_reservation=dynamic_reservation,
            outcome_space=outcome_space,
            id=id,
        )
        self._stability = _discount_stability(
            ufun.stability, self.effective, self.dynamic_reservation, (cost or 0.0) < 0.0
        )

    @property
    def effective(self) -> bool:
        """Whether it discounts: ``cost`` is set and not 0."""
        return bool(self.cost)

    def discounted(self, utility: Any, value: float) -> Any:
        """``utility - (value * cost) ** power``."""
        assert self.cost is not None
        return utility - (value * self.cost) ** self.power

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``type``, the inner function's ``to_dict()``, ``cost``, ``power``, ...

        ``TypeError`` when the factor is a function or the inner function has no ``to_dict``.
        """
        return {**self._negmas_dict(), "cost": self.cost, "power": self.power}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LinDiscountedUFun:
        """The function a :meth:`to_dict` dict describes."""
        data = {k: v for k, v in d.items() if k not in ("type", "ufun")}
        return cls(_inner_from_dict(d), **data)

    @classmethod
    def random(
        cls,
        issues: OutcomeSpace | Iterable[Issue] | None = None,
        reserved_value: ReservedValue = (0.0, 1.0),
        normalized: bool = True,
        cost_range: tuple[float, float] = (0.8, 1.0),
        power_range: tuple[float, float] = (0.0, 1.0),
        *,
        outcome_space: OutcomeSpace | None = None,
        seed: Seed = None,
        **kwargs: Any,
    ) -> LinDiscountedUFun:
        """NegMAS's ``random``: a random linear-additive function, discounted by a
        cost and a power drawn from their ranges; draws come from ``seed``.
        Other keywords (``factor=``, ...) go to the constructor."""
        from palaver.preferences.additive import LinearAdditiveUtilityFunction

        space = space_of(issues, outcome_space)
        rng = generator(seed)
        cost = float(rng.uniform(*_range("cost_range", cost_range)))
        power = float(rng.uniform(*_range("power_range", power_range)))
        rv = draw_reserved(rng, reserved_value)
        inner = LinearAdditiveUtilityFunction.random(
            space, reserved_value=rv, normalized=normalized, seed=rng
        )
        return cls(inner, cost, power=power, reserved_value=rv, **kwargs)

    def __str__(self) -> str:
        return f"{self.base_type}-cost:{self.cost} raised to {self.power} based on {self.factor}"


def _range(name: str, given: object) -> tuple[float, float]:
    if not isinstance(given, tuple | list) or len(given) != 2:
        raise ValueError(f"{name} must be a (low, high) pair, got {given!r}")
    low, high = check_real(f"{name} low", given[0]), check_real(f"{name} high", given[1])
    if low > high:
        raise ValueError(f"{name} has low > high: {given!r}")
    return low, high


def make_discounted_ufun(
    ufun: UtilityFunction,
    cost_per_round: float | None = None,
    power_per_round: float | None = None,
    discount_per_round: float | None = None,
    cost_per_relative_time: float | None = None,
    power_per_relative_time: float | None = None,
    discount_per_relative_time: float | None = None,
    cost_per_real_time: float | None = None,
    power_per_real_time: float | None = None,
    discount_per_real_time: float | None = None,
    dynamic_reservation: bool = True,
) -> UtilityFunction:
    """``ufun`` with the given discounts applied, or ``ufun`` itself when none is given.

    NegMAS's ``make_discounted_ufun``. Each positive cost wraps it in a
    :class:`LinDiscountedUFun` and each positive discount in an
    :class:`ExpDiscountedUFun`, per round (``state.step``), per unit of
    relative time or per second (``state.time``), in NegMAS's order: the
    costs per round, relative time and second, then the discounts in the same
    order (the last given is the outermost). A value that is None or not
    positive adds no layer. Every layer reads the same state, so the
    discounts compose.
    """
    layers: list[tuple[str, str, float | None, float | None, str]] = [
        ("lin", "cost_per_round", cost_per_round, power_per_round, "step"),
        (
            "lin",
            "cost_per_relative_time",
            cost_per_relative_time,
            power_per_relative_time,
            "relative_time",
        ),
        ("lin", "cost_per_real_time", cost_per_real_time, power_per_real_time, "real_time"),
        ("exp", "discount_per_round", discount_per_round, None, "step"),
        ("exp", "discount_per_relative_time", discount_per_relative_time, None, "relative_time"),
        ("exp", "discount_per_real_time", discount_per_real_time, None, "real_time"),
    ]
    out = ufun
    for kind, name, given, power, factor in layers:
        amount = check_real(name, given, none_ok=True)
        if amount is None or not amount > 0.0:
            continue
        if kind == "lin":
            out = LinDiscountedUFun(
                out, amount, factor, power, dynamic_reservation=dynamic_reservation
            )
        else:
            out = ExpDiscountedUFun(out, amount, factor, dynamic_reservation=dynamic_reservation)
    return out
