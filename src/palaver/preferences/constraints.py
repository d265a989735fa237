"""NegMAS's constraints on utility functions: outcomes they rule out are worth ``-inf``.

A constraint is a callable taking an outcome tuple and returning a truth
value. A utility function given ``constraints=[...]`` (any of them, at
construction, or later with ``add_constraint``) values every outcome for
which one of them is false at ``-inf``, below any reserved value:
``ufun(outcome)`` and ``ufun.eval_many(outcomes)`` say so, while
``ufun.eval(outcome)`` stays the unconstrained value (as in NegMAS, whose
``eval`` is the raw one). ``minmax``, ``extreme_outcomes``, ``best`` and
``worst`` look only at the outcomes every constraint allows (a
``ValueError`` when none does). No agreement is worth the reserved value,
whatever the constraints. The utility functions made from a constrained one
(``normalize``, ``shift_by``, ``scale_by``, ``scale_max``) keep its
constraints.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from palaver.outcomes import Outcome, OutcomeSpace
from palaver.outcomes.constraints import checked_space_constraints
from palaver.preferences.kept_extremes import forget_kept_extremes

if TYPE_CHECKING:
    from palaver.preferences.base import UtilityFunction

__all__ = [
    "Constraint",
    "ConstraintsMixin",
    "checked_constraints",
    "checked_invalid_value",
    "constrain_subclass",
]

#: A predicate on outcome tuples: false rules the outcome out.
Constraint: TypeAlias = Callable[[Outcome], Any]

#: The methods of a subclass that give utilities of outcomes or of the space.
_EVALUATING = ("__call__", "eval_many", "minmax", "extreme_outcomes")
#: The methods of a subclass that make another utility function from this one.
_DERIVING = ("normalize", "normalize_for", "shift_by", "scale_by", "scale_max")


def checked_constraints(constraints: object) -> tuple[Constraint, ...]:
    """``constraints`` (an iterable of callables, or ``None``) as a tuple; a
    ``TypeError`` naming the first item that is not callable."""
    return tuple(checked_space_constraints(constraints))


def checked_invalid_value(value: object) -> float | None:
    """``value`` as a float (``None`` stays ``None``); a ``TypeError`` for a
    non-number (a flag or a text)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"invalid_value must be a number or None, got {value!r:.80} ({type(value).__name__})"
        )
    return float(value)


class ConstraintsMixin:
    """The constraints of a utility function, and NegMAS's ``invalid_value``
    (see the module)."""

    #: The constraints; the empty tuple (shared) until some are given.
    _outcome_constraints: tuple[Constraint, ...] = ()
    #: NegMAS's utility of an outcome outside the outcome space (``None``: not checked).
    _invalid_value: float | None = None
    #: True when ``__call__`` must check outcomes (constraints or an invalid value):
    #: one attribute test on the hot path.
    _checks_outcomes: bool = False

    @property
    def _constraints(self) -> tuple[Constraint, ...]:
        return self._outcome_constraints

    @_constraints.setter
    def _constraints(self, value: tuple[Constraint, ...]) -> None:
        forget_kept_extremes(self)  # NegMAS forgets on every change, even back to none
        self._outcome_constraints = value
        self._checks_outcomes = bool(value) or self._invalid_value is not None

    @property
    def invalid_value(self) -> float | None:
        """NegMAS's ``invalid_value``: what an outcome outside the outcome space is
        worth when called (``None``, the default: evaluated as any other)."""
        return self._invalid_value

    @invalid_value.setter
    def invalid_value(self, value: float | None) -> None:
        self._invalid_value = checked_invalid_value(value)
        self._checks_outcomes = bool(self._outcome_constraints) or self._invalid_value is not None

    def checked_utility(self, outcome: Outcome) -> float | None:
        """``invalid_value`` for an outcome outside the space, ``-inf`` for one a
        constraint rules out, else ``None`` (evaluate it)."""
        invalid = self._invalid_value
        if invalid is not None:
            space = getattr(self, "outcome_space", None)
            if space is not None and outcome not in space:
                return invalid
        if self._outcome_constraints and not self.satisfies_constraints(outcome):
            return -math.inf
        return None

    @property
    def constraints(self) -> list[Constraint]:
        """The constraints, in the order given (a new list: change them with
        :meth:`add_constraint`, :meth:`remove_constraint`, :meth:`clear_constraints`)."""
        return list(self._constraints)

    def add_constraint(self, constraint: Constraint) -> None:
        """Rule out the outcomes for which ``constraint(outcome)`` is false."""
        (checked,) = checked_constraints([constraint])
        self._constraints = (*self._constraints, checked)

    def remove_constraint(self, constraint: Constraint) -> None:
        """Drop ``constraint`` (its first occurrence); nothing when it is not there."""
        items = list(self._constraints)
        if constraint in items:
            items.remove(constraint)
            self._constraints = tuple(items)

    def clear_constraints(self) -> None:
        """Drop every constraint."""
        self._constraints = ()

    def satisfies_constraints(self, outcome: Outcome) -> bool:
        """True when every constraint allows ``outcome`` (always, without constraints)."""
        return all(c(outcome) for c in self._constraints)


