"""NegMAS's outcome ranges and the utility function built on them.

NegMAS's ``HyperRectangleUtilityFunction(outcome_ranges, utilities, ...)``
adds, for each range holding an outcome, its utility (a number, a callable
of the outcome, or a mapping from outcomes) times its weight. Palaver's
:class:`~palaver.preferences.HyperRectangleUtilityFunction` takes boxes
instead (the Genius nonlinear profiles); given NegMAS's arguments it builds
a :class:`RangeUtilityFunction`, which follows NegMAS's rules as its code
applies them (see :func:`outcome_in_range`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias

from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.outcomes.plain import issues_from_plain, issues_to_plain
from palaver.preferences.base import UtilityFunction
from palaver.preferences.value_functions import dict_of

#: A range: issue (position, or name) -> a value, a ``(low, high)`` tuple, or a
#: list of them (any may match).
OutcomeRange: TypeAlias = Mapping[Any, Any]

#: A range's utility: a number, a callable of the outcome, or a mapping from outcomes.
RangeUtility: TypeAlias = float | Callable[[Outcome], float] | Mapping[Outcome, float]


def _single(value: object) -> bool:
    return isinstance(value, str | numbers.Number)


def _coerced(value: Any) -> Any:
    # As NegMAS reads a range: a two-number list is a (low, high) range (a
    # tuple that went through JSON or YAML), other lists are lists of choices.
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in value
        ):
            return (value[0], value[1])
        return [_coerced(x) for x in value]
    return value


def _plain(value: Any) -> Any:
    """A range's value as plain data: tuples become lists."""
    if isinstance(value, list | tuple):
        return [_plain(x) for x in value]
    return value


def range_holds(value: Any, allowed: Any) -> bool:
    """Whether a range's entry for an issue (``allowed``) holds ``value`` (see
    :func:`outcome_in_range`)."""
    if allowed is None:  # NegMAS's code refuses every value here (its docs say any)
        return False
    if _single(allowed):
        return bool(value == allowed)
    if isinstance(allowed, tuple):  # both ends excluded, as in NegMAS
        return bool(allowed[0] < value < allowed[1])
    if isinstance(allowed, list):
        for choice in allowed:
            if _single(choice) and value == choice:
                return True
            if isinstance(choice, list) and value in choice:
                return True
            if isinstance(choice, tuple) and choice[0] < value < choice[1]:
                return True
        return False
    return True  # NegMAS sets no condition for other objects


def outcome_in_range(
    outcome: Outcome | Mapping[str, Any],
    outcome_range: OutcomeRange,
    *,
    strict: bool = False,
    fail_incomplete: bool = False,
) -> bool:
    """Whether ``outcome`` lies in ``outcome_range``, by NegMAS's rules.

    The outcome (a tuple, keyed by position, or a dict) is checked issue by
    issue against the range's entry for it: a value must equal it, a
    ``(low, high)`` tuple holds the values strictly between its ends, a list
    holds what any of its items holds, and ``None`` holds nothing (NegMAS's code; its docs say
    everything). An issue the range does not name is unconstrained, unless
    ``strict``; with ``fail_incomplete``, a range naming an issue the outcome
    lacks holds nothing.
    """
    if not isinstance(outcome, Mapping | tuple | list):
        raise TypeError(
            f"outcome must be an outcome tuple or a dict of issue name to value, got "
            f"{outcome!r:.80} ({type(outcome).__name__})"
        )
    if not isinstance(outcome_range, Mapping):
        raise TypeError(
            f"outcome_range must be a dict of issue (name or position) to what it holds, "
            f"got {outcome_range!r:.80} ({type(outcome_range).__name__})"
        )
    items = outcome.items() if isinstance(outcome, Mapping) else enumerate(outcome)
    pairs = list(items)
    if fail_incomplete and set(outcome_range) - {k for k, _ in pairs}:
        return False
    for key, value in pairs:
        if key not in outcome_range:
            if strict:
                return False
            continue
        if not range_holds(value, outcome_range[key]):
            return False
    return True


