"""A tiny deterministic world and agents honouring the tournament's world contract.

Scores depend only on the seed and the agents' types, so any executor must give
the same numbers. Some agents misbehave on purpose (raise, hang, kill their process).
"""

from __future__ import annotations

import os
import signal
import time
from collections import defaultdict
from pathlib import Path

import numpy as np


class ToyAgent:
    """Base agent: gains ``skill`` plus noise each step."""

    skill = 0.0

    def __init__(self, bonus: float = 0.0) -> None:
        self.bonus = bonus
        self.id: str | None = None

    def step(self, world: ToyWorld) -> None:
        """Do nothing special."""


class Strong(ToyAgent):
    skill = 1.0


class Medium(ToyAgent):
    skill = 0.5


class Weak(ToyAgent):
    skill = 0.0


class Crasher(ToyAgent):
    def step(self, world: ToyWorld) -> None:
        raise RuntimeError("the crasher agent crashed")


class Sleeper(ToyAgent):
    """Hangs forever (well, for a minute) in its first step."""

    def step(self, world: ToyWorld) -> None:
        time.sleep(60)


class Suicidal(ToyAgent):
    """Kills its own process with SIGKILL, as the OOM killer would."""

    def step(self, world: ToyWorld) -> None:
        os.kill(os.getpid(), signal.SIGKILL)


def first_to_claim(marker: Path) -> bool:
    """Whether this process created ``marker`` (holding its id) before any other did.

    Atomic: worlds of two workers may check at the same moment, and an
    exists-then-write check would let both act "the first time" (then both
    Waiters sleep their 30 s, and the test that kills one of them waits).
    """
    try:
        with open(marker, "x") as file:
            file.write(str(os.getpid()))
    except FileExistsError:
        return False
    return True


class OnceSuicidal(ToyAgent):
    """SIGKILLs its process the first time only (a marker file remembers)."""

    def __init__(self, marker: str = "", bonus: float = 0.0) -> None:
        super().__init__(bonus)
        self.marker = Path(marker)

    def step(self, world: ToyWorld) -> None:
        if first_to_claim(self.marker):
            os.kill(os.getpid(), signal.SIGKILL)


class Broken(ToyAgent):
    def __init__(self) -> None:
        raise ValueError("this agent cannot be built")


class ToyWorld:
    """Agents accumulate skill + seeded noise for ``n_steps`` steps."""

    def __init__(
        self, seed: int | None = None, n_steps: int = 3, noise: float = 1.0, delay: float = 0.0
    ) -> None:
        self.rng = np.random.default_rng(seed)
        self.n_steps = n_steps
        self.noise = noise
        self.delay = delay
        self.current_step = 0
        self.agents: dict[str, ToyAgent] = {}
        self.stats: dict[str, list[float]] = defaultdict(list)
        self._totals: dict[str, float] = {}

    def join(self, agent: ToyAgent, bonus: float = 0.0) -> None:
        agent.id = f"agent{len(self.agents)}"
        self.agents[agent.id] = agent
        self._totals[agent.id] = bonus + agent.bonus

    def run(self) -> None:
        for _ in range(self.n_steps):
            for aid, agent in self.agents.items():
                agent.step(self)
                self._totals[aid] += agent.skill + self.rng.normal(0, self.noise)
            self.stats["total"].append(sum(self._totals.values()))
            self.current_step += 1
            if self.delay:
                time.sleep(self.delay)

    def scores(self) -> dict[str, float]:
        return dict(self._totals)


class HugeStatWorld(ToyWorld):
    """A ToyWorld whose last step adds a statistic past the float range (an exact count)."""

    def run(self) -> None:
        super().run()
        self.stats["ways"].append(10**400)
        self.stats["tiny"].append(-(10**400))


class ListStatsWorld(ToyWorld):
    """A ToyWorld whose ``stats`` is a list when it has run, not a mapping."""

    def run(self) -> None:
        super().run()
        self.stats = [1, 2, 3]  # type: ignore[assignment]


class FrameStatsWorld(ToyWorld):
    """A ToyWorld whose ``stats`` is a pandas frame (a column per statistic)."""

    def run(self) -> None:
        super().run()
        import pandas as pd

        self.stats = pd.DataFrame(self.stats)  # type: ignore[assignment]


