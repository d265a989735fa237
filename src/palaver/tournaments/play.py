"""Running one world of a tournament and turning it into plain, picklable results.

:func:`run_world` is what every executor calls, in the tournament's process, in
a worker process or in a Ray task. It never raises for a world's own errors: a
world that raises is returned as ``failed`` with its traceback. Stopping a world
that runs too long is the executor's job.
"""

from __future__ import annotations

import math
import shutil
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from numbers import Real
from pathlib import Path
from typing import Any

from palaver.tournaments.config import TournamentConfig
from palaver.tournaments.names import dotted_name
from palaver.tournaments.plan import WorldTask
from palaver.tournaments.vetting import unscored_world

DONE = "done"
"""Status of a world that ran to the end and was scored."""
FAILED = "failed"
"""Status of a world that raised (or whose worker died too often); ``error`` says why."""
TIMED_OUT = "timed_out"
"""Status of a world stopped because it exceeded the time budget."""

#: Seconds past which a time budget or hang timeout sets no alarm: ``setitimer``
#: overflows near 1e10 s, and no run lasts the three years this is.
LONGEST_ALARM = 1e8


@dataclass(frozen=True)
class AgentScore:
    """The score of one agent in one world.

    ``slot`` is the agent's joining position in the world, ``copy`` its number
    among the agents of the same competitor in that world.
    """

    slot: int
    competitor: str
    copy: int
    agent_id: str
    score: float


@dataclass(frozen=True)
class StatValue:
    """One value of a world statistic: numeric values in ``value``, others as ``text``."""

    stat: str
    step: int
    value: float | None
    text: str | None


@dataclass(frozen=True)
class WorldResult:
    """What a tournament keeps of one world run."""

    world_id: str
    status: str
    scores: list[AgentScore] = field(default_factory=list)
    stats: list[StatValue] = field(default_factory=list)
    error: str | None = None
    duration: float = 0.0
    n_steps: int | None = None
    current_step: int | None = None
    finished_at: str = ""

    @classmethod
    def unfinished(cls, task: WorldTask, status: str, error: str, duration: float) -> WorldResult:
        """The result of a world that did not finish (failed or timed out)."""
        return cls(task.world_id, status, error=error, duration=duration, finished_at=_now())


class WorldTimeout(BaseException):
    """Raised inside a world running in the tournament's own process when its time is up.

    A ``BaseException`` so that agent code catching ``Exception`` cannot swallow it.
    """


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Job:
    """What every world of a run shares: the config and where recordings go (if anywhere).

    Executors ship one ``Job`` to each worker, then only :class:`WorldTask` objects.
    """

    config: TournamentConfig
    recordings: str | None = None

    def run(self, task: WorldTask) -> WorldResult:
        """Run one world of this job (see :func:`run_world`)."""
        folder = Path(self.recordings) / task.world_id if self.recordings is not None else None
        return run_world(self.config, task, folder)


def run_world(
    config: TournamentConfig, task: WorldTask, recording_dir: Path | None = None
) -> WorldResult:
    """Build, populate, run and score one world; errors become a ``failed`` result."""
    start = time.perf_counter()
    recorder = None
    try:
        world = config.world_factory()(seed=task.seed, **config.world_params, **task.sweep_params)
        # A class has join and run too: a factory returning its world's class
        # would fail later at join with "missing 1 required positional argument".
        if isinstance(world, type) or not (
            callable(getattr(world, "join", None)) and callable(getattr(world, "run", None))
        ):
            raise TypeError(
                f"world {dotted_name(config.world)!r} made {type(world).__name__} "
                f"{world!r:.80}, not a world (an object with join() and run()); a factory "
                "must return the world it made, not a class"
            )
        if recording_dir is not None:
            recorder = _recorder(world, recording_dir)
        joined = _join_competitors(config, task, world)
        world.run()
        if recorder is not None:
            recorder.close()
        scores = _score(config, world, joined)
        stats = _stats(world.stats)
        return WorldResult(
            world_id=task.world_id,
            status=DONE,
            scores=scores,
            stats=stats,
            duration=time.perf_counter() - start,
            n_steps=_maybe_int(getattr(world, "n_steps", None)),
            current_step=_maybe_int(getattr(world, "current_step", None)),
            finished_at=_now(),
        )
    except Exception:
        error = traceback.format_exc()
        if recorder is not None:
            # A failed world's recording is kept too: it is what explains the failure.
            try:
                recorder.close()
            except Exception:
                error += "\nclosing the recording also failed:\n" + traceback.format_exc()
        return WorldResult.unfinished(task, FAILED, error, time.perf_counter() - start)


def _join_competitors(
    config: TournamentConfig, task: WorldTask, world: Any
) -> list[tuple[str, int, Any]]:
    by_label = {c.label: c for c in config.competitors}
    joined = []
    for label in task.lineup:
        competitor = by_label[label]
        for copy in range(config.agents_per_competitor):
            agent = competitor.make()
            if agent is None or not callable(getattr(agent, "step", None)):
                raise TypeError(
                    f"competitor {label!r} made {type(agent).__name__} {agent!r:.80}, not an "
                    "agent (an object with step()); a factory must return the agent"
                )
            world.join(agent, **dict(competitor.join_params))
            joined.append((label, copy, agent))
    return joined