class RangeUtilityFunction(UtilityFunction):
    """NegMAS's ``HyperRectangleUtilityFunction``: ``bias`` plus, for each range
    holding the outcome, ``weight * utility``.

    ``utilities[k]`` is a number, a callable of the outcome tuple, or a
    mapping from outcome tuples. A range of ``None`` holds every outcome. A
    range naming an issue the outcome does not have makes the utility NaN,
    unless ``ignore_issues_not_in_input`` (then the range is skipped); a
    mapping without the outcome (``KeyError``) makes it NaN, unless
    ``ignore_failing_range_utilities``. Ranges may name issues by position
    or, once the outcome space is known, by name.
    """

    #: Keeps its range and extremes (see :mod:`palaver.preferences.kept_extremes`).
    keeps_results = True

    def __init__(
        self,
        outcome_ranges: Iterable[OutcomeRange | None],
        utilities: Sequence[RangeUtility],
        weights: Sequence[float] | None = None,
        ignore_issues_not_in_input: bool = False,
        ignore_failing_range_utilities: bool = False,
        bias: float = 0.0,
        reserved_value: float = -math.inf,
        outcome_space: OutcomeSpace | Iterable[Issue] | None = None,
    ) -> None:
        if isinstance(outcome_ranges, str | bytes | Mapping) or not isinstance(
            outcome_ranges, Iterable
        ):
            raise TypeError(
                f"outcome_ranges must be a list of dicts or None, got {outcome_ranges!r}"
            )
        ranges = list(outcome_ranges)
        for i, given in enumerate(ranges):
            if given is not None and not isinstance(given, Mapping):
                raise TypeError(f"outcome_ranges[{i}] must be a dict or None, got {given!r}")
        self.outcome_ranges: list[dict[Any, Any] | None] = [
            None if r is None else {k: _coerced(v) for k, v in r.items()} for r in ranges
        ]
        self.mappings = list(utilities)
        for i, mapping in enumerate(self.mappings):
            if isinstance(mapping, bool) or not (
                isinstance(mapping, numbers.Real | Mapping) or callable(mapping)
            ):
                raise TypeError(
                    f"utilities[{i}] must be a number, a callable of the outcome or a "
                    f"mapping from outcomes, got {mapping!r}"
                )
        if len(self.mappings) != len(ranges):
            raise ValueError(
                f"utilities has {len(self.mappings)} items, outcome_ranges {len(ranges)}: "
                "give one utility per range"
            )
        self.weights = [1.0] * len(ranges) if not weights else [float(w) for w in weights]
        if len(self.weights) != len(ranges):
            raise ValueError(f"weights has {len(self.weights)} items, outcome_ranges {len(ranges)}")
        self.ignore_issues_not_in_input = bool(ignore_issues_not_in_input)
        self.ignore_failing_range_utilities = bool(ignore_failing_range_utilities)
        self.bias = float(bias)
        self._keyed: list[dict[Any, Any] | None] = self.outcome_ranges
        super().__init__(reserved_value, outcome_space)

    def _on_outcome_space(self, outcome_space: OutcomeSpace | None) -> None:
        # The ranges keyed by position: names become positions where the
        # space says which; others stay (and make the utility NaN).
        names = () if outcome_space is None else outcome_space.issue_names
        positions = {name: k for k, name in enumerate(names)}
        self._keyed = [
            None if r is None else {positions.get(k, k): v for k, v in r.items()}
            for r in self.outcome_ranges
        ]

    def minmax(self, outcome_space: OutcomeSpace | None = None) -> tuple[float, float]:
        """The lowest and highest utility, found without enumerating the space when
        every utility is a number (see :mod:`palaver.preferences.range_extremes`)."""
        space = self.space_for(outcome_space)
        found = self._range_extreme_outcomes(space)
        if found is None:
            return super().minmax(space)
        return self.eval(found[0]), self.eval(found[1])

    def _range_extremes(self) -> tuple[float, float]:
        """NegMAS's name: the exact range over the own outcome space."""
        return self.minmax()

    def _range_extreme_outcomes(self, space: OutcomeSpace) -> tuple[Outcome, Outcome] | None:
        # Lazy: range_extremes builds on this module.
        from palaver.preferences.range_extremes import range_extreme_outcomes

        return range_extreme_outcomes(self, space)

    def to_dict(self) -> dict[str, Any]:
        """The function as plain data (:func:`palaver.serialization.dump`): each range
        as ``[key, value]`` pairs (keys stay numbers through JSON), a ``(low,
        high)`` range as a two-number list (read back as a range, as NegMAS
        reads one). Only number utilities are plain data (``TypeError`` for a
        callable or a mapping)."""
        utilities: list[float] = []
        for i, u in enumerate(self.mappings):
            if not isinstance(u, numbers.Real):
                raise TypeError(f"utilities[{i}] ({u!r:.80}) is not a number: not plain data")
            utilities.append(float(u))
        space = self.outcome_space
        return {
            "type": "RangeUtilityFunction",
            "outcome_ranges": [
                None if r is None else [[k, _plain(v)] for k, v in r.items()]
                for r in self.outcome_ranges
            ],
            "utilities": utilities,
            "weights": list(self.weights),
            "ignore_issues_not_in_input": self.ignore_issues_not_in_input,
            "ignore_failing_range_utilities": self.ignore_failing_range_utilities,
            "bias": self.bias,
            "reserved_value": self.reserved_value,
            "issues": None if space is None else issues_to_plain(space.issues),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RangeUtilityFunction:
        """The function a :meth:`to_dict` dict describes (ranges as dicts work too)."""
        data = dict_of(cls.__name__, d, ("outcome_ranges", "utilities"))
        issues = data.pop("issues", None)
        ranges = [
            None if r is None else dict(r.items() if isinstance(r, Mapping) else map(tuple, r))
            for r in data.pop("outcome_ranges")
        ]
        space = None if issues is None else issues_from_plain(issues)
        return cls(ranges, data.pop("utilities"), outcome_space=space, **data)

    def __call__(self, outcome: Outcome | Mapping[str, Any] | None) -> float:
        """The utility of ``outcome``; without an outcome space a dict is read by its
        keys, as the ranges name them (NegMAS's ``{0: 1.5, 2: 2.5}``: issues 0 and 2)."""
        if isinstance(outcome, Mapping) and self.outcome_space is None:
            return self._evaluate(outcome, self.outcome_ranges, outcome.__contains__)
        return super().__call__(outcome)

    def eval(self, outcome: Outcome) -> float:
        """The utility of an outcome tuple (NaN as described in the class doc)."""
        width = len(outcome)
        return self._evaluate(outcome, self._keyed, lambda k: isinstance(k, int) and 0 <= k < width)

    def _evaluate(
        self,
        outcome: Outcome | Mapping[Any, Any],
        ranges: list[dict[Any, Any] | None],
        has: Callable[[Any], bool],
    ) -> float:
        """The utility of ``outcome``, whose issues ``has`` tells (keys of ``ranges``)."""
        u = self.bias
        for weight, keyed, mapping in zip(self.weights, ranges, self.mappings, strict=True):
            if keyed is not None:
                if not all(has(k) for k in keyed):
                    if self.ignore_issues_not_in_input:
                        continue
                    return math.nan
                if not outcome_in_range(outcome, keyed):
                    continue
            if isinstance(mapping, numbers.Real):
                u += weight * float(mapping)
                continue
            try:
                if callable(mapping):
                    value = mapping(outcome)  # type: ignore[arg-type]  # NegMAS's: a dict too
                elif isinstance(outcome, Mapping):  # a dict is no key of a table of tuples
                    raise KeyError(outcome)
                else:
                    value = mapping[outcome]  # type: ignore[index]
            except KeyError:
                if self.ignore_failing_range_utilities:
                    continue
                return math.nan
            u += weight * float(value)
        return u


def is_negmas_form(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> bool:
    """Whether a ``HyperRectangleUtilityFunction(...)`` call uses NegMAS's
    arguments (``outcome_ranges`` with ``utilities``) rather than Palaver's boxes."""
    if "outcome_ranges" in kwargs or "utilities" in kwargs:
        return True
    if len(args) < 2 or not isinstance(args[0], list | tuple) or not args[0]:
        return False
    return all(r is None or isinstance(r, Mapping) for r in args[0])
