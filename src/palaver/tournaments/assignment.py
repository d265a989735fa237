"""Which competitors meet in which world, and which world configurations are swept."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

Lineup = tuple[str, ...]
"""The competitor names that meet in one world, in joining order."""


def lineups(
    names: Sequence[str],
    method: str,
    size: int,
    n_lineups: int | None = None,
    rng: np.random.Generator | None = None,
) -> list[Lineup]:
    """The line-ups of a tournament.

    - ``"all"``: every combination of ``size`` distinct competitors, in the order
      ``itertools.combinations`` gives.
    - ``"round_robin"``: ``len(names)`` line-ups; line-up ``i`` is ``names[i]``,
      ``names[i+1]``, ... (wrapping around), so each competitor appears in
      ``size`` line-ups and in each seat exactly once.
    - ``"random"``: ``n_lineups`` line-ups of ``size`` distinct competitors drawn
      from ``rng`` (repeats between line-ups are possible).
    """
    if method == "all":
        return list(itertools.combinations(names, size))
    if method == "round_robin":
        n = len(names)
        return [tuple(names[(i + k) % n] for k in range(size)) for i in range(n)]
    if method == "random":
        if rng is None or n_lineups is None:
            raise ValueError("random line-ups need n_lineups and a generator")
        return [
            tuple(names[int(j)] for j in rng.choice(len(names), size=size, replace=False))
            for _ in range(n_lineups)
        ]
    raise ValueError(f"unknown assignment {method!r}")


def sweep_points(sweep: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of swept values (one empty point when nothing is swept).

    Keys vary in declaration order, the last one fastest.
    """
    keys = list(sweep)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*sweep.values())]
