"""NegMAS's ``SubsetCartesianOutcomeSpace``: chosen outcomes of a grid of discrete issues.

The issues stay what they are (a utility function reads outcomes by them as
usual), but only the selected outcomes are in the space: a combination of
issue values that was not selected is not an outcome. The utility-aware
discretizers (:mod:`palaver.outcomes.discretizers`) return one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from palaver.outcomes.base import Issue
from palaver.outcomes.constraints import Constraint
from palaver.outcomes.enumerating import sample_listed
from palaver.outcomes.errors import OutcomeSpaceError
from palaver.outcomes.space import Outcome, OutcomeSpace

__all__ = ["SubsetCartesianOutcomeSpace"]


class SubsetCartesianOutcomeSpace(OutcomeSpace):
    """The ``outcomes`` selected among the combinations of discrete ``issues``.

    Repeated outcomes are kept once, in the order first given (:attr:`outcomes`).
    ``cardinality``, ``len``, ``enumerate``, sampling and ``in`` see only the
    selected outcomes that satisfy the constraints; ``bool(space)`` is false
    when there are none. Every issue must be discrete and every outcome one
    of theirs (``OutcomeSpaceError`` naming the first that is not).
    """

    __slots__ = ("_selected",)

    def __init__(
        self,
        issues: Iterable[Issue],
        outcomes: Iterable[Sequence[Any]] = (),
        name: str | None = None,
        constraints: Iterable[Constraint] | None = None,
    ) -> None:
        super().__init__(issues, name, constraints)
        continuous = [i.name for i in self.issues if not i.is_discrete]
        if continuous:
            raise OutcomeSpaceError(
                f"SubsetCartesianOutcomeSpace needs discrete issues; {continuous} are "
                "continuous (discretize them first)"
            )
        selected: dict[Outcome, None] = {}
        grid = OutcomeSpace(self.issues)
        for k, outcome in enumerate(outcomes):
            o = grid.canonical(outcome)
            if o is None:
                raise OutcomeSpaceError(
                    f"outcomes[{k}] = {outcome!r:.80} is not an outcome of the issues "
                    f"{self.issue_names}"
                )
            selected.setdefault(o)
        self._selected = selected

    @classmethod
    def from_outcome_set(
        cls, outcomes: Iterable[Sequence[Any]], name: str | None = None
    ) -> SubsetCartesianOutcomeSpace:
        """The space of ``outcomes``, over the issues that cover them
        (:func:`~palaver.outcomes.issues_from_outcomes`)."""
        from palaver.outcomes.helpers import issues_from_outcomes  # built on this module

        listed = [tuple(o) for o in outcomes]
        return cls(issues_from_outcomes(listed), listed, name)

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """The selected outcomes, constraints aside, in the order given."""
        return tuple(self._selected)

    @property
    def cardinality(self) -> int:
        """The number of selected outcomes every constraint allows."""
        if not self._constraints:
            return len(self._selected)
        return len(self.enumerate())

    def __len__(self) -> int:
        return self.cardinality

    def __bool__(self) -> bool:
        return self.cardinality > 0

    def __iter__(self) -> Iterator[Outcome]:
        return iter(self.enumerate())

    def __contains__(self, outcome: object) -> bool:
        if not isinstance(outcome, tuple | list | dict):
            return super().__contains__(outcome)
        o = super().canonical(outcome)  # the issues' values and the constraints
        return o is not None and o in self._selected

    def canonical(self, outcome: object) -> Outcome | None:
        """The selected outcome equal to ``outcome``, or ``None``."""
        o = super().canonical(outcome)
        return o if o is not None and o in self._selected else None

    def enumerate(self) -> list[Outcome]:
        """The selected outcomes every constraint allows, in the order given."""
        return self.allowed(self._selected) if self._constraints else list(self._selected)

    def sample(
        self,
        rng: np.random.Generator | int,
        n: int | None = None,
        with_replacement: bool = True,
        fail_if_not_enough: bool = True,
    ) -> list[Outcome]:
        """``n`` selected outcomes drawn uniformly (see :meth:`OutcomeSpace.sample`:
        a numpy generator and ``n``, or NegMAS's form with Python's ``random``)."""
        return sample_listed(self.enumerate(), rng, n, with_replacement, fail_if_not_enough)

    def enumerate_or_sample(
        self,
        levels: int = 10,
        max_cardinality: int | float = 10_000,
        seed: int | np.random.Generator | None = None,
    ) -> list[Outcome]:
        """Every selected outcome, or ``max_cardinality`` distinct ones (in order)."""
        outcomes = self.enumerate()
        if len(outcomes) <= max_cardinality:
            return outcomes
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        chosen = rng.choice(len(outcomes), int(max_cardinality), replace=False)
        return [outcomes[i] for i in sorted(chosen.tolist())]

    def discretize(self, levels: Any) -> SubsetCartesianOutcomeSpace:
        """This space: it is discrete."""
        return self

    def to_discrete(
        self,
        levels: int = 10,
        max_cardinality: int | float = float("inf"),
        method: Any = "grid",
        **kwargs: Any,
    ) -> OutcomeSpace:
        """This space (NegMAS's rule), unless a ``method`` re-selects from it."""
        if not (isinstance(method, str) and method == "grid"):
            return super().to_discrete(levels, max_cardinality, method, **kwargs)
        return self

    def to_largest_discrete(
        self, levels: int, max_cardinality: int | float = float("inf")
    ) -> SubsetCartesianOutcomeSpace:
        """This space (NegMAS's rule)."""
        return self

    def limit_cardinality(
        self, max_cardinality: int | float = float("inf"), levels: int | float = float("inf")
    ) -> SubsetCartesianOutcomeSpace:
        """At most ``max_cardinality`` of the outcomes, evenly spaced in their
        order (this space when it has no more); ``levels`` changes nothing."""
        outcomes = self.enumerate()
        if len(outcomes) <= max_cardinality:
            return self
        from palaver.outcomes.discretizers import grid_indices

        kept = [outcomes[i] for i in grid_indices(len(outcomes), int(max_cardinality))]
        return SubsetCartesianOutcomeSpace(self.issues, kept, self.name, self._constraints)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SubsetCartesianOutcomeSpace):
            return False if isinstance(other, OutcomeSpace) else NotImplemented
        return super().__eq__(other) and self._selected.keys() == other._selected.keys()

    def __hash__(self) -> int:
        return super().__hash__()

    def __reduce__(self) -> Any:
        return (
            SubsetCartesianOutcomeSpace,
            (self.issues, tuple(self._selected), self.name, self._constraints),
        )

    def __repr__(self) -> str:
        return (
            f"SubsetCartesianOutcomeSpace({list(self.issues)!r}, "
            f"outcomes=<{len(self._selected)} outcomes>)"
        )
