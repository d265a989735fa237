"""The preferences base classes and the outcome-conversion rules they share."""

from __future__ import annotations

import itertools
import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np

from palaver._util.checks import check_real
from palaver._util.naming import snake_case
from palaver.outcomes import (
    Issue,
    Outcome,
    OutcomeSpace,
    OutcomeSpaceError,
)
from palaver.outcomes.helpers import accept_space_keywords
from palaver.preferences import inverse
from palaver.preferences.comparisons import UtilityComparisons
from palaver.preferences.constraints import (
    ConstraintsMixin,
    checked_constraints,
    checked_invalid_value,
    constrain_subclass,
)
from palaver.preferences.distributions import Distribution, Real
from palaver.preferences.genius_xml import GeniusXmlMethods
from palaver.preferences.inverse import InverseUtilityFunction
from palaver.preferences.kept_extremes import KeptExtremesMixin
from palaver.preferences.keywords import accept_keywords
from palaver.preferences.minmax_keywords import accept_minmax_keywords
from palaver.preferences.protocol import checked_utilities
from palaver.preferences.random_tables import RandomTables
from palaver.preferences.stability import StabilityMixin, checked_stability

#: What ``eval_many`` accepts: outcome tuples (or dicts), or a numeric array
#: of shape ``(n, n_issues)`` as made by ``OutcomeSpace.to_array``.
Outcomes: TypeAlias = Sequence[Outcome] | Sequence[Mapping[str, Any]] | np.ndarray


def _checked_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string or None, got {name!r}")
    return name


class Preferences(StabilityMixin):
    """What an agent wants over the outcomes of an outcome space.

    ``outcome_space`` may be ``None`` at first; a mechanism sets it when the
    preferences join a negotiation without one. Subclasses that precompute
    something per space override :meth:`_on_outcome_space`.
    """

    #: A label for these preferences (NegMAS's ``name=``; ``None``: none given).
    name: str | None = None

    #: The negotiator using these preferences in a running negotiation, else
    #: ``None`` (NegMAS's ``owner``): set by the mechanism when the negotiation
    #: starts, cleared when it ends.
    owner: Any = None

    def __init__(self, outcome_space: OutcomeSpace | Iterable[Issue] | None = None) -> None:
        self._outcome_space: OutcomeSpace | None = None
        self.outcome_space = outcome_space

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # NegMAS's issues= / outcomes= / name= / stability= keywords, for every subclass.
        super().__init_subclass__(**kwargs)
        accept_space_keywords(cls)
        accept_minmax_keywords(cls)
        # A stability given to the constructor is no change of preferences (not recorded).
        checks: dict[str, Callable[[Any], Any]] = {
            "name": _checked_name,
            "stability": checked_stability,
        }
        if issubclass(cls, ConstraintsMixin):
            # NegMAS's constraints= (see palaver.preferences.constraints).
            checks["constraints"] = checked_constraints
            checks["invalid_value"] = checked_invalid_value
        accept_keywords(cls, checks, {"stability": "_stability", "constraints": "_constraints"})

    @property
    def outcome_space(self) -> OutcomeSpace | None:
        """The outcome space these preferences are defined over, if known."""
        return self._outcome_space

    @outcome_space.setter
    def outcome_space(self, value: OutcomeSpace | Iterable[Issue] | None) -> None:
        if value is not None and not isinstance(value, OutcomeSpace):
            value = OutcomeSpace(value)
        self._on_outcome_space(value)
        self._outcome_space = value

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        """Validate or precompute for a new outcome space (raise to refuse it)."""

    @property
    def issues(self) -> list[Issue] | None:
        """The issues of :attr:`outcome_space` (a new list), ``None`` while it has none
        (NegMAS's ``issues``)."""
        space = self._outcome_space
        return None if space is None else list(space.issues)

    @issues.setter
    def issues(self, value: Iterable[Issue] | None) -> None:
        # A NegMAS-style subclass may set its issues itself: they make the outcome space.
        self.outcome_space = value

    # NegMAS's names of the kind of preferences (user code prints or branches on them).
    @property
    def type(self) -> str:
        """The class name without ``Utility`` and ``Function``, in snake_case
        (``LinearAdditiveUtilityFunction`` -> ``"linear_additive"``; NegMAS's ``type``)."""
        return snake_case(type(self).__name__.replace("Function", "").replace("Utility", ""))

    @property
    def base_type(self) -> str:
        """:attr:`type` ignoring any discounting (NegMAS's ``base_type``)."""
        return self.type

    @property
    def type_name(self) -> str:
        """The class's full name, ``module.Class`` (NegMAS's ``type_name``)."""
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}"

    @property
    def short_type_name(self) -> str:
        """The last part of :attr:`type_name`: the class name."""
        return type(self).__name__


