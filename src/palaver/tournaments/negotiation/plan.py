"""The negotiations of a cartesian tournament: who meets whom, on what, with which limits and seed.

Every negotiation's seed and ``n_steps`` draw are pure functions of the root
seed and the negotiation's position (scenario, rotation, pairing, repetition),
so neither the executor nor the order in which batches finish can change a
result. Negotiations are grouped into batches, one per scenario (all its
pairings, rotations and repetitions): a worker then meets the same utility
functions many times in a row and ranks each of them once (see
:func:`palaver.negotiators.ranking_cache`), and each batch is one Parquet file
per table (a file has a fixed cost of a few milliseconds).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

_SEEDS = 10  # spawn-key namespaces apart from the world tournaments' (0, 1)
_STEPS = 11
_LIMITS = 12

#: The most negotiations one tournament may plan: their ids (``n0000000`` to
#: ``n9999999``) keep their run order as text, and the plan is held in memory
#: (about 350 bytes a negotiation).
MAX_NEGOTIATIONS = 10_000_000

#: A limit given as one value or as ``(low, high)`` bounds to draw from.
Limit = int | float | tuple[float, float] | list[float] | None


@dataclass(frozen=True)
class NegotiationSpec:
    """One negotiation of the tournament.

    Attributes:
        negotiation_id: ``"n"`` and the position, zero-padded (stable across runs).
        index: Position in the tournament's list of negotiations.
        scenario: Index of the scenario.
        rotation: How far the utility functions are rotated: the negotiator at
            position ``p`` holds ``ufuns[(p + rotation) % n]``.
        partners: The competitor (index) at each position; position 0 opens.
        repetition: The repetition number.
        n_steps: The round limit, or ``None``.
        time_limit: The mechanism's time limit in seconds, or ``None``.
        seed: The mechanism's seed.
    """

    negotiation_id: str
    index: int
    scenario: int
    rotation: int
    partners: tuple[int, ...]
    repetition: int
    n_steps: int | None
    time_limit: float | None
    seed: int


@dataclass(frozen=True)
class BatchTask:
    """The negotiations one worker runs in a row (one scenario, every repetition).

    ``world_id`` names the batch (executors key their bookkeeping by it).
    """

    world_id: str
    index: int
    scenario: int
    negotiations: tuple[NegotiationSpec, ...]


def draw_limit(value: Limit, rng: np.random.Generator, integer: bool) -> float | int | None:
    """``value`` itself, or a draw between its bounds.

    Bounds ``(low, high)`` with ``low > 0`` and ``high / low >= 10`` are drawn
    log-uniformly (as the ANL competitions draw ``n_steps``), others uniformly;
    integer limits are rounded to the nearest integer within the bounds.
    """
    if value is None or isinstance(value, int | float):
        return value
    low, high = float(value[0]), float(value[1])
    if low > 0 and high / low >= 10:
        x = math.exp(rng.uniform(math.log(low), math.log(high)))
    else:
        x = rng.uniform(low, high)
    if integer:
        return int(min(max(round(x), math.ceil(low)), math.floor(high)))
    return float(min(max(x, low), high))


@dataclass(frozen=True)
class Opponents:
    """Fixed opponents (NegMAS's explicit opponent mode): the competitors then
    meet only them, never each other.

    The opponents are entries ``n_competitors .. n_competitors + n - 1`` of the
    tournament's list of negotiator types (after the competitors). Each
    negotiation seats one competitor at position 0 and opponents at every
    other position (all combinations); rotating the utility functions gives
    the competitor the other roles. ``twins`` lists the ``(competitor,
    opponent)`` index pairs of the same type and parameters: without
    self-play, a negotiation whose opponents are all the competitor's twins is
    a competitor meeting itself and is not planned (as in NegMAS).
    """

    n: int
    twins: frozenset[tuple[int, int]] = frozenset()


def pairings(
    n_competitors: int, n_parties: int, self_play: bool, opponents: Opponents | None = None
) -> list[tuple[int, ...]]:
    """Every ordered assignment of competitors to positions (no repeats without
    ``self_play``); with ``opponents``, each competitor at position 0 against
    every combination of opponents at the others."""
    if opponents is not None:
        them = range(n_competitors, n_competitors + opponents.n)
        return [
            (c, *combo)
            for c in range(n_competitors)
            for combo in itertools.product(them, repeat=n_parties - 1)
            if self_play or not all((c, o) in opponents.twins for o in combo)
        ]
    out = []
    for partners in itertools.product(range(n_competitors), repeat=n_parties):
        if not self_play and len(set(partners)) < n_parties:
            continue
        out.append(partners)
    return out


def count_negotiations(
    n_competitors: int,
    parties: list[int],
    n_repetitions: int,
    rotate_ufuns: bool,
    self_play: bool,
    opponents: Opponents | None = None,
) -> int:
    """How many negotiations :func:`plan_negotiations` plans, counted without planning them."""
    total = 0
    for k in parties:
        if opponents is not None:
            pairs = n_competitors * opponents.n ** (k - 1)
            if not self_play:
                # Dropped: the combinations made of one competitor's twins alone.
                twins = Counter(c for c, _ in opponents.twins)
                pairs -= sum(t ** (k - 1) for t in twins.values())
        else:
            pairs = n_competitors**k if self_play else math.perm(n_competitors, k)
        total += (k if rotate_ufuns else 1) * pairs
    return total * n_repetitions


def check_size(
    n_competitors: int,
    parties: list[int],
    n_repetitions: int,
    rotate_ufuns: bool,
    self_play: bool,
    opponents: Opponents | None = None,
) -> None:
    """Refuse a tournament of more than :data:`MAX_NEGOTIATIONS` negotiations
    (``ValueError`` naming the count and what makes it), before any is planned."""
    total = count_negotiations(
        n_competitors, parties, n_repetitions, rotate_ufuns, self_play, opponents
    )
    if total > MAX_NEGOTIATIONS:
        raise ValueError(
            f"n_repetitions={n_repetitions} with {n_competitors} competitors and "
            f"{len(parties)} scenarios makes {total} negotiations, more than the "
            f"{MAX_NEGOTIATIONS:,} a tournament may run; lower n_repetitions, the "
            "competitors or the scenarios (or set rotate_ufuns=False / self_play=False)"
        )


def check_pairings(
    n_competitors: int,
    names: list[str],
    parties: list[int],
    self_play: bool,
    opponents: Opponents | None = None,
) -> None:
    """Refuse scenarios that no pairing can play: without ``self_play`` every
    position needs another competitor, so a scenario of more parties than
    competitors would be skipped without a word (``ValueError`` naming them).
    With ``opponents`` every scenario is playable (each has two parties or
    more: see ``check_scenarios``)."""
    if self_play or opponents is not None:
        return
    unplayable = [
        f"{name!r} ({k} parties)"
        for name, k in zip(names, parties, strict=True)
        if k > n_competitors
    ]
    if unplayable:
        raise ValueError(
            f"self_play=False with {n_competitors} competitor(s) leaves no pairing for "
            f"scenario(s) {', '.join(unplayable)}: each position needs a different "
            "competitor; add competitors or set self_play=True"
        )


def draw_limits(value: Limit, rng: np.random.Generator, n: int, integer: bool) -> list[Any]:
    """:func:`draw_limit` for ``n`` negotiations at once (one vectorized draw)."""
    if value is None or isinstance(value, int | float):
        return [value] * n
    low, high = float(value[0]), float(value[1])
    if low > 0 and high / low >= 10:
        x = np.exp(rng.uniform(math.log(low), math.log(high), n))
    else:
        x = rng.uniform(low, high, n)
    if integer:
        clipped = np.clip(np.rint(x), math.ceil(low), math.floor(high))
        return [int(v) for v in clipped]
    return [float(v) for v in np.clip(x, low, high)]


def plan_negotiations(
    n_competitors: int,
    parties: list[int],
    n_repetitions: int,
    rotate_ufuns: bool,
    self_play: bool,
    n_steps: Limit,
    time_limit: Limit,
    root_seed: int,
    per: str = "negotiation",
    opponents: Opponents | None = None,
) -> list[BatchTask]:
    """Every negotiation of the tournament, in batches (one per scenario).

    ``parties[s]`` is the number of utility functions of scenario ``s``. The
    seeds and draws of a batch come from generators keyed by its scenario and
    repetition, taken in the batch's fixed order (rotation, then pairing).
    ``per="scenario"`` draws one ``n_steps`` and ``time_limit`` per batch
    (scenario and repetition), shared by its negotiations, as NegMAS does.
    With ``opponents``, the pairings are those of :class:`Opponents`.
    """
    batches: list[BatchTask] = []
    index = 0
    for s, k in enumerate(parties):
        specs = []
        rotations = range(k) if rotate_ufuns else range(1)
        seats = pairings(n_competitors, k, self_play, opponents)
        cells = [(rot, p) for rot in rotations for p in seats]
        n = len(cells)
        for rep in range(n_repetitions):
            seeds = np.random.SeedSequence(root_seed, spawn_key=(_SEEDS, s, rep)).generate_state(
                n, dtype=np.uint64
            ) >> np.uint64(1)
            draws = n if per == "negotiation" else 1
            steps = draw_limits(n_steps, _rng(root_seed, _STEPS, s, rep), draws, integer=True)
            limits = draw_limits(time_limit, _rng(root_seed, _LIMITS, s, rep), draws, integer=False)
            if per != "negotiation":
                steps, limits = steps * n, limits * n
            for j, (rot, partners) in enumerate(cells):
                specs.append(
                    NegotiationSpec(
                        negotiation_id=f"n{index:07d}",
                        index=index,
                        scenario=s,
                        rotation=rot,
                        partners=partners,
                        repetition=rep,
                        n_steps=None if steps[j] is None else int(steps[j]),
                        time_limit=None if limits[j] is None else float(limits[j]),
                        seed=int(seeds[j]),
                    )
                )
                index += 1
        batches.append(
            BatchTask(
                world_id=f"b{len(batches):06d}",
                index=len(batches),
                scenario=s,
                negotiations=tuple(specs),
            )
        )
    return batches


def _rng(root_seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=key))
