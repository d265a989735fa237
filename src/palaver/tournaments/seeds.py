"""Seeds derived from the root seed and a position, never from run order.

Every world's seed is a pure function of the root seed and the world's position
(line-up, configuration, repetition). Which executor runs the world, on which
worker, and in what order worlds finish therefore cannot change any result.
"""

from __future__ import annotations

import secrets

import numpy as np

# Separate spawn-key namespaces so the generator that draws random line-ups can
# never coincide with a world's seed.
_WORLDS = 0
_ASSIGNMENT = 1


def new_root_seed() -> int:
    """A fresh root seed (for tournaments declared without one; it is then stored)."""
    return secrets.randbits(63)


def world_seed(root_seed: int, lineup: int, config: int, repetition: int) -> int:
    """The seed of the world at (line-up, configuration, repetition) as a 63-bit integer."""
    sequence = np.random.SeedSequence(root_seed, spawn_key=(_WORLDS, lineup, config, repetition))
    # 63 bits keep the seed a non-negative int64, storable in Parquet and accepted
    # by every seeding API (numpy, random, hash-based).
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def assignment_rng(root_seed: int) -> np.random.Generator:
    """The generator that draws random line-ups."""
    return np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=(_ASSIGNMENT,)))