def checked_many(
    ufun: UtilityFunction, outcomes: Any, evaluate: Callable[[Any], np.ndarray]
) -> np.ndarray:
    """The utilities of ``outcomes``: ``invalid_value`` for those outside the
    space, ``-inf`` for those a constraint rules out, ``evaluate`` for the rest
    (which alone it is given: an outcome outside the space may not evaluate)."""
    rows = ufun.as_rows(outcomes)
    checked = [ufun.checked_utility(o) for o in rows]
    todo = [i for i, c in enumerate(checked) if c is None]
    if len(todo) == len(rows):
        return evaluate(outcomes)
    out = np.array([math.nan if c is None else c for c in checked], dtype=float)
    if todo:
        out[todo] = np.asarray(evaluate([rows[i] for i in todo]), dtype=float)
    return out


def allowed_outcomes(
    ufun: UtilityFunction, outcome_space: OutcomeSpace | None
) -> tuple[list[Outcome], np.ndarray]:
    """The outcomes of the (enumerable) space every constraint allows, and their
    unconstrained utilities; a ``ValueError`` when the constraints allow none."""
    space = ufun.space_for(outcome_space)
    outcomes = [o for o in space.enumerate() if ufun.satisfies_constraints(o)]
    if not outcomes:
        raise ValueError(
            f"every outcome of {space!r:.120} violates a constraint of {type(ufun).__name__}: "
            "no best, worst or range of utilities"
        )
    utils = np.asarray(ufun.eval_many(outcomes), dtype=float)
    return outcomes, ufun._no_nan(utils, outcomes)


def constrained_minmax(
    ufun: UtilityFunction, outcome_space: OutcomeSpace | None
) -> tuple[float, float]:
    """The lowest and highest utility over the allowed outcomes (kept as
    :mod:`palaver.preferences.kept_extremes` says)."""
    keep = outcome_space is None or outcome_space is ufun.outcome_space
    kept = ufun._kept_minmax() if keep else None
    if kept is not None:
        return kept
    _, utils = allowed_outcomes(ufun, outcome_space)
    found = float(utils.min()), float(utils.max())
    if keep:
        ufun._keep_minmax(found)
    return found


def constrained_extremes(
    ufun: UtilityFunction, outcome_space: OutcomeSpace | None
) -> tuple[Outcome, Outcome]:
    """``(worst, best)`` among the allowed outcomes (the first of equals; kept as
    :mod:`palaver.preferences.kept_extremes` says)."""
    keep = outcome_space is None or outcome_space is ufun.outcome_space
    kept = ufun._kept_extremes() if keep else None
    if kept is not None:
        return kept
    outcomes, utils = allowed_outcomes(ufun, outcome_space)
    found = outcomes[int(np.argmin(utils))], outcomes[int(np.argmax(utils))]
    if keep:
        ufun._keep_extremes(found)
    return found


def _wrap_call(method: Callable[..., float]) -> Callable[..., float]:
    @functools.wraps(method)
    def __call__(self: UtilityFunction, outcome: Any) -> float:
        if self._checks_outcomes and outcome is not None:
            checked = self.checked_utility(self.as_tuple(outcome))
            if checked is not None:
                return checked
        return method(self, outcome)

    return __call__


def _wrap_eval_many(method: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    @functools.wraps(method)
    def eval_many(self: UtilityFunction, outcomes: Any) -> np.ndarray:
        if self._checks_outcomes:
            return checked_many(self, outcomes, lambda given: method(self, given))
        return method(self, outcomes)

    return eval_many


def _wrap_space_method(
    method: Callable[..., Any], constrained: Callable[[Any, OutcomeSpace | None], Any]
) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapped(self: UtilityFunction, *args: Any, **kwargs: Any) -> Any:
        if self._constraints:
            space = args[0] if args else kwargs.get("outcome_space")
            return constrained(self, space)
        return method(self, *args, **kwargs)

    return wrapped


def _wrap_deriving(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapped(self: UtilityFunction, *args: Any, **kwargs: Any) -> Any:
        made = method(self, *args, **kwargs)
        if self._checks_outcomes and made is not self and isinstance(made, ConstraintsMixin):
            made._constraints = self._constraints
            made.invalid_value = self._invalid_value
        return made

    return wrapped


def constrain_subclass(cls: type, call: bool = True) -> None:
    """Make the methods ``cls`` defines itself honour the constraints (see the module).

    A subclass overriding ``eval_many`` with a vectorized version, or
    ``minmax`` with an exact one, would otherwise ignore them; an
    unconstrained utility function pays one attribute test per call.
    ``call=False`` leaves ``__call__`` alone (the base class tests the
    constraints inline: no extra frame on the hot path).
    """
    own = cls.__dict__
    wrappers: dict[str, Callable[[Any], Any]] = {
        "eval_many": _wrap_eval_many,
        "minmax": lambda m: _wrap_space_method(m, constrained_minmax),
        "extreme_outcomes": lambda m: _wrap_space_method(m, constrained_extremes),
    }
    if call:
        wrappers["__call__"] = _wrap_call
    for name, wrap in wrappers.items():
        if name in own:
            setattr(cls, name, wrap(own[name]))
    for name in _DERIVING:
        method = own.get(name)
        if callable(method):  # not a classmethod or staticmethod object
            setattr(cls, name, _wrap_deriving(method))
