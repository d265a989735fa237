"""Certify a user-written world (and the agents in it) against the framework's contract."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from palaver.checks.result import CheckReport, _Collector, check_factory, check_made
from palaver.checks.trace import canonical_trace, lifecycle_problems, order_problems
from palaver.events import Event, EventType, ListSink
from palaver.world import Agent, World

WorldFactory = Callable[[int], World[Any, Any]]


def _run(world: World[Any, Any], steps: int | None = None) -> list[Event]:
    sink = ListSink()
    world.bus.add_sink(sink)
    if steps is None:
        world.run()
    else:
        for _ in range(steps):
            world.step()
    world.bus.remove_sink(sink)
    return sink.events


def _disturb(value: int) -> None:
    random.seed(value)
    np.random.seed(value)


def _describe_difference(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> str:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"event {i + 1} differs: {x!r} vs {y!r}"
    return f"one run has {len(a)} events, the other {len(b)}"


def check_world(
    factory: WorldFactory, *, seed: int = 0, checkpoint_at: int | None = None
) -> CheckReport:
    """Certify a world class and its agents the way Palaver's own worlds are tested.

    ``factory(seed)`` must build a fresh world with its agents joined, passing
    ``seed`` to the world. The world is run three times:

    - **runs**: it runs to the end without raising;
    - **ordered**: events are numbered without gaps, steps never go back, the
      run starts with ``simulation_start`` and ends with ``simulation_end``;
    - **lifecycle**: every negotiation request was accepted or rejected, every
      accepted negotiation ended, every concluded contract was signed or
      cancelled, every signed contract was executed, breached or cancelled;
    - **deterministic**: a second run with the same seed, after the global
      ``random`` and ``numpy.random`` states were changed, emits the same events
      (wall-clock fields aside);
    - **resumable**: a run checkpointed after ``checkpoint_at`` steps (default:
      half the run) and restored finishes with the same events and statistics
      as the uninterrupted run.

    Raises:
        CheckFailed: listing every problem found.
    """
    check_factory("factory", factory, "a function of the seed returning a world")
    name = getattr(factory, "__name__", repr(factory))
    checks = _Collector(f"world factory {name}")
    _disturb(1)
    try:
        first = _world(factory, seed)
        events = _run(first)
    except Exception as exc:
        checks.fail("runs", f"raised {type(exc).__name__}: {exc}")
        return checks.finish()
    checks.report.passed.append("runs")
    problems = order_problems(events)
    checks.expect("ordered", not problems, "; ".join(problems))
    problems = lifecycle_problems(events)
    checks.expect("lifecycle", not problems, "; ".join(problems[:5]))
    reference = canonical_trace(events)

    _disturb(2)
    try:
        again = canonical_trace(_run(_world(factory, seed)))
    except Exception as exc:
        checks.fail("deterministic", f"second run raised {type(exc).__name__}: {exc}")
    else:
        checks.expect(
            "deterministic",
            again == reference,
            "two runs with the same seed differ: " + _describe_difference(reference, again),
        )

    _check_resume(checks, factory, seed, checkpoint_at, events, first)
    return checks.finish()


def _world(factory: WorldFactory, seed: int, call: str = "factory(seed)") -> World[Any, Any]:
    world = factory(seed)
    check_made(call, world, World, "a World")
    return world


def _check_resume(
    checks: _Collector,
    factory: WorldFactory,
    seed: int,
    checkpoint_at: int | None,
    events: list[Event],
    uninterrupted: World[Any, Any],
) -> None:
    try:
        world = _world(factory, seed)
    except Exception as exc:
        checks.fail("resumable", f"factory(seed) raised {type(exc).__name__}: {exc}")
        return
    k = checkpoint_at if checkpoint_at is not None else max(1, world.n_steps // 2)
    try:
        head = _run(world, k)
        with tempfile.TemporaryDirectory() as folder:
            path = world.checkpoint(Path(folder) / "check")
            restored = type(world).from_checkpoint(path)
        tail = _run(restored)
    except Exception as exc:
        checks.fail("resumable", f"checkpoint at step {k} failed: {type(exc).__name__}: {exc}")
        return
    combined = canonical_trace(head + tail)
    expected = canonical_trace(events)
    ok = combined == expected and restored.stats == uninterrupted.stats
    detail = (
        _describe_difference(expected, combined)
        if combined != expected
        else "the statistics differ"
    )
    checks.expect("resumable", ok, f"resumed at step {k}: {detail}")


def check_agent(
    agent_factory: Callable[[], Agent[Any]], world_factory: WorldFactory, *, seed: int = 0
) -> CheckReport:
    """Certify an agent type inside a world it was written for.

    ``world_factory(seed)`` builds the world with its other agents (it may have
    none); two agents from ``agent_factory()`` join it, so that the agent meets
    itself. The world is built with its default exception handling; the agent
    must:

    - **runs**: take part in a whole run without any of its callbacks raising
      (an exception is reported with the callback that raised it);
    - **acts**: appear in at least one event other than a ``state_change``
      (which the world emits for every agent: it was not inert);
    - **deterministic**: behave identically in a second run with the same seed.

    Raises:
        CheckFailed: listing every problem found.
    """
    check_factory("agent_factory", agent_factory, "an agent class or a function returning an agent")
    check_factory("world_factory", world_factory, "a function of the seed returning a world")
    name = getattr(agent_factory, "__name__", repr(agent_factory))
    checks = _Collector(f"agent {name}")
    traces = []
    for disturbance in (1, 2):
        _disturb(disturbance)
        try:
            world = _world(world_factory, seed, "world_factory(seed)")
            joined = [agent_factory(), agent_factory()]
            for agent in joined:
                check_made("agent_factory()", agent, Agent, "an Agent")
                world.join(agent)
            events = _run(world)
        except Exception as exc:
            checks.fail("runs", f"raised {type(exc).__name__}: {exc}")
            return checks.finish()
        ids = {a.id for a in joined}
        raised = [e for e in events if e.type == "exception" and e.agent_id in ids]
        if disturbance == 1:
            checks.expect(
                "runs",
                not raised,
                "; ".join(
                    f"{e.payload.get('where')}: {e.payload.get('exception')}: "
                    f"{e.payload.get('message')}"
                    for e in raised[:5]
                ),
            )
            # A state_change is the world reporting the agent's state (every
            # joined agent gets one at the first step end), not the agent acting.
            checks.expect(
                "acts",
                any(e.agent_id in ids and e.type != EventType.STATE_CHANGE for e in events),
                "no event concerns the agent: it never requested or took part in anything",
            )
        traces.append(canonical_trace(events))
    checks.expect(
        "deterministic",
        traces[0] == traces[1],
        "two runs with the same seed differ: " + _describe_difference(traces[0], traces[1]),
    )
    return checks.finish()
