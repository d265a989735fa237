"""The base of the discounted utility functions: another utility function, worth
less as a negotiation goes on (see :mod:`palaver.preferences.discounted` for
NegMAS's two kinds and ``make_discounted_ufun``).

:class:`DiscountedUtilityFunction` holds what every discounting shares:
the inner function, reading the factor from the negotiation's state
(a state field named by a string or a function of the state), evaluating in
a given state or in the state of its ``owner``'s negotiation, and discounting
the reserved value through every layer. A subclass says only whether it
discounts and how (:attr:`~DiscountedUtilityFunction.effective`,
:meth:`~DiscountedUtilityFunction.discounted`).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

import numpy as np

from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.preferences.base import Outcomes, UtilityFunction

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


def checked_factor(factor: object) -> Factor:
    """``factor`` when it is a state field name or a function of the state, else a
    ``ValueError`` naming the fields."""
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
