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

from abc import abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

import numpy as np

from palaver._util.checks import check_real
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.base import Outcomes, UtilityFunction
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

#: What a discount is a function of: the name of a field of the mechanism
#: state (``"step"``, ``"relative_time"``, ``"time"``), or a function of the state.
Factor: TypeAlias = str | Callable[[Any], float]

#: The state fields a factor may name, and NegMAS's other names for two of them
#: (``make_discounted_ufun``'s real-time discount reads ``"real_time"``, and
#: ``LinDiscountedUFun``'s default factor is ``"current_step"``).
_FIELDS = {
    "step": "step",
    "relative_time": "relative_time",
    "time": "time",
    "real_time": "time",
    "current_step": "step",
}


def _checked_factor(factor: object) -> Factor:
    if callable(factor):
        return factor
    if isinstance(factor, str) and factor in _FIELDS:
        return factor
    raise ValueError(
        f"factor must be one of {sorted(_FIELDS)} or a function of the mechanism state, "
        f"got {factor!r}"
    )


def _checked_flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


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


class DiscountedUtilityFunction(UtilityFunction):
    """A utility function computed from another one (``ufun``) and the negotiation's state.

    Subclasses define :meth:`discounted` (a utility, or an array of them, in a
    state). The outcome space is shared with the inner function: given here,
    it is set on the inner one; not given, it is the inner one's. The
    reserved value defaults to the inner function's (NegMAS's own default is
    ``-inf``, which loses the inner function's reserved value);
    ``dynamic_reservation`` discounts it like any utility, otherwise no
    agreement is worth the reserved value whatever the state.

    ``minmax`` is the inner function's range (undiscounted, as in NegMAS).
    """

    #: What the discount is a function of (see :data:`Factor`).
    factor: Factor

    def __init__(
        self,
        ufun: UtilityFunction,
        *,
        name: str | None = None,
        reserved_value: float | None = None,
        dynamic_reservation: bool = True,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
        id: str | None = None,
    ) -> None:
        if not isinstance(ufun, UtilityFunction):
            raise TypeError(
                f"ufun must be a UtilityFunction, got {ufun!r:.80} ({type(ufun).__name__})"
            )
        self._ufun = ufun
        self.dynamic_reservation = _checked_flag("dynamic_reservation", dynamic_reservation)
        super().__init__(
            ufun.reserved_value if reserved_value is None else reserved_value,
            outcome_space if outcome_space is not None else ufun.outcome_space,
        )
        self.name = ufun.name if name is None else name
        self.id = id

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        # One space for both, as NegMAS keeps them: the inner function reads
        # dicts and categorical values through it.
        if outcome_space is not None and self._ufun.outcome_space is not outcome_space:
            self._ufun.outcome_space = outcome_space

    def __getstate__(self) -> dict[str, Any]:
        # The owner is the negotiator of a running negotiation (and through it
        # the mechanism): a copy or a pickle of the function does not take it along.
        state = dict(self.__dict__)
        state["owner"] = None
        return state

    @property
    def ufun(self) -> UtilityFunction:
        """The utility function being discounted."""
        return self._ufun

    @ufun.setter
    def ufun(self, value: UtilityFunction) -> None:
        if not isinstance(value, UtilityFunction):
            raise TypeError(
                f"ufun must be a UtilityFunction, got {value!r:.80} ({type(value).__name__})"
            )
        self._ufun = value

    @property
    def inner(self) -> UtilityFunction:
        """The utility function being discounted (alias of :attr:`ufun`)."""
        return self._ufun

    @property
    def prefers_array(self) -> bool:  # type: ignore[override]
        """Whether the inner utility function prefers arrays."""
        return self._ufun.prefers_array

    @property
    @abstractmethod
    def effective(self) -> bool:
        """Whether this discounts at all (``False``: a zero cost, a discount of 1 or None)."""

    @abstractmethod
    def discounted(self, utility: Any, value: float) -> Any:
        """``utility`` (a float or an array) discounted at factor value ``value``."""

    def factor_value(self, state: Any) -> float:
        """The factor's value in ``state``: the named state field, or the function's result."""
        factor = self.factor
        if isinstance(factor, str):
            return float(getattr(state, _FIELDS[factor]))
        return float(factor(state))

    def _state(self) -> Any:
        nmi = getattr(self.owner, "nmi", None)
        return None if nmi is None else nmi.state

    def eval_on_state(
        self, offer: Outcome | Mapping[str, Any] | None, nmi: Any = None, state: Any = None
    ) -> float:
        """The utility of ``offer`` (``None``: no agreement) in ``state``.

        Without a state (``None``) or without an effective discount it is the
        inner function's utility. ``nmi`` is accepted for NegMAS's signature.
        An inner discounted function is evaluated in the same state.
        """
        if offer is None:
            return self._reserved_on_state(state)
        if isinstance(self._ufun, DiscountedUtilityFunction):
            u = self._ufun.eval_on_state(offer, nmi, state)
        else:
            u = self._ufun(offer)
        if state is None or not self.effective:
            return u
        return float(self.discounted(u, self.factor_value(state)))

    def _reserved_on_state(self, state: Any) -> float:
        # The reserved value goes through every discounting layer underneath
        # that discounts it too, then through this one (when it does).
        if not self.dynamic_reservation:
            return self.reserved_value
        layers: list[DiscountedUtilityFunction] = [self]
        while isinstance(inner := layers[-1].ufun, DiscountedUtilityFunction):
            if not inner.dynamic_reservation:
                break
            layers.append(inner)
        u = self.reserved_value
        if state is None:
            return u
        for layer in reversed(layers):
            if layer.effective:
                u = float(layer.discounted(u, layer.factor_value(state)))
        return u

    def __call__(self, outcome: Outcome | Mapping[str, Any] | None) -> float:
        """The utility of ``outcome`` in the state of its owner's negotiation (see the module)."""
        return self.eval_on_state(outcome, None, self._state())

    def eval(self, outcome: Outcome) -> float:
        """The utility of an outcome tuple in the state of its owner's negotiation."""
        return self.eval_on_state(outcome, None, self._state())

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The utilities of many outcomes in the owner's state (vectorized like the inner ufun)."""
        return self.eval_many_on_state(outcomes, self._state())

    def eval_many_on_state(self, outcomes: Outcomes, state: Any) -> np.ndarray:
        """The utilities of many outcomes in ``state`` (``None``: undiscounted)."""
        inner = self._ufun
        if isinstance(inner, DiscountedUtilityFunction):
            utils = inner.eval_many_on_state(outcomes, state)
        else:
            utils = inner.eval_many(outcomes)
        if state is None or not self.effective:
            return utils
        return np.asarray(self.discounted(utils, self.factor_value(state)), dtype=float)

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The inner function's lowest and highest utility (undiscounted, as in NegMAS)."""
        return self._ufun.minmax(self.space_for(outcome_space))

    def is_state_dependent(self) -> bool:
        """Whether the utilities depend on the negotiation's state (they do, when it discounts)."""
        return self.effective or self._ufun.is_state_dependent()

    def extract_base_ufun(self, deep: bool = False) -> UtilityFunction:
        """This function (``deep=False``, NegMAS's rule), or the first function under
        every discounting layer (``deep=True``)."""
        if not deep:
            return self
        found: UtilityFunction = self
        while isinstance(found, DiscountedUtilityFunction):
            found = found.ufun
        return found

    def to_stationary(self) -> UtilityFunction:
        """The undiscounted function underneath (every discounting layer removed)."""
        return self.extract_base_ufun(deep=True)

    @property
    def base_type(self) -> str:
        """The inner function's type name (NegMAS's ``base_type``)."""
        return _type_name(self._ufun)

    @property
    def type(self) -> str:
        """The inner function's type name with how it is discounted (NegMAS's ``type``)."""
        return self.base_type + self._type_suffix

    _type_suffix = ""

    def _negmas_dict(self) -> dict[str, Any]:
        inner = self._ufun
        to_dict = getattr(inner, "to_dict", None)
        if to_dict is None:
            raise TypeError(
                f"{type(self).__name__}.to_dict needs an inner function with to_dict(); "
                f"{type(inner).__name__} has none"
            )
        if not isinstance(self.factor, str):
            raise TypeError(
                f"{type(self).__name__}.to_dict: a factor given as a function is not plain data"
            )
        return {
            "type": type(self).__name__,
            "ufun": to_dict(),
            "name": self.name,
            "reserved_value": self.reserved_value,
            "dynamic_reservation": self.dynamic_reservation,
            "factor": self.factor,
        }


def _type_name(ufun: UtilityFunction) -> str:
    found = getattr(ufun, "type", None)
    if isinstance(found, str):
        return found
    # NegMAS's names: LinearAdditiveUtilityFunction -> linear_additive.
    name = type(ufun).__name__.removesuffix("UtilityFunction").removesuffix("UFun")
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


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
        self.factor: Factor = _checked_factor(factor)
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
        self.factor: Factor = _checked_factor(factor)
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
