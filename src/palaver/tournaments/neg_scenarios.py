"""Streams of :class:`~palaver.world.negworld.Condition`\\ s for :func:`neg_tournament`
(NegMAS's ``scenarios_from_list`` and ``random_discrete_scenarios``), and the
conditions of a cartesian tournament over bilateral scenarios."""

from __future__ import annotations

import itertools
import random
from collections.abc import Generator, Iterable, Sequence
from typing import Any

from palaver.world.negworld import Condition, negotiator_class

__all__ = ["cartesian_conditions", "random_discrete_scenarios", "scenarios_from_list"]


def scenarios_from_list(scenarios: Sequence[Condition]) -> Generator[Condition, None, None]:
    """The conditions of ``scenarios`` over and over, in order (NegMAS's)."""
    items = list(scenarios)
    if not items:
        raise ValueError("scenarios_from_list needs at least one Condition")
    yield from itertools.cycle(items)


def random_discrete_scenarios(
    issues: Sequence[Any],
    partners: Sequence[Any],
    n_negotiators: int = 2,
    positions: int | tuple[int, int] | None = None,
    normalized: bool = True,
    ufun_type: Any = None,
    roles: tuple[str, ...] | None = None,
    partner_extraction_method: str = "round-robin",
    seed: int | None = None,
) -> Generator[Condition, None, None]:
    """An endless stream of random conditions (NegMAS's).

    ``issues`` holds issues, value counts or ``(low, high)`` ranges of counts
    (drawn for each batch); each batch draws one utility function per seat
    (``ufun_type.random``, a linear additive one by default, reserved values in
    ``[0, 0.2]``) and yields a condition for every ordering of them, every seat
    in ``positions`` (``(first, last + 1)``; default every seat) and every set of
    ``n_negotiators - 1`` partners taken from ``partners`` by
    ``partner_extraction_method`` (``round-robin``, ``permutations``,
    ``combinations`` or ``random``). ``seed`` makes the stream repeatable.
    """
    from palaver.outcomes import make_issue
    from palaver.preferences import LinearAdditiveUtilityFunction

    make = ufun_type if ufun_type is not None else LinearAdditiveUtilityFunction
    rng = random.Random(seed)
    pool = list(partners)
    if not pool:
        raise ValueError("random_discrete_scenarios needs at least one partner type")
    while len(pool) < n_negotiators - 1:
        pool += pool
    first, last = (
        (0, n_negotiators)
        if positions is None
        else (positions, positions + 1)
        if isinstance(positions, int)
        else positions
    )
    k = n_negotiators - 1

    def partner_sets() -> Iterable[tuple[Any, ...]]:
        if partner_extraction_method.startswith("permutation"):
            return itertools.permutations(pool, k)
        if partner_extraction_method.startswith("combination"):
            return itertools.combinations(pool, k)
        starts = range(len(pool) - k + 1)
        if partner_extraction_method.startswith("random"):
            return (tuple(rng.sample(pool, k)) for _ in starts)
        return (tuple(pool[j : j + k]) for j in starts)

    while True:
        current = [
            i
            if hasattr(i, "cardinality")
            else make_issue(i if isinstance(i, int) else rng.randint(i[0], i[1]), f"i{n}")
            for n, i in enumerate(issues)
        ]
        ufuns = [
            make.random(
                issues=current,
                reserved_value=(0.0, 0.2),
                normalized=normalized,
                seed=rng.randrange(2**31),
            )
            for _ in range(n_negotiators)
        ]
        for order in itertools.permutations(ufuns):
            for index in range(first, last):
                for chosen in partner_sets():
                    yield Condition(
                        name="d0",
                        issues=tuple(current),
                        ufuns=order,
                        partner_types=chosen,
                        index=index,
                        roles=roles,
                    )


def cartesian_conditions(
    scenarios: Sequence[Any],
    competitors: Sequence[Any],
    competitor_params: Sequence[dict[str, Any] | None],
    non_competitors: Sequence[Any],
    non_competitor_params: Sequence[dict[str, Any] | None],
    rotate_ufuns: bool,
) -> list[Condition]:
    """The conditions of a cartesian tournament over bilateral ``scenarios`` (each with an
    ``outcome_space`` and two ``ufuns``): each competitor against every competitor
    (both seats scored) and every non-competitor (the evaluated one in each seat),
    with each scenario's utility functions also swapped when ``rotate_ufuns``."""
    conditions: list[Condition] = []
    for s in scenarios:
        ufuns = list(s.ufuns)
        if len(ufuns) != 2:
            raise ValueError(f"scenario {s.outcome_space.name!r}: only bilateral scenarios")
        orders = [ufuns, ufuns[::-1]] if rotate_ufuns else [ufuns]
        label = s.outcome_space.name or "s"
        seats = [(t, p, True) for t, p in zip(competitors, competitor_params, strict=True)]
        seats += [
            (t, p, False) for t, p in zip(non_competitors, non_competitor_params, strict=True)
        ]
        for partner, partner_params, scored in seats:
            # Against a competitor both seats are scored; against a non-competitor the
            # evaluated one sits in each seat in turn.
            for index in (0,) if scored else (0, 1):
                for order in orders:
                    conditions.append(
                        Condition(
                            name=f"{label}_{len(conditions)}",
                            issues=tuple(s.outcome_space.issues),
                            ufuns=tuple(order),
                            partner_types=(negotiator_class(partner),),
                            partner_params=(dict(partner_params or {}),),
                            scored_indices=(0, 1) if scored else None,
                            index=index,
                        )
                    )
    return conditions
