"""NegMAS's Pareto samplers for additive utility functions: IPS, MOBANOS and NB3.

Each needs both utility functions additive (a
:class:`~palaver.preferences.LinearAdditiveUtilityFunction` or
:class:`~palaver.preferences.LinearUtilityFunction` without constraints:
``TypeError`` otherwise) over discrete issues (``ValueError`` for a
continuous one). An outcome's utility is then a constant plus one term per
issue value, and the frontier of the whole space is built from the issues'
terms without evaluating every outcome (Koça, de Jonge and Baarslag,
"Search algorithms for automated negotiation in large domains", 2024):

- :class:`MOBANOSParetoSampler` (De Jonge, Rovatsos and Sierra, 2019) adds the
  issues one at a time, keeping only the partial outcomes no other partial
  outcome dominates: exact (at most ``max_pareto_size`` partial outcomes are
  kept, the best by the sum of both utilities, when there are more);
- :class:`IPSParetoSampler` (iterative Pareto search) does the same, first
  merging the partial outcomes whose utilities round to the same
  ``precision`` decimals (keeping the one of highest sum): approximate, smaller;
- :class:`NB3ParetoSampler` (De Jonge and Sierra, 2017) searches the tree of
  issue assignments depth first, dropping a branch when an outcome found
  already dominates the best it could reach (each party's best remaining
  terms): exact unless it stops after ``max_nodes`` nodes.

The outcomes found are evaluated again with the utility functions
themselves and only the non-dominated ones kept.
"""

from __future__ import annotations

from typing import Any

from palaver.outcomes import Outcome
from palaver.preferences.additive import LinearAdditiveUtilityFunction
from palaver.preferences.linear import LinearUtilityFunction
from palaver.preferences.pareto_samplers import BaseParetoSampler, _space_of, frontier_of

__all__ = ["IPSParetoSampler", "MOBANOSParetoSampler", "NB3ParetoSampler", "issue_terms"]

#: Per issue, each value with its term for oneself and for the opponent.
Terms = list[list[tuple[Any, float, float]]]


def _check_additive(ufun: Any, role: str) -> None:
    if not isinstance(ufun, LinearAdditiveUtilityFunction | LinearUtilityFunction) or (
        ufun.constraints
    ):
        raise TypeError(
            f"{role} must be an additive utility function (LinearAdditiveUtilityFunction "
            f"or LinearUtilityFunction, without constraints), got {type(ufun).__name__}; "
            "BruteForceParetoSampler takes any"
        )


def issue_terms(ufun: Any, opponent: Any) -> tuple[Terms, float, float]:
    """Each issue's values with both parties' terms, and both constants: an
    outcome is worth ``constant + sum of its values' terms`` to each."""
    _check_additive(ufun, "ufun")
    _check_additive(opponent, "opponent_ufun")
    space = _space_of(ufun, opponent)
    continuous = [i.name for i in space.issues if not i.is_discrete]
    if continuous:
        raise ValueError(
            f"additive Pareto samplers need discrete issues; {continuous} are continuous "
            "(discretize the space, or use BruteForceParetoSampler)"
        )
    base = tuple(issue.all_values[0] for issue in space.issues)
    own0, opp0 = float(ufun(base)), float(opponent(base))
    terms: Terms = []
    for i, issue in enumerate(space.issues):
        outcomes = [(*base[:i], v, *base[i + 1 :]) for v in issue.all_values]
        own = ufun.eval_many(outcomes)
        opp = opponent.eval_many(outcomes)
        terms.append(
            [
                (v, float(a) - own0, float(b) - opp0)
                for v, a, b in zip(issue.all_values, own, opp, strict=True)
            ]
        )
    return terms, own0, opp0