def doubled(world: ToyWorld) -> dict[str, float]:
    """A custom score function."""
    return {k: 2 * v for k, v in world.scores().items()}


def nan_for_the_first(world: ToyWorld) -> dict[str, float]:
    """A score function that gives agent0 NaN (and the others their scores)."""
    return {k: float("nan") if k == "agent0" else v for k, v in world.scores().items()}


def inf_for_the_first(world: ToyWorld) -> dict[str, float]:
    """A score function that gives agent0 -inf."""
    return {k: -float("inf") if k == "agent0" else v for k, v in world.scores().items()}


def text_for_the_first(world: ToyWorld) -> dict[str, object]:
    """A score function that gives agent0 its score as text."""
    return {k: str(v) if k == "agent0" else v for k, v in world.scores().items()}


def bool_for_the_first(world: ToyWorld) -> dict[str, object]:
    """A score function that gives agent0 ``True``."""
    return {k: True if k == "agent0" else v for k, v in world.scores().items()}


def with_a_ghost(world: ToyWorld) -> dict[str, float]:
    """A score function that also scores an agent the world does not have."""
    return {**world.scores(), "agent9": 1.0}


def as_a_list(world: ToyWorld) -> list[float]:
    """A score function that returns the scores without their agents."""
    return list(world.scores().values())


def make_world(seed: int | None = None, **kwargs: float) -> ToyWorld:
    """A world factory (instead of a class)."""
    return ToyWorld(seed=seed, **kwargs)


def toy_tournament() -> object:
    """A config by dotted name (imported lazily so this module stays framework-free)."""
    from palaver.tournaments import TournamentConfig

    return TournamentConfig(
        world=ToyWorld, competitors=[Strong, Medium, Weak], lineup_size=2, seed=1, name="toy"
    )


def slow_tournament() -> object:
    """Twelve worlds of ~0.1 s each: slow enough to kill a run half-way."""
    from palaver.tournaments import TournamentConfig

    return TournamentConfig(
        world=ToyWorld,
        competitors=[Strong, Medium, Weak],
        lineup_size=2,
        repetitions=4,
        world_params={"delay": 0.03},
        seed=8,
        name="slow",
    )


class Waiter(ToyAgent):
    """On its first run, writes its process id to ``marker`` and waits to be killed."""

    def __init__(self, marker: str = "", bonus: float = 0.0) -> None:
        super().__init__(bonus)
        self.marker = Path(marker)

    def step(self, world: ToyWorld) -> None:
        if first_to_claim(self.marker):
            time.sleep(30)


class TroubleWorld(ToyWorld):
    """A ToyWorld that misbehaves on demand, so that tests choose which world of a chunk does.

    ``trouble`` is ``"hang"`` (sleeps for a minute), ``"die"`` (SIGKILLs its
    process after 0.2 s), ``"die-once:<marker file>"`` (the same, the first
    time only), ``"die-at-once"`` (SIGKILLs its process as it is built)
    or anything else (behaves). Scores do not depend on it. With a ``tally``
    file, each world built appends its ``trouble`` there (but ``"die-at-once"``),
    so tests can count how often each world ran.
    """

    def __init__(
        self, seed: int | None = None, trouble: str = "", tally: str = "", **kwargs: float
    ) -> None:
        if trouble == "die-at-once":
            os.kill(os.getpid(), signal.SIGKILL)
        super().__init__(seed=seed, **kwargs)
        self.trouble = trouble
        if tally:
            with open(tally, "a") as file:
                file.write(trouble + "\n")

    def run(self) -> None:
        if self.trouble == "hang":
            time.sleep(60)
        elif self.trouble == "die":
            time.sleep(0.2)
            os.kill(os.getpid(), signal.SIGKILL)
        elif self.trouble.startswith("die-once:"):
            marker = Path(self.trouble.removeprefix("die-once:"))
            if not marker.exists():
                marker.write_text(str(os.getpid()))
                time.sleep(0.2)
                os.kill(os.getpid(), signal.SIGKILL)
        super().run()
