"""The exact range of a range utility function without enumerating its outcome space.

With number utilities, the utility of an outcome of a
:class:`~palaver.preferences.outcome_ranges.RangeUtilityFunction` depends only
on which ranges hold it. Per issue, the values fall into classes that the same
ranges hold; an outcome is then a choice of one class per issue, and a
branch-and-bound search over those choices finds the best and the worst
(a range still possibly holding the outcome counts with its utility's sign
towards the bound). The answer is the utility, computed by the function
itself, of a representative outcome of the winning choice; choices within a
rounding tolerance of the best are all evaluated, so the result is exactly
what enumerating every outcome would give.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from palaver.outcomes import Outcome, OutcomeSpace
from palaver.preferences.outcome_ranges import RangeUtilityFunction, range_holds

__all__ = ["range_extreme_outcomes"]

#: Past this many near-best choices the search gives up (the caller enumerates).
_MAX_TIES = 1000
#: The search recurses once per issue (Python's stack is limited).
_MAX_ISSUES = 300


class _Search:
    """One search over the classes of the issues' values (see the module).

    ``settled[d]`` holds the ranges whose issues are all among the first ``d``
    of ``classes``: past that depth, whether they hold the outcome is known.
    """

    def __init__(
        self, contributions: list[float], classes: list[list[tuple[int, Any]]], settled: list[int]
    ) -> None:
        self.contributions = contributions
        self.classes = classes
        self.settled = settled
        self.tol = 1e-9 * (1.0 + sum(abs(c) for c in contributions))

    def _total(self, mask: int, sign: float) -> float:
        total, k = 0.0, 0
        while mask:
            if mask & 1:
                total += sign * self.contributions[k]
            mask >>= 1
            k += 1
        return total

    def _gain(self, depth: int, dead: int, sign: float) -> float:
        """What the ranges settled by choosing at ``depth`` add, given ``dead``."""
        newly = self.settled[depth + 1] & ~self.settled[depth]
        return self._total(newly & ~dead, sign)

    def best_choices(self, sign: float) -> list[tuple[Any, ...]] | None:
        """One choice (a value per issue) for each set of holding ranges whose
        ``sign * utility`` is within the tolerance of the highest; ``None`` when
        too many sets tie."""
        n, settled = len(self.classes), self.settled
        # The best a depth can still add depends only on which unsettled ranges
        # are ruled out: a dynamic programme over those, then a walk down the
        # choices within the tolerance of the best (states met again skipped).
        memo: dict[tuple[int, int], float] = {}

        def rest(depth: int, open_dead: int) -> float:
            if depth == n:
                return 0.0
            key = (depth, open_dead)
            found = memo.get(key)
            if found is None:
                found = -math.inf
                for fails, _ in self.classes[depth]:
                    dead = open_dead | fails
                    value = self._gain(depth, dead, sign) + rest(
                        depth + 1, dead & ~settled[depth + 1]
                    )
                    found = max(found, value)
                memo[key] = found
            return found

        start = self._total(settled[0], sign)
        best = start + rest(0, 0)
        near: dict[int, tuple[Any, ...]] = {}
        seen: set[tuple[int, int]] = set()
        chosen: list[Any] = []
        everything = (1 << len(self.contributions)) - 1

        def walk(depth: int, dead: int, gained: float) -> bool:
            if (depth, dead) in seen:
                return True
            seen.add((depth, dead))
            if gained + rest(depth, dead & ~settled[depth]) < best - self.tol:
                return True
            if depth == n:
                near.setdefault(everything & ~dead, tuple(chosen))
                return len(near) <= _MAX_TIES
            for fails, value in self.classes[depth]:
                chosen.append(value)
                going = walk(
                    depth + 1, dead | fails, gained + self._gain(depth, dead | fails, sign)
                )
                chosen.pop()
                if not going:
                    return False
            return True

        if not walk(0, 0, start):
            return None
        return list(near.values())


def _order(boxes: list[dict[int, Any]], n_issues: int) -> list[int]:
    """The issues in an order that settles ranges soon (few open at any depth,
    so the dynamic programme has few states): next, the issue that leaves the
    fewest ranges open, the lower position among equals."""
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < n_issues:

        def still_open(p: int) -> int:
            done = placed | {p}
            return sum(1 for b in boxes if set(b) & done and not set(b) <= done)

        pick = min((p for p in range(n_issues) if p not in placed), key=still_open)
        order.append(pick)
        placed.add(pick)
    return order


def range_extreme_outcomes(
    ufun: RangeUtilityFunction, space: OutcomeSpace
) -> tuple[Outcome, Outcome] | None:
    """A worst and a best outcome of ``ufun`` over ``space`` found without
    enumerating it, or ``None`` when the search does not apply (a continuous
    issue, a utility that is not a number, a range naming an issue the space
    lacks, too many near-ties): the caller then enumerates."""
    issues = space.issues
    if len(issues) > _MAX_ISSUES:
        return None
    # The ranges are keyed for the ufun's own space, which its eval reads.
    if space is not ufun.outcome_space or not all(issue.is_discrete() for issue in issues):
        return None
    names = {name: k for k, name in enumerate(space.issue_names)}
    boxes: list[dict[int, Any]] = []
    contributions: list[float] = []
    for keyed, weight, utility in zip(
        ufun.outcome_ranges, ufun.weights, ufun.mappings, strict=True
    ):
        if not isinstance(utility, numbers.Real):
            return None
        if keyed is None:  # holds every outcome: the same for all, no choice to make
            continue
        box: dict[int, Any] = {}
        for key, allowed in keyed.items():
            position = names.get(key, key)
            if not (isinstance(position, int) and 0 <= position < len(issues)):
                if ufun.ignore_issues_not_in_input:
                    box = {}
                    break
                return None
            box[position] = allowed
        else:
            boxes.append(box)
            contributions.append(weight * float(utility))
    per_issue: list[list[tuple[int, Any]]] = []
    for position, issue in enumerate(issues):
        classes: dict[int, Any] = {}
        for value in issue.all:
            fails = 0
            for k, box in enumerate(boxes):
                if position in box and not range_holds(value, box[position]):
                    fails |= 1 << k
            classes.setdefault(fails, value)
        per_issue.append([(fails, value) for fails, value in classes.items()])
    order = _order(boxes, len(issues))
    settled = []
    seen: set[int] = set()
    for depth in range(len(order) + 1):
        mask = 0
        for k, box in enumerate(boxes):
            if set(box) <= seen:
                mask |= 1 << k
        settled.append(mask)
        if depth < len(order):
            seen.add(order[depth])
    search = _Search(contributions, [per_issue[p] for p in order], settled)
    extremes: list[Outcome] = []
    for sign in (-1.0, 1.0):
        choices = search.best_choices(sign)
        if not choices:
            return None
        outcomes = []
        for choice in choices:
            values: list[Any] = [None] * len(issues)
            for p, value in zip(order, choice, strict=True):
                values[p] = value
            outcomes.append(tuple(values))
        utils = [ufun.eval(o) for o in outcomes]
        if any(math.isnan(u) for u in utils):
            return None
        pick = max if sign > 0 else min
        extremes.append(outcomes[utils.index(pick(utils))])
    return extremes[0], extremes[1]