def _undominated(
    partials: list[tuple[float, float, Outcome]], digits: int | None
) -> list[tuple[float, float, Outcome]]:
    """The partial outcomes no other dominates; with ``digits``, those whose
    utilities round to the same ``digits`` decimals first merge into the one
    with the highest sum."""
    if digits is not None:
        merged: dict[tuple[float, float], tuple[float, float, Outcome]] = {}
        for p in partials:
            key = (round(p[0], digits), round(p[1], digits))
            seen = merged.get(key)
            if seen is None or p[0] + p[1] > seen[0] + seen[1]:
                merged[key] = p
        partials = list(merged.values())
    ordered = sorted(partials, key=lambda p: (-p[0], -p[1]))
    kept: list[tuple[float, float, Outcome]] = []
    best_second = -float("inf")
    for p in ordered:
        if p[1] > best_second or (kept and (p[0], p[1]) == (kept[-1][0], kept[-1][1])):
            # undominated, or an exact tie with the last kept: equally good
            kept.append(p)
            best_second = max(best_second, p[1])
    return kept


class _IterativeSampler(BaseParetoSampler):
    """The issue-by-issue construction shared by MOBANOS and IPS."""

    digits: int | None = None
    limit: int | None = None

    def frontier(self, ufun: Any, opponent: Any) -> list[Outcome]:
        """The frontier built issue by issue (see the module)."""
        terms, _, _ = issue_terms(ufun, opponent)
        partials: list[tuple[float, float, Outcome]] = [(0.0, 0.0, ())]
        for values in terms:
            grown = [(a + x, b + y, (*o, v)) for a, b, o in partials for v, x, y in values]
            partials = _undominated(grown, self.digits)
            if self.limit is not None and len(partials) > self.limit:
                partials = sorted(partials, key=lambda p: -(p[0] + p[1]))[: self.limit]
        return frontier_of([o for _, _, o in partials], ufun, opponent)


class MOBANOSParetoSampler(_IterativeSampler):
    """The exact frontier built issue by issue (see the module)."""

    def __init__(self, max_pareto_size: int = 100_000) -> None:
        super().__init__()
        if isinstance(max_pareto_size, bool) or not isinstance(max_pareto_size, int):
            raise ValueError(f"max_pareto_size must be an int >= 1, got {max_pareto_size!r}")
        if max_pareto_size < 1:
            raise ValueError(f"max_pareto_size must be an int >= 1, got {max_pareto_size!r}")
        self.limit = max_pareto_size


class IPSParetoSampler(_IterativeSampler):
    """The frontier built issue by issue on utilities rounded to ``precision``
    decimals (see the module)."""

    def __init__(self, precision: int = 3) -> None:
        super().__init__()
        if isinstance(precision, bool) or not isinstance(precision, int) or precision < 0:
            raise ValueError(f"precision must be an int >= 0, got {precision!r}")
        self.digits = precision


class NB3ParetoSampler(BaseParetoSampler):
    """Branch and bound over the issue assignments (see the module)."""

    def __init__(self, max_nodes: int = 10_000) -> None:
        super().__init__()
        if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
            raise ValueError(f"max_nodes must be an int >= 1, got {max_nodes!r}")
        self.max_nodes = max_nodes

    def frontier(self, ufun: Any, opponent: Any) -> list[Outcome]:
        """The outcomes found before the node budget ran out, frontier only."""
        terms, _, _ = issue_terms(ufun, opponent)
        # The best either party can still add from issue k on.
        n = len(terms)
        own_rest, opp_rest = [0.0] * (n + 1), [0.0] * (n + 1)
        for k in reversed(range(n)):
            own_rest[k] = own_rest[k + 1] + max(x for _, x, _ in terms[k])
            opp_rest[k] = opp_rest[k + 1] + max(y for _, _, y in terms[k])
        found: list[tuple[float, float, Outcome]] = []
        nodes = 0
        stack: list[tuple[int, float, float, Outcome]] = [(0, 0.0, 0.0, ())]
        while stack and nodes < self.max_nodes:
            k, a, b, partial = stack.pop()
            nodes += 1
            hope = (a + own_rest[k], b + opp_rest[k])
            if any(
                fa >= hope[0] and fb >= hope[1] and (fa > hope[0] or fb > hope[1])
                for fa, fb, _ in found
            ):
                continue  # a found outcome beats the best this branch can give
            if k == n:
                found.append((a, b, partial))
                continue
            # The most promising value last: popped (explored) first.
            for v, x, y in sorted(terms[k], key=lambda t: t[1] + t[2]):
                stack.append((k + 1, a + x, b + y, (*partial, v)))
        return frontier_of([o for _, _, o in found], ufun, opponent)
