"""The recorder's hold on the garbage collector is scoped to the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from palaver.recording import SimulationRecorder


class _Probe:
    """At each step start, the collector's young threshold and whether anything is frozen."""

    def __init__(self, seen: list[tuple[int, bool]]) -> None:
        self.seen = seen

    def emit(self, event: Any) -> None:
        import gc

        if event.type == "step_start":
            self.seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))


def test_gc_is_frozen_and_tuned_only_while_a_recorded_world_runs(tmp_path: Path) -> None:
    import gc

    from palaver.examples.trips import build_trips

    before = gc.get_threshold()
    world = build_trips(n_agents=3, n_steps=2, seed=1)
    seen: list[tuple[int, bool]] = []

    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.bus.add_sink(_Probe(seen))
    world.run()
    rec.close()
    assert seen and all(t >= 10_000 and frozen for t, frozen in seen)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_world_run_alone_holds_the_collector_and_gives_it_back() -> None:
    import gc

    from palaver.examples.trips import build_trips

    before = gc.get_threshold()
    world = build_trips(n_agents=3, n_steps=3, seed=1)
    seen: list[tuple[int, bool]] = []

    world.bus.add_sink(_Probe(seen))
    world.run()
    assert len(seen) == 3 and all(t >= 10_000 and frozen for t, frozen in seen)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_world_that_raises_gives_the_collector_back() -> None:
    import gc

    import pytest

    from palaver.examples.trips import build_trips

    before = gc.get_threshold()
    world = build_trips(n_agents=3, n_steps=3, seed=1)

    class Boom:
        def emit(self, event):  # type: ignore[no-untyped-def]
            if event.type == "step_end":
                raise KeyboardInterrupt

    world.bus.add_sink(Boom())
    with pytest.raises(KeyboardInterrupt):
        world.run()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_holds_are_counted_and_a_disabled_collector_is_left_alone() -> None:
    import gc

    from palaver._util.collector import CollectorHold

    before = gc.get_threshold()
    outer, inner = CollectorHold(), CollectorHold()
    outer.acquire()
    inner.acquire()
    inner.acquire()  # twice by one owner: once
    outer.release()
    assert gc.get_threshold()[0] >= 10_000, "the inner hold still stands"
    inner.release()
    inner.release()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        with CollectorHold():
            assert gc.get_threshold() == before
            assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
