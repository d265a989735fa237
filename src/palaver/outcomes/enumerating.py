"""NegMAS's ``EnumeratingOutcomeSpace``: an outcome space that is a list of outcomes.

Not every combination of issue values is an outcome here: only the listed
ones (``baseset``), less those marked invalid and those failing a
constraint. ``os_union``, ``os_intersection`` and ``os_difference`` (and
``|``, ``&``, ``-`` between spaces) make one from two discrete spaces.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from palaver._util.checks import check_bool, check_enumerable, check_int
from palaver.outcomes.base import Issue
from palaver.outcomes.errors import OutcomeSpaceError
from palaver.outcomes.helpers import issues_from_outcomes
from palaver.outcomes.space import Outcome, OutcomeSpace

__all__ = [
    "Constraint",
    "EnumeratingOutcomeSpace",
    "os_difference",
    "os_intersection",
    "os_union",
]

#: A constraint on outcomes: ``True`` for an outcome that may be agreed on.
Constraint = Callable[[Outcome], bool]


def _outcome_list(name: str, given: object) -> list[Outcome]:
    if given is None:
        return []
    if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
        raise TypeError(f"{name} must be a collection of outcome tuples, got {given!r:.80}")
    out: list[Outcome] = []
    for o in given:
        if not isinstance(o, tuple | list):
            raise TypeError(f"{name}: every outcome must be a tuple, got {o!r:.80}")
        out.append(tuple(o))
    return out


class EnumeratingOutcomeSpace(OutcomeSpace):
    """The outcomes listed in ``baseset``, less ``invalid`` ones and those failing a constraint.

    NegMAS's class, with its keywords. Its :attr:`issues` cover the listed
    outcomes (see :func:`~palaver.outcomes.issues_from_outcomes`), so that
    utility functions and mechanisms can read outcomes by issue; only the
    listed outcomes are in the space, whatever other combinations the issues
    allow. :meth:`enumerate` gives them in the order listed (NegMAS's is a
    set's order). ``invalidate`` / ``validate`` and the constraint methods
    change which outcomes are valid, in place; two spaces are equal when they
    list the same valid and invalid outcomes and have the same constraints.
    """

    __slots__ = ("_listed", "_valid", "invalid", "path")

    def __init__(
        self,
        invalid: Iterable[Outcome] | None = None,
        baseset: Iterable[Outcome] | None = None,
        name: str | None = None,
        path: str | Path | None = None,
        constraints: Iterable[Constraint] | None = None,
    ) -> None:
        listed = _outcome_list("baseset", baseset)
        self._listed: dict[Outcome, None] = dict.fromkeys(listed)
        widths = {len(o) for o in self._listed}
        if len(widths) > 1:
            raise OutcomeSpaceError(
                f"baseset: every outcome must have the same number of values, got {sorted(widths)}"
            )
        issues: tuple[Issue, ...] = ()
        if listed and widths != {0}:
            issues = issues_from_outcomes(listed)
        super().__init__(issues, name)
        # Finite whatever the issues (a number position is a continuous one).
        self._cardinality = len(self._listed)
        #: The outcomes marked invalid (``invalidate``); NegMAS's attribute.
        self.invalid: set[Outcome] = set(_outcome_list("invalid", invalid))
        #: Where the space was read from, if anywhere (NegMAS's ``path``).
        self.path = path
        found = [] if constraints is None else list(constraints)
        for c in found:
            if not callable(c):
                raise TypeError(f"constraints: every constraint must be callable, got {c!r:.80}")
        self._constraints: list[Constraint] = found
        self._valid: dict[Outcome, None] = {}
        self.update()

    def update(self) -> None:
        """Recompute the valid outcomes (the listed ones that are not invalid)."""
        self._valid = {o: None for o in self._listed if o not in self.invalid}
        self._hash = None

    @property
    def constraints(self) -> list[Constraint]:
        """The constraints every outcome must satisfy (a list: NegMAS code appends to it)."""
        return self._constraints

    def invalidate(self, outcome: Outcome) -> None:
        """Mark ``outcome`` invalid: it leaves the space."""
        self.invalid.add(tuple(outcome))
        self.update()

    def validate(self, outcome: Outcome) -> None:
        """Undo :meth:`invalidate`: a listed outcome is in the space again.

        (NegMAS's leaves it out: its valid set is recomputed from itself.)
        """
        self.invalid.discard(tuple(outcome))
        self.update()

    def add_constraint(self, constraint: Constraint) -> None:
        """Add a constraint: outcomes failing it leave the space."""
        if not callable(constraint):
            raise TypeError(f"constraint must be callable, got {constraint!r:.80}")
        self._constraints.append(constraint)
        self._hash = None

    def remove_constraint(self, constraint: Constraint) -> None:
        """Remove a constraint (one not there is ignored, as in NegMAS)."""
        if constraint in self._constraints:
            self._constraints.remove(constraint)
            self._hash = None

    def clear_constraints(self) -> None:
        """Remove every constraint."""
        self._constraints.clear()
        self._hash = None

    def satisfies_constraints(self, outcome: Outcome) -> bool:
        """Whether ``outcome`` satisfies every constraint."""
        return all(c(outcome) for c in self._constraints)

    @property
    def cardinality(self) -> int:
        """The number of outcomes in the space."""
        if not self._constraints:
            return len(self._valid)
        return sum(1 for o in self._valid if self.satisfies_constraints(o))

    def __len__(self) -> int:
        return self.cardinality

    def __iter__(self) -> Iterator[Outcome]:
        return iter(self.enumerate())

    def __contains__(self, outcome: object) -> bool:
        if isinstance(outcome, OutcomeSpace):
            return bool(outcome.is_discrete) and all(o in self for o in outcome.enumerate())
        if isinstance(outcome, Mapping):
            try:
                outcome = self.to_tuple(outcome)
            except OutcomeSpaceError:
                return False
        if not isinstance(outcome, tuple | list):
            return False  # an issue is never in it (NegMAS's rule)
        o = tuple(outcome)
        return o in self._valid and self.satisfies_constraints(o)

    def canonical(self, outcome: object) -> Outcome | None:
        """The listed outcome equal to ``outcome`` (``(1.0,)`` gives ``(1,)``), or ``None``."""
        if outcome not in self:
            return None
        o = self.to_tuple(outcome)  # type: ignore[arg-type]
        return next(k for k in self._valid if k == o)

    def enumerate(self) -> list[Outcome]:
        """The outcomes, in the order listed."""
        if not self._constraints:
            return list(self._valid)
        return [o for o in self._valid if self.satisfies_constraints(o)]

    def sample(
        self,
        rng: np.random.Generator | int,
        n: int | None = None,
        with_replacement: bool = False,
        fail_if_not_enough: bool = False,
    ) -> list[Outcome]:
        """``n`` outcomes drawn uniformly, distinct unless ``with_replacement``.

        ``sample(rng, n)`` draws with a numpy generator; NegMAS's
        ``sample(n_outcomes, with_replacement=False, fail_if_not_enough=False)``
        (an int first) draws from Python's global ``random``. Asked for more
        distinct outcomes than there are, it gives all of them (NegMAS gives
        none), or raises ``OutcomeSpaceError`` with ``fail_if_not_enough``.
        """
        return sample_listed(self.enumerate(), rng, n, with_replacement, fail_if_not_enough)

    def random_outcomes(
        self, n: int = 1, seed: int | np.random.Generator | None = None
    ) -> list[Outcome]:
        """``n`` outcomes drawn uniformly with replacement from a generator made from ``seed``."""
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        return self.sample(rng, n, with_replacement=True)

    def enumerate_or_sample(
        self,
        levels: int = 10,
        max_cardinality: int | float = 10_000,
        seed: int | np.random.Generator | None = None,
    ) -> list[Outcome]:
        """Every outcome, or ``max_cardinality`` distinct ones drawn from ``seed``
        (in the listed order) when there are more."""
        outcomes = self.enumerate()
        if len(outcomes) <= max_cardinality:
            return outcomes
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        chosen = rng.choice(len(outcomes), int(max_cardinality), replace=False)
        return [outcomes[i] for i in sorted(chosen.tolist())]

    def discretize(self, levels: int | Mapping[str, int]) -> EnumeratingOutcomeSpace:
        """This space: it is already discrete."""
        return self

    def to_discrete(
        self,
        levels: int = 10,
        max_cardinality: int | float = float("inf"),
        method: Any = "grid",
        **kwargs: Any,
    ) -> OutcomeSpace:
        """This space: it is already discrete (NegMAS's rule), unless a ``method``
        (a discretizer) re-selects from it."""
        if not (isinstance(method, str) and method == "grid"):
            return super().to_discrete(levels, max_cardinality, method, **kwargs)
        return self

    def to_largest_discrete(
        self, levels: int, max_cardinality: int | float = float("inf")
    ) -> EnumeratingOutcomeSpace:
        """This space: it is already discrete (NegMAS's rule)."""
        return self

    def cardinality_if_discretized(
        self, levels: int, max_cardinality: int | float = float("inf")
    ) -> int:
        """The number of outcomes (it is already discrete)."""
        return self.cardinality

    def contains_os(self, other: OutcomeSpace) -> bool:
        """Whether every outcome of the discrete space ``other`` is in this one."""
        if not isinstance(other, OutcomeSpace):
            raise TypeError(f"other must be an OutcomeSpace, got {other!r:.80}")
        return other in self

    def are_types_ok(self, outcome: Outcome) -> bool:
        """Always True: the outcomes carry their own types (NegMAS's rule)."""
        return True

    def ensure_correct_types(self, outcome: Outcome) -> Outcome:
        """``outcome`` as it is (NegMAS's rule)."""
        return outcome

    def _key(self) -> tuple[frozenset[Outcome], frozenset[Outcome]]:
        return frozenset(self._valid), frozenset(self.invalid)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, EnumeratingOutcomeSpace):
            return False
        return self._key() == other._key() and self._constraints == other._constraints

    def __hash__(self) -> int:
        # Reset when the valid outcomes change: a changed space is another key
        # for the per-space caches (see palaver.mechanisms.table).
        h = self._hash
        if h is None:
            h = self._hash = hash((self._key(), len(self._constraints)))
        return h

    def __reduce__(self) -> Any:
        return (
            _rebuild,
            (list(self._listed), sorted(self.invalid, key=repr), self.name, self.path),
            {"constraints": list(self._constraints)},
        )

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self._constraints = list(state["constraints"])

    def __repr__(self) -> str:
        return f"EnumeratingOutcomeSpace({self.enumerate()!r:.200}, name={self.name!r})"


def _rebuild(
    listed: list[Outcome], invalid: list[Outcome], name: str | None, path: str | Path | None
) -> EnumeratingOutcomeSpace:
    return EnumeratingOutcomeSpace(invalid, listed, name, path)


def _outcome_set(space: OutcomeSpace, which: str) -> list[Outcome]:
    if not isinstance(space, OutcomeSpace):
        raise TypeError(f"{which} must be an OutcomeSpace, got {space!r:.80}")
    if not space.is_discrete:
        raise OutcomeSpaceError(
            f"{which} is not discrete (a continuous issue): discretize it first"
        )
    check_enumerable(which, space.cardinality, error=OutcomeSpaceError)
    return space.enumerate()


def os_union(
    os1: OutcomeSpace, os2: OutcomeSpace, name: str | None = None
) -> EnumeratingOutcomeSpace:
    """The outcomes of either discrete space (NegMAS's ``os_union``): ``os1``'s, then
    ``os2``'s not already there. Outcomes must have the same number of values."""
    first = _outcome_set(os1, "os1")
    return EnumeratingOutcomeSpace(baseset=[*first, *_outcome_set(os2, "os2")], name=name)


def os_intersection(
    os1: OutcomeSpace, os2: OutcomeSpace, name: str | None = None
) -> EnumeratingOutcomeSpace:
    """The outcomes of ``os1`` that are also in ``os2`` (NegMAS's ``os_intersection``)."""
    second = set(_outcome_set(os2, "os2"))
    return EnumeratingOutcomeSpace(
        baseset=[o for o in _outcome_set(os1, "os1") if o in second], name=name
    )


def os_difference(
    os1: OutcomeSpace, os2: OutcomeSpace, name: str | None = None
) -> EnumeratingOutcomeSpace:
    """The outcomes of ``os1`` that are not in ``os2`` (NegMAS's ``os_difference``)."""
    second = set(_outcome_set(os2, "os2"))
    return EnumeratingOutcomeSpace(
        baseset=[o for o in _outcome_set(os1, "os1") if o not in second], name=name
    )


def sample_listed(
    outcomes: list[Outcome],
    rng: np.random.Generator | int,
    n: int | None,
    with_replacement: bool,
    fail_if_not_enough: bool,
) -> list[Outcome]:
    """``n`` of the listed ``outcomes`` drawn uniformly (a space's ``sample``):
    with a numpy generator ``rng``, or in NegMAS's form (``rng`` the count,
    ``n`` ``None``) from Python's global ``random``; more distinct outcomes
    than listed give them all, or ``OutcomeSpaceError`` with
    ``fail_if_not_enough``."""
    negmas_form = n is None and not isinstance(rng, np.random.Generator)
    count = check_int("n_outcomes" if negmas_form else "n", rng if negmas_form else n)
    if count < 0:
        raise OutcomeSpaceError(f"sample size must be >= 0, got {count}")
    replace = check_bool("with_replacement", with_replacement)
    fail = check_bool("fail_if_not_enough", fail_if_not_enough)
    if not replace and count > len(outcomes):
        if fail:
            raise OutcomeSpaceError(
                f"cannot draw {count} distinct outcomes from a space of {len(outcomes)}"
            )
        count = len(outcomes)
    if count and not outcomes:
        raise OutcomeSpaceError("cannot sample from an outcome space with no outcomes")
    if negmas_form:
        if replace:
            return [random.choice(outcomes) for _ in range(count)]
        return random.sample(outcomes, count)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}"
        )
    chosen = rng.choice(len(outcomes), count, replace=replace).tolist()
    return [outcomes[i] for i in chosen]