def _score(
    config: TournamentConfig, world: Any, joined: list[tuple[str, int, Any]]
) -> list[AgentScore]:
    score_function = config.score_function()
    if score_function is None:
        # A factory's world is known only now (validate checks a world class).
        problem = unscored_world(type(world))
        if problem is not None:
            raise RuntimeError(problem)
    raw = score_function(world) if score_function is not None else world.scores()
    source = "the score function" if score_function is not None else "world.scores()"
    if not isinstance(raw, Mapping):
        raise RuntimeError(
            f"{source} returned {type(raw).__name__} {raw!r:.80}, not a dict agent id -> score"
        )
    # A score for an id the world does not have is a typo in the score
    # function; dropping it would rank the others as if nothing were wrong.
    ghosts = sorted(str(k) for k in raw if k not in world.agents)
    if ghosts:
        raise RuntimeError(f"{source} scores {ghosts}, which are not agents of the world")
    # Agents are matched by identity: the world chooses the ids, the tournament
    # only knows which object it joined for which competitor.
    ids = {id(agent): agent_id for agent_id, agent in world.agents.items()}
    scores = []
    for slot, (label, copy, agent) in enumerate(joined):
        agent_id = ids.get(id(agent))
        if agent_id is None:
            raise RuntimeError(f"agent {slot} ({label}) is not in world.agents after joining")
        if agent_id not in raw:
            raise RuntimeError(f"{source} gave no score for agent {agent_id!r} ({label})")
        value = raw[agent_id]
        # Text and bools are not scores, though float() reads them ("3.5", True).
        if isinstance(value, bool) or not isinstance(value, Real):
            raise RuntimeError(
                f"{source} gave agent {agent_id!r} ({label}) the score {value!r:.80}, not a number"
            )
        score = float(value)
        if not math.isfinite(score):
            # A NaN or infinite score would make the world's mean meaningless and
            # vanish from the ranking; the world fails instead, saying why.
            raise RuntimeError(
                f"{source} gave agent {agent_id!r} ({label}) the score {score!r}, "
                "not a finite number"
            )
        scores.append(AgentScore(slot, label, copy, str(agent_id), score))
    return scores


def _stats(stats: Any) -> list[StatValue]:
    """World statistics as (stat, step, value) rows: lists are per step, scalars
    step -1; ``TypeError`` (the world fails, saying so) for stats of another kind."""
    rows: list[StatValue] = []
    if stats is None:
        return rows
    if not isinstance(stats, Mapping) and callable(getattr(stats, "to_dict", None)):
        stats = stats.to_dict("list")  # a pandas frame: a column per statistic
    if not isinstance(stats, Mapping):
        # Silently no statistics would read as a world that kept none.
        raise TypeError(
            f"world.stats must be a mapping of statistic name -> value or per-step "
            f"list (or a pandas DataFrame, or None), got {type(stats).__name__} {stats!r:.80}"
        )
    for name, values in stats.items():
        if isinstance(values, Sequence) and not isinstance(values, str):
            rows.extend(_stat_value(str(name), step, v) for step, v in enumerate(values))
        else:
            rows.append(_stat_value(str(name), -1, values))
    return rows


def _stat_value(name: str, step: int, value: Any) -> StatValue:
    if value is None:
        return StatValue(name, step, math.nan, None)
    try:
        return StatValue(name, step, float(value), None)
    except (TypeError, ValueError, OverflowError):
        # OverflowError: an int past the float range (an exact count), kept exactly as text.
        return StatValue(name, step, None, str(value))


def _maybe_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _recorder(world: Any, recording_dir: Path) -> Any:
    """A recorder capturing ``world`` into ``recording_dir`` (it attaches itself)."""
    # Imported here: recording is off by default and the module is only needed then.
    from palaver.events import EventBus
    from palaver.recording import SimulationRecorder
    from palaver.world import World

    if not (
        isinstance(world, World)
        or isinstance(getattr(world, "bus", None), EventBus)
        or hasattr(world, "steps")
    ):
        # The recorder's own refusal speaks of Mesa models, which a tournament
        # world seldom is; say what record=True needs instead.
        raise TypeError(
            f"record=True (--record) needs a world that emits events: a palaver World, "
            f"an object whose 'bus' is a palaver.events.EventBus, or a Mesa model; "
            f"{type(world).__name__} is none of them, so there is nothing to record: "
            "run without record"
        )
    if recording_dir.exists():
        # Left by an attempt whose worker died; the re-run records from scratch.
        shutil.rmtree(recording_dir)
    recording_dir.mkdir(parents=True)
    return SimulationRecorder(world, output_dir=recording_dir)
