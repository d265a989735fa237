"""NegMAS's constraints on outcome spaces: predicates an outcome must satisfy.

An outcome space given ``constraints=[...]`` (callables taking an outcome
tuple and returning a truth value), or given them later with
``add_constraint``, holds only the outcomes every constraint allows:
``enumerate``, ``sample``, ``random_outcome`` and ``in`` leave the others
out. ``cardinality`` and ``len`` still count every combination of issue
values (NegMAS's rule for spaces over issues: counting the allowed ones
means enumerating them; ``len(space.enumerate())`` does).

Two spaces over the same issues are equal only when they have the same
constraints (NegMAS ignores them), so that tables shared between
negotiations never mix a constrained space with an unconstrained one; the
hash is the issues' alone. Set a space's constraints before using it in a
negotiation: a table already built for it is not rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

__all__ = ["Constraint", "SpaceConstraints", "cache_key", "checked_space_constraints"]

#: A predicate on outcome tuples: false rules the outcome out.
Constraint: TypeAlias = Callable[[tuple[Any, ...]], Any]

#: Draws made to find an allowed outcome before giving up.
MAX_ATTEMPTS = 1000


def checked_space_constraints(constraints: object) -> list[Constraint]:
    """``constraints`` (an iterable of callables, or ``None``) as a new list; a
    ``TypeError`` naming the first item that is not callable."""
    if constraints is None:
        return []
    if isinstance(constraints, str | bytes) or not isinstance(constraints, Iterable):
        raise TypeError(
            "constraints must be an iterable of callables (outcome -> bool) or None, "
            f"got {constraints!r:.80} ({type(constraints).__name__})"
        )
    items = list(constraints)
    for i, c in enumerate(items):
        if not callable(c):
            raise TypeError(
                f"constraints[{i}] must be a callable taking an outcome and returning a "
                f"truth value, got {c!r:.80} ({type(c).__name__})"
            )
    return items


def cache_key(space: Any) -> tuple[Any, ...]:
    """What a cache of things made from an outcome space (its outcome table, a
    negotiator's grid or ranking) is keyed by: the space and the constraints it
    has at the moment. Constraints change in place (``add_constraint``, or the
    :attr:`~SpaceConstraints.constraints` list itself), so a key of the space
    alone would find what was made before a change: a table holding outcomes
    the space no longer has."""
    return (space, *getattr(space, "_constraints", ()))


class SpaceConstraints:
    """The constraint methods of :class:`~palaver.outcomes.OutcomeSpace` (see the module)."""

    __slots__ = ()
    _constraints: list[Constraint]

    @property
    def constraints(self) -> list[Constraint]:
        """The constraints, in the order given (NegMAS's list itself)."""
        return self._constraints

    def add_constraint(self, constraint: Constraint) -> None:
        """Rule out the outcomes for which ``constraint(outcome)`` is false."""
        self._constraints.extend(checked_space_constraints([constraint]))

    def remove_constraint(self, constraint: Constraint) -> None:
        """Drop ``constraint`` (its first occurrence); nothing when it is not there."""
        if constraint in self._constraints:
            self._constraints.remove(constraint)

    def clear_constraints(self) -> None:
        """Drop every constraint."""
        self._constraints.clear()

    def satisfies_constraints(self, outcome: tuple[Any, ...]) -> bool:
        """True when every constraint allows ``outcome`` (always, without constraints)."""
        return all(c(outcome) for c in self._constraints)

    def allowed(self, outcomes: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The outcomes of ``outcomes`` every constraint allows, in order."""
        return [o for o in outcomes if self.satisfies_constraints(o)]

    def draw_allowed(
        self, draw: Callable[[int], list[tuple[Any, ...]]], n: int
    ) -> list[tuple[Any, ...]]:
        """``n`` allowed outcomes from repeated ``draw(k)`` calls; a ``ValueError``
        (NegMAS's message) when :data:`MAX_ATTEMPTS` outcomes drawn in a row are
        all ruled out."""
        out: list[tuple[Any, ...]] = []
        failures = 0
        while len(out) < n:
            batch = draw(n - len(out))
            kept = self.allowed(batch)
            failures = 0 if kept else failures + len(batch)
            if failures >= MAX_ATTEMPTS:
                raise ValueError(
                    "Could not generate a random outcome satisfying all constraints after "
                    f"{failures} attempts (the constraints of this space allow few or no outcomes)"
                )
            out.extend(kept)
        return out
