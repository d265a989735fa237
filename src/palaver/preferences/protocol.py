"""What a negotiator (or an agent) needs of a utility function: :class:`UtilityFunctionLike`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from numbers import Real
from types import FunctionType, MethodType
from typing import Any, Protocol, cast, runtime_checkable

import numpy as np

from palaver.outcomes import Outcome, OutcomeSpace


@runtime_checkable
class UtilityFunctionLike(Protocol):
    """Anything a negotiator accepts as ``ufun=`` (or ``preferences=``).

    Every :class:`~palaver.preferences.UtilityFunction` is one. So is a class of
    one's own written NegMAS-style, without deriving from Palaver's classes,
    as long as it has:

    - ``ufun(outcome)``: the utility of an outcome tuple, and of ``None`` (no
      agreement: the reserved value);
    - ``ufun.eval(outcome)``: the utility of an outcome tuple (never ``None``);
    - ``ufun.reserved_value``: the utility of no agreement;
    - ``ufun.outcome_space``: the outcome space, or ``None`` until a mechanism
      sets it when the ufun joins a negotiation (so it must be assignable).

    Two members are optional and used when present: ``eval_many(array)``, the
    utilities of the rows of an ``OutcomeSpace.to_array`` array at once (the
    built-in strategies rank every outcome with it when a negotiation starts,
    and call ``eval`` per outcome without it), and ``ranking_fingerprint()``
    (see :func:`palaver.negotiators.ranking_for`).

    The check ``isinstance(x, UtilityFunctionLike)`` looks only for the names.
    """

    outcome_space: OutcomeSpace | None

    @property
    def reserved_value(self) -> float:
        """The utility of reaching no agreement."""
        ...

    def __call__(self, outcome: Outcome | None, /) -> float:
        """The utility of ``outcome``; ``None`` gives the reserved value."""
        ...

    def eval(self, outcome: Outcome, /) -> float:
        """The utility of an outcome tuple."""
        ...


def checked_ufun(name: str, value: object) -> UtilityFunctionLike | None:
    """``value`` as a utility function, or ``None``; ``TypeError`` naming ``name`` otherwise.

    A plain function (a ``def``, a ``lambda``, a bound method or a
    ``functools.partial``) of the outcome is taken as NegMAS takes it: wrapped
    in a :class:`~palaver.preferences.MappingUtilityFunction` that calls it per
    outcome (reserved value ``-inf``). Anything else must satisfy
    :class:`UtilityFunctionLike`, so that a wrong value (a class, a number)
    fails where it is given rather than when a negotiation starts. Called
    where a utility function is handed over (constructors, ``add``, ``join``),
    never per round.
    """
    if value is None:  # no function given (a mechanism's add() without one, say)
        return None
    if isinstance(value, FunctionType | MethodType | partial):
        from palaver.preferences.mapping import MappingUtilityFunction

        return MappingUtilityFunction(value)
    # hasattr rather than isinstance(value, UtilityFunctionLike): the same
    # test, without the protocol machinery's cost (a ufun is checked per
    # negotiator, many times in a tournament).
    if not (
        hasattr(value, "eval")
        and hasattr(value, "outcome_space")
        and hasattr(value, "reserved_value")
        and callable(value)
    ):
        missing = [m for m in _MEMBERS if not hasattr(value, m)]
        hint = (
            " (wrap a callable in palaver.preferences.MappingUtilityFunction(f), which "
            "calls it per outcome, or subclass palaver.preferences.UtilityFunction)"
            if callable(value)
            else ""
        )
        raise TypeError(
            f"{name} must be a utility function (a palaver.preferences.UtilityFunction or "
            f"anything with {', '.join(_MEMBERS)}; see UtilityFunctionLike) or None, "
            f"got {value!r} ({type(value).__name__}, lacking {', '.join(missing)}){hint}"
        )
    if isinstance(value, type):
        # A utility function class has every member looked for above (as class
        # attributes), so it passed and failed at the first outcome.
        raise TypeError(
            f"{name} must be a utility function, got the class {value.__name__}: give an "
            f"instance ({value.__name__}(...)), not the class"
        )
    return cast("UtilityFunctionLike | None", value)


_MEMBERS = ("__call__", "eval", "reserved_value", "outcome_space")


def check_ufun_space(ufun: UtilityFunctionLike, space: OutcomeSpace, where: str) -> None:
    """``ValueError`` when ``ufun`` is bound to an outcome space other than ``space``.

    Spaces with equal issues are the same space, whatever the objects. A
    space made from a list of outcomes (NegMAS's ``outcomes=``: issues named
    ``"0"``, ``"1"``, ... after their positions) is the same as a space with
    the same values at each position, whatever its issue names and kinds:
    NegMAS code builds ufuns that way for a negotiation over named issues. A
    utility function without a space is accepted (the caller binds it).
    ``where`` names the negotiation, for the message.
    """
    own = getattr(ufun, "outcome_space", None)
    if own is not None and own is not space and own != space and not _same_outcomes(own, space):
        raise ValueError(
            f"the utility function ({type(ufun).__name__}) is defined over {own!r}, not "
            f"over the outcome space of {where}, {space!r}: give it outcome_space=None "
            "(the mechanism then binds it) or the negotiation's space"
        )


def _same_outcomes(own: OutcomeSpace, space: OutcomeSpace) -> bool:
    """Whether ``own``, made from a list of outcomes, lists the values of ``space``."""
    if not isinstance(own, OutcomeSpace):
        return False
    if own.issue_names != [str(k) for k in range(own.n_issues)]:
        return False
    if own.n_issues != space.n_issues or own.cardinality != space.cardinality:
        return False
    return all(
        a.is_discrete and b.is_discrete and list(a.all_values) == list(b.all_values)
        for a, b in zip(own.issues, space.issues, strict=True)
    )


def resolve_ufun(ufun: object, preferences: object) -> UtilityFunctionLike | None:
    """The utility function given as ``ufun=`` or as its alias ``preferences=``.

    The one place where the NegMAS alias is resolved (negotiators, mechanisms
    and agents call it): giving both is allowed only when they are the same
    object; ``ValueError`` otherwise.
    """
    if ufun is None:
        return checked_ufun("preferences", preferences)
    if preferences is not None and preferences is not ufun:
        raise ValueError("give ufun or preferences (they are aliases), not two different ones")
    return checked_ufun("ufun", ufun)


#: The types a utility usually has: checked by identity, the rest by isinstance.
_PLAIN_UTILITY_TYPES = frozenset({float, int, np.float64, np.float32, np.int64, np.int32})


def checked_utility(value: object, ufun: object, outcome: object) -> float:
    """``value``, what ``ufun`` gave for ``outcome``, as a float; ``TypeError`` unless a number.

    A text (``"1"``), ``None`` (a forgotten ``return``), a flag, a tuple or an
    array is the utility function's mistake, named with the outcome: read as a
    number (``float("1")``, ``None`` as NaN) it would rank and accept outcomes
    silently wrong.
    """
    if type(value) in _PLAIN_UTILITY_TYPES or (
        isinstance(value, Real) and not isinstance(value, bool)
    ):
        return float(cast("float", value))
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu":
        return float(value)  # what numpy reductions of a 0-d input give
    raise TypeError(
        f"the utility function {ufun!r} gave {value!r} ({type(value).__name__}) for outcome "
        f"{outcome!r}: a utility must be a real number (an int or a float; return a low "
        "utility, e.g. the reserved value, for outcomes that are not acceptable)"
    )


def checked_utilities(
    evaluate: Callable[[Any], object], rows: Sequence[Outcome], ufun: object
) -> np.ndarray:
    """``evaluate(row)`` for every row as a float array, each checked as :func:`checked_utility`.

    What a ``np.fromiter(map(ufun.eval, rows), dtype=float)`` would give for
    well-formed utilities, without its silent conversion of texts and ``None``.
    """
    values = list(map(evaluate, rows))
    if not set(map(type, values)) <= _PLAIN_UTILITY_TYPES:
        values = [checked_utility(v, ufun, o) for v, o in zip(values, rows, strict=True)]
    return np.array(values, dtype=float)


def checked_utility_array(values: object, ufun: object, rows: Sequence[Outcome]) -> np.ndarray:
    """What ``ufun.eval_many(rows)`` returned as a float array of one utility per row.

    ``TypeError`` naming the utility function when it is not numbers (a list
    of texts, booleans, objects) or not one per row.
    """
    if isinstance(values, np.ndarray):
        array = values
    else:
        try:
            array = np.asarray(values)
        except ValueError:  # ragged: rows of different lengths
            array = np.asarray(values, dtype=object)
    if array.dtype.kind not in "fiu":
        if array.dtype == object and array.shape == (len(rows),):
            return np.array(
                [checked_utility(v, ufun, o) for v, o in zip(array.tolist(), rows, strict=True)],
                dtype=float,
            )
        raise TypeError(
            f"the utility function {ufun!r} gave eval_many values of dtype {array.dtype}: "
            "a utility must be a real number (eval_many returns an array of them)"
        )
    if array.shape != (len(rows),):
        raise TypeError(
            f"the utility function {ufun!r} gave eval_many values of shape {array.shape} "
            f"for {len(rows)} outcomes: a utility must be a real number, one per outcome "
            f"(shape ({len(rows)},))"
        )
    return array.astype(float, copy=False)


def checked_ranked_utilities(values: object, ufun: object, rows: Sequence[Outcome]) -> np.ndarray:
    """``ufun.eval_many(rows)`` as :func:`checked_utility_array` reads it, and no NaN.

    For code that sorts or thresholds every outcome once (inverters, concession
    orders): a NaN compares false with everything, so it would be ranked at an
    arbitrary place and offered or accepted silently. ``ValueError`` naming the
    utility function and the first outcome given NaN.
    """
    utils = checked_utility_array(values, ufun, rows)
    nan = np.isnan(utils)
    if nan.any():
        where = int(np.flatnonzero(nan)[0])
        raise ValueError(
            f"the utility function {ufun!r} gives NaN for outcome {rows[where]!r}: "
            "utilities must be numbers (return a low utility, e.g. the reserved value, "
            "for outcomes that are not acceptable)"
        )
    return utils


def utility_of(ufun: Any, outcome: Any) -> float:
    """``ufun(outcome)`` as a float: :func:`checked_utility`, and no NaN.

    For strategies that evaluate offers one at a time (acceptance rules,
    comparisons): ``float()`` took a text ``"0.5"``, and a NaN compared false
    with every threshold, so an offer was accepted or refused silently.
    """
    value = ufun(outcome)
    u = float(value) if type(value) is float else checked_utility(value, ufun, outcome)
    if u != u:  # NaN
        raise ValueError(
            f"the utility function {ufun!r} gives NaN for outcome {outcome!r}: "
            "utilities must be numbers"
        )
    return u