def raise_unless_outcomes(outcomes: object) -> None:
    """A ``TypeError`` naming ``outcomes`` when it is not a collection of them.

    Called once iterating ``outcomes`` has failed, not before: evaluating a
    batch is a hot path, and a check there would cost every call.
    """
    if isinstance(outcomes, str | bytes | Mapping) or not isinstance(outcomes, Iterable):
        raise TypeError(
            f"outcomes must be a list of outcomes or an array, got {outcomes!r:.80} "
            f"({type(outcomes).__name__})"
        ) from None


class UtilityFunction(
    KeptExtremesMixin,
    GeniusXmlMethods,
    ConstraintsMixin,
    RandomTables,
    UtilityComparisons,
    Preferences,
    ABC,
):
    """Preferences that give every outcome a number: higher is better.

    ``reserved_value`` (what no agreement is worth, returned for ``None``)
    defaults to ``-inf``, NegMAS's default: without one, any agreement is
    better than none.

    Subclasses implement :meth:`eval` on outcome tuples and usually override
    :meth:`eval_many` with a vectorized version.
    """

    #: True when ``eval_many`` is fastest on a ``to_array`` array (no decoding).
    prefers_array: bool = False

    def __init__(
        self,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        self.reserved_value = reserved_value
        super().__init__(outcome_space)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        constrain_subclass(cls)

    @property
    def reserved_value(self) -> float:
        """The utility of reaching no agreement.

        Set it to a number, or (NegMAS's) to a
        :class:`~palaver.preferences.distributions.Distribution`: it is then
        that distribution's mean, and :attr:`reserved_distribution` keeps it.
        """
        return self._reserved_value

    @reserved_value.setter
    def reserved_value(self, value: float | Distribution) -> None:
        # A number only: float("0.2") would quietly accept a text (a value read
        # from a file and not converted), float(True) a flag. A ValueError, as
        # a text that is not a number always raised here.
        given: object = value  # typed float, but callers pass anything
        self._reserved_distribution: Distribution | None = None
        if type(given) is float and given == given:  # the usual case, not NaN: no ABC check
            self._reserved_value = given
            return
        if isinstance(given, Distribution):
            self._reserved_distribution = given
            given = given.mean()
        if not isinstance(given, numbers.Real) or isinstance(given, bool):
            raise ValueError(
                f"reserved_value must be a number (int or float), "
                f"got {value!r} ({type(value).__name__})"
            )
        rv = float(given)
        if math.isnan(rv):
            raise ValueError("reserved_value must not be NaN")
        self._reserved_value = rv

    @property
    def reserved_distribution(self) -> Distribution:
        """NegMAS's reserved value as a distribution: the one it was set to, else a
        :class:`~palaver.preferences.distributions.Real` at :attr:`reserved_value`."""
        given: Distribution | None = getattr(self, "_reserved_distribution", None)
        if given is not None and given.mean() == self._reserved_value:
            return given
        return Real(self._reserved_value)

    @property
    def reserved_outcome(self) -> Outcome | None:
        """NegMAS's outcome realised without agreement: always ``None`` here, as
        Palaver's utility functions value no agreement by :attr:`reserved_value`."""
        return None

    def __call__(self, outcome: Outcome | Mapping[str, Any] | None) -> float:
        """The utility of ``outcome``: a tuple, a dict keyed by issue name, or ``None``.

        ``None`` (no agreement) gives the reserved value. A dict is read by
        issue name when the outcome space is known, otherwise in insertion order.
        """
        if outcome is None:
            return self._reserved_value
        if type(outcome) is not tuple:
            outcome = self.as_tuple(outcome)
        if self._checks_outcomes:
            checked = self.checked_utility(outcome)
            if checked is not None:
                return checked
        return self.eval(outcome)

    def as_tuple(self, outcome: Outcome | Mapping[str, Any] | Sequence[Any]) -> Outcome:
        """``outcome`` as a tuple, following the rules of :meth:`__call__`."""
        if type(outcome) is tuple:
            return outcome
        if self._outcome_space is not None:
            return self._outcome_space.to_tuple(outcome)
        if isinstance(outcome, Mapping):
            return tuple(outcome.values())
        if isinstance(outcome, Sequence | np.ndarray) and not isinstance(outcome, str | bytes):
            return tuple(outcome)
        raise TypeError(f"an outcome must be a tuple, a dict or None, got {outcome!r}")

    @abstractmethod
    def eval(self, outcome: Outcome) -> float:
        """The utility of an outcome tuple (no ``None``, no dict: see ``__call__``)."""

    def eval_many(self, outcomes: Outcomes) -> np.ndarray:
        """The utilities of many outcomes as a float array of shape ``(n,)``.

        ``outcomes`` is a list of tuples (or dicts) or an array from
        ``OutcomeSpace.to_array``. This default calls :meth:`eval` per outcome.
        """
        rows = self.as_rows(outcomes)
        return checked_utilities(self.eval, rows, self)

    def as_rows(self, outcomes: Outcomes) -> list[Outcome]:
        """``outcomes`` as a list of tuples (decoding an array needs the outcome space)."""
        if isinstance(outcomes, np.ndarray):
            if self._outcome_space is not None:
                return self._outcome_space.from_array(outcomes)
            return [tuple(row) for row in np.asarray(outcomes, dtype=float).tolist()]
        try:
            return [o if type(o) is tuple else self.as_tuple(o) for o in outcomes]
        except TypeError:
            raise_unless_outcomes(outcomes)
            raise

    def as_array(self, outcomes: Outcomes) -> np.ndarray:
        """``outcomes`` as a float array of shape ``(n, n_issues)`` of numeric values."""
        if isinstance(outcomes, np.ndarray):
            arr = np.asarray(outcomes, dtype=float)
            if arr.ndim != 2:
                raise ValueError(f"expected a 2-D array of outcomes, got shape {arr.shape}")
            return arr
        try:
            if self._outcome_space is not None:
                return self._outcome_space.to_array(outcomes)
            rows: list[Any] = outcomes if isinstance(outcomes, list) else list(outcomes)
        except TypeError:
            raise_unless_outcomes(outcomes)
            raise
        if not rows:
            return np.empty((0, 0))
        if set(map(type, rows)) != {tuple}:
            rows = [self.as_tuple(o) for o in rows]
        lengths = set(map(len, rows))
        if len(lengths) != 1:
            raise ValueError(f"outcomes have different lengths {sorted(lengths)}")
        k = lengths.pop()
        try:
            flat = itertools.chain.from_iterable(rows)
            return np.fromiter(flat, dtype=float, count=len(rows) * k).reshape(-1, k)
        except (TypeError, ValueError):
            raise ValueError(
                "outcomes are not all numeric; give the utility function an "
                "outcome_space so that categorical values map to their index"
            ) from None

    def space_for(self, outcome_space: OutcomeSpace | None) -> OutcomeSpace:
        """``outcome_space`` if given, else the ufun's own, else raise."""
        if outcome_space is not None and not isinstance(outcome_space, OutcomeSpace):
            # An issue or a list failed inside ("'ContinuousIssue' object has no
            # attribute 'enumerate'").
            raise TypeError(
                f"outcome_space must be an OutcomeSpace (make_os(issues)) or None, "
                f"got {outcome_space!r:.80} ({type(outcome_space).__name__})"
            )
        space = outcome_space if outcome_space is not None else self._outcome_space
        if space is None:
            raise OutcomeSpaceError(
                f"{type(self).__name__} has no outcome space; pass one or set ufun.outcome_space"
            )
        return space

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The lowest and highest utility over the outcome space (reserved value excluded).

        This default enumerates the space, so it needs a discrete one: discretize
        a continuous space explicitly first.
        """
        outcomes = self.space_for(outcome_space).enumerate()
        utils = self._no_nan(self.eval_many(outcomes), outcomes)
        return float(utils.min()), float(utils.max())

    def _no_nan(self, utils: np.ndarray, outcomes: Sequence[Outcome]) -> np.ndarray:
        """``utils``, or ``ValueError`` naming the first outcome given NaN: min() and
        argmax() pass NaN on or pick it, and normalize() then made a constant function."""
        nan = np.isnan(utils)
        if nan.any():
            where = int(np.flatnonzero(nan)[0])
            raise ValueError(
                f"the utility function {self!r} gives NaN for outcome {outcomes[where]!r}: "
                "utilities must be numbers (return a low utility, e.g. the reserved value, "
                "for outcomes that are not acceptable)"
            )
        return utils

    def max(self, outcome_space: OutcomeSpace | None = None) -> float:
        """The highest utility over the outcome space (``minmax()[1]``)."""
        return self.minmax(outcome_space)[1]

    def min(self, outcome_space: OutcomeSpace | None = None) -> float:
        """The lowest utility over the outcome space (``minmax()[0]``)."""
        return self.minmax(outcome_space)[0]

    def extreme_outcomes(
        self, outcome_space: OutcomeSpace | None = None
    ) -> tuple[Outcome, Outcome]:
        """``(worst, best)``: the outcomes of lowest and highest utility.

        Every outcome of the (discrete) space is evaluated; among equally good
        outcomes the first in enumeration order is returned. Raises
        ``OutcomeSpaceError`` without an outcome space, or when it cannot be
        enumerated (a continuous issue: discretize it first; too many outcomes).
        """
        keep = outcome_space is None or outcome_space is getattr(self, "_outcome_space", None)
        kept = self._kept_extremes() if keep else None
        if kept is not None:
            return kept
        outcomes = self.space_for(outcome_space).enumerate()
        utils = self._no_nan(self.eval_many(outcomes), outcomes)
        found = outcomes[int(np.argmin(utils))], outcomes[int(np.argmax(utils))]
        if keep:
            self._keep_extremes(found)
        return found

    def best(self, outcome_space: OutcomeSpace | None = None) -> Outcome:
        """The outcome of highest utility (see :meth:`extreme_outcomes`)."""
        return self.extreme_outcomes(outcome_space)[1]

    def worst(self, outcome_space: OutcomeSpace | None = None) -> Outcome:
        """The outcome of lowest utility (see :meth:`extreme_outcomes`)."""
        return self.extreme_outcomes(outcome_space)[0]

    def normalize(
        self,
        outcome_space: OutcomeSpace | tuple[float, float] | None = None,
        *,
        to: tuple[float, float] = (0.0, 1.0),
        normalize_reserved_values: bool = False,
        reserved_value_penalty: float | None = None,
        guarantee_max: bool = True,
        guarantee_min: bool = True,
        normalize_weights: bool = False,
        max_cardinality: int | None = None,
    ) -> UtilityFunction:
        """A utility function equal to this one mapped linearly onto ``to`` (``[0, 1]``).

        The worst outcome maps to exactly ``to[0]`` and the best to exactly
        ``to[1]``; the reserved value goes through the same map (so it may fall
        outside). A constant function gives a ``ConstUtilityFunction`` at an
        end (NegMAS's rule: :func:`~palaver.preferences.normalization.constant_at_end`);
        a linear-additive one over discrete issues NegMAS's canonical form
        (:class:`~palaver.preferences.NormalizedLinearAdditiveUtilityFunction`).
        NegMAS's ``normalize(to)`` (a ``(low, high)`` pair first) works too; its
        other keywords are described in
        :func:`palaver.preferences.normalization.normalize_one`.
        ``normalize_weights`` and ``max_cardinality`` are accepted for NegMAS's
        signature and change nothing (the range is exact or refused).
        """
        # Lazy: the normalization module builds on this one.
        from palaver.preferences.normalization import normalize_one

        space: OutcomeSpace | None = None
        if isinstance(outcome_space, tuple | list):
            to = outcome_space  # NegMAS's normalize(to)
        else:
            space = outcome_space
        return normalize_one(
            self,
            to,
            space,
            normalize_reserved_values=normalize_reserved_values,
            reserved_value_penalty=reserved_value_penalty,
            guarantee_max=guarantee_max,
            guarantee_min=guarantee_min,
        )

    def normalize_for(
        self,
        to: tuple[float, float] = (0.0, 1.0),
        outcome_space: OutcomeSpace | None = None,
        guarantee_max: bool = True,
        guarantee_min: bool = True,
        max_cardinality: int | None = None,
        normalize_reserved_values: bool = False,
        reserved_value_penalty: float | None = None,
    ) -> UtilityFunction:
        """NegMAS's ``normalize_for``: :meth:`normalize` with NegMAS's argument order."""
        return self.normalize(
            outcome_space,
            to=to,
            normalize_reserved_values=normalize_reserved_values,
            reserved_value_penalty=reserved_value_penalty,
            guarantee_max=guarantee_max,
            guarantee_min=guarantee_min,
        )

    @classmethod
    def normalize_all_for(
        cls,
        ufuns: Iterable[UtilityFunction],
        to: tuple[float | None, float | None] = (0.0, 1.0),
        max_cardinality: int | None = None,
        outcome_space: OutcomeSpace | None = None,
        guarantee_max: bool = True,
        guarantee_min: bool = False,
    ) -> tuple[UtilityFunction, ...]:
        """Several utility functions on one common scale, so that their utilities
        stay comparable (NegMAS's ``normalize_all_for``; see
        :func:`palaver.preferences.normalization.normalize_all`).
        ``max_cardinality`` changes nothing."""
        from palaver.preferences.normalization import normalize_all

        return normalize_all(ufuns, to, outcome_space, guarantee_max, guarantee_min)

    def shift_by(self, offset: float, shift_reserved: bool = True) -> UtilityFunction:
        """A utility function equal to this one plus ``offset`` (the reserved value
        too, unless ``shift_reserved`` is false)."""
        from palaver.preferences.wrappers import AffineUtilityFunction  # built on this module

        d = check_real("offset", offset)
        rv = self.reserved_value + d if shift_reserved else self.reserved_value
        return AffineUtilityFunction(self, 1.0, d, rv, self.outcome_space)

    def scale_by(self, scale: float, scale_reserved: bool = True) -> UtilityFunction:
        """A utility function equal to this one times ``scale`` (> 0; the reserved
        value too, unless ``scale_reserved`` is false)."""
        from palaver.preferences.wrappers import AffineUtilityFunction, ScaledUtilityFunction

        if scale_reserved:
            return ScaledUtilityFunction(self, scale)
        s = check_real("scale", scale, positive=True)
        return AffineUtilityFunction(self, s, 0.0, self.reserved_value, self.outcome_space)

    def scale_max(
        self, to: float = 1.0, outcome_space: OutcomeSpace | None = None
    ) -> UtilityFunction:
        """This one scaled so that its highest utility is ``to`` (NegMAS's ``scale_max``).

        Needs a positive highest utility (``ValueError`` otherwise: scaling by
        a negative number would reverse the preferences); ``to`` must be > 0.
        """
        check_real("to", to, positive=True)
        high = self.max(outcome_space)
        if not high > 0:
            raise ValueError(f"scale_max needs a positive highest utility, got {high}")
        from palaver.preferences.wrappers import ScaledUtilityFunction

        return ScaledUtilityFunction(self, to / high)

    def eval_normalized(
        self,
        offer: Outcome | Mapping[str, Any] | None,
        above_reserve: bool = True,
        expected_limits: bool = True,
    ) -> float:
        """The utility of ``offer`` mapped linearly so that the lowest utility is 0
        and the highest 1 (NegMAS's ``eval_normalized``).

        ``None`` is the reserved value. With ``above_reserve`` the reserved value
        is the 0 when it is above the lowest utility; when it is above the highest
        one, no agreement beats every outcome and the result is 0.0 for any offer
        (as NegMAS documents; its code gives NaN). All outcomes equally good give
        1.0. The limits come from :meth:`minmax`, computed each call;
        ``expected_limits`` is accepted for NegMAS's signature (a utility
        function here is never probabilistic, so its limits are exact).
        """
        reserved = self._reserved_value
        u = self(offer)
        lo, hi = self.minmax()
        if above_reserve:
            if hi < reserved:
                lo = hi = -math.inf
            elif lo < reserved:
                lo = reserved
        span = hi - lo
        # NegMAS's tolerance: a range this small is treated as one utility.
        if not span >= 1e-5:
            return 1.0 if math.isfinite(hi) else 0.0
        return (u - lo) / span

    def invert(
        self, inverter: type[InverseUtilityFunction] | None = None, **kwargs: Any
    ) -> InverseUtilityFunction:
        """An initialized inverter of this ufun: outcomes of a given utility.

        NegMAS's method. ``inverter`` is the class (default
        :class:`~palaver.preferences.PresortingInverseUtilityFunction`),
        ``kwargs`` its arguments. The inverter is kept: the same request
        returns it again while the outcome space and reserved value are
        unchanged; a different request replaces it.
        """
        return inverse.invert(self, inverter, kwargs)

    def make_inverter(
        self, inverter: type[InverseUtilityFunction] | None = None, **kwargs: Any
    ) -> InverseUtilityFunction:
        """NegMAS's other name for :meth:`invert` (the same kept inverter)."""
        return self.invert(inverter, **kwargs)

    def make_pareto_sampler(
        self, opponent_ufun: Any = None, pareto_sampler: type | None = None, **kwargs: Any
    ) -> Any:
        """NegMAS's: a Pareto sampler of this and ``opponent_ufun`` (see
        :func:`palaver.preferences.pareto_samplers.make_pareto_sampler`; kept
        for the next call with the same type and opponent)."""
        from palaver.preferences.pareto_samplers import make_pareto_sampler

        return make_pareto_sampler(self, opponent_ufun, pareto_sampler, **kwargs)

    def forget_pareto_sampler(self) -> None:
        """Drop the sampler :meth:`make_pareto_sampler` kept."""
        self.__dict__.pop("_kept_pareto_sampler", None)


# __init_subclass__ wraps the subclasses' minmax; the base class's own needs this call.
accept_minmax_keywords(UtilityFunction)
# The base class's own evaluating and deriving methods honour constraints too.
constrain_subclass(UtilityFunction, call=False)
