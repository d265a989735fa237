"""Memory stays bounded: what the recorder holds does not grow with the history.

These tests count Python allocations with tracemalloc (deterministic for the
same code, unlike the process's resident memory) and check the sizes of the
store's structures, over runs long enough that a structure growing per event
or per step would stand out.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import palaver.recording as recording
from palaver._util import arrow_pool
from palaver.recording import SimulationRecorder, cache
from palaver.recording.arrow import distinct
from palaver.recording.export import _AgentSummary


class Clock:
    """A model with nothing but a step counter."""

    def __init__(self) -> None:
        self.steps = 0


def record(rec: SimulationRecorder, clock: Clock, start: int, n: int) -> None:
    """``n`` events from 5 agents, 10 per step, each with ~60 bytes of content."""
    for i in range(start, start + n):
        clock.steps = i // 10
        rec.record_event("tick" if i % 3 else "tock", {"i": i, "pad": "x" * 40}, agent_id=i % 5)


def traced_now() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def test_recording_memory_grows_per_part_not_per_event(tmp_path: Path) -> None:
    clock = Clock()
    rec = SimulationRecorder(
        clock, output_dir=tmp_path, memory_window=1000, flush_every=100, record_state_changes=False
    )
    tracemalloc.start()
    try:
        record(rec, clock, 0, 20_000)  # warm-up: first parts, caches, lazy imports
        before, parts_before = traced_now(), len(rec._store.parts)
        record(rec, clock, 20_000, 60_000)
        grown, parts = traced_now() - before, len(rec._store.parts) - parts_before
    finally:
        tracemalloc.stop()
    assert parts >= 55
    # Each part keeps a few counters (~1.5 kB here). Keeping the window's
    # batches, or anything per event, would add ~60 bytes per event (3.6 MB).
    assert grown < 4096 * parts, f"{grown} bytes for {parts} parts of 1,000 events"


def test_window_is_read_back_from_the_log(tmp_path: Path) -> None:
    clock = Clock()
    rec = SimulationRecorder(
        clock, output_dir=tmp_path, memory_window=1000, flush_every=100, record_state_changes=False
    )
    record(rec, clock, 0, 2_950)
    store = rec._store
    store.flush()
    assert store.live.rows == 950 and len(store.parts) == 2
    # Only the codes (agent, type, step) of the window stay in memory.
    assert store._batches == []
    assert len(store._coded) == len(store._starts) == 95  # one flush per step
    assert [e.content["i"] for e in rec.events[2000:2003]] == [2000, 2001, 2002]
    assert [e.content["i"] for e in rec.get_agent_events(3)][-2:] == [2943, 2948]
    assert len(rec.get_events_by_step(294)) == 10
    assert rec.events[-1].content["i"] == 2949
    assert store.take_last_type() == "tock"  # 2949 % 3 == 0


def test_read_caches_stay_within_their_budgets(tmp_path: Path) -> None:
    clock = Clock()
    rec = SimulationRecorder(
        clock, output_dir=tmp_path, memory_window=2000, record_state_changes=False
    )
    record(rec, clock, 0, 60_000)
    for agent in range(5):
        assert len(list(rec.get_agent_events(agent))) == 12_000
    for etype in ("tick", "tock"):
        assert len(rec.get_events_by_type(etype)[::97]) > 0
    store = rec._store
    assert len(store.parts) >= 29
    for held, budget in (
        (store._groups, cache.GROUP_CACHE_BYTES),
        (store._indexes, cache.INDEX_CACHE_BYTES),
        (store._found, cache.POSITIONS_CACHE_BYTES),
    ):
        assert held.nbytes <= budget or len(held) == 1
    assert len(store._files) <= 16


def test_cache_drops_the_least_recently_used() -> None:
    lru: cache.ByteCache[str, int] = cache.ByteCache(100)
    lru.put("a", 1, 40)
    lru.put("b", 2, 40)
    assert lru.get("a") == 1  # "b" is now the least recently used
    lru.put("c", 3, 40)
    assert lru.get("b") is None and lru.get("a") == 1 and lru.nbytes == 80
    lru.put("huge", 4, 500)  # larger than the budget: kept alone
    assert len(lru) == 1 and lru.get("huge") == 4


def test_json_export_memory_does_not_grow_with_steps(tmp_path: Path) -> None:
    # 20 agents active at each of 3,000 steps: a set of active steps per agent
    # held 60,000 int objects (~4.5 MB); runs of steps hold one run per agent.
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path, record_state_changes=False)
    for step in range(3000):
        clock.steps = step
        for agent in range(20):
            rec.record_event("act", {"s": step}, agent_id=agent)
    rec.save("warm.json")  # lazy imports and first-use allocations
    tracemalloc.start()
    try:
        path = rec.save("w.json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_500_000, f"saving held {peak} bytes of Python objects"
    summary = json.loads(path.read_text())["agent_summaries"]["7"]
    assert summary["active_steps"] == list(range(3000))
    assert summary["total_events"] == 3000


def test_agent_summary_runs() -> None:
    summary = _AgentSummary()
    for start, end in ((1, 3), (3, 5), (6, 6), (9, 10)):
        summary.add_run(start, end)
    assert list(summary.starts) == [1, 9] and list(summary.ends) == [6, 10]
    summary.add_run(0, 0)  # a step counter that went back: merged in order
    summary.add_run(7, 7)
    assert summary.active_steps() == [0, 1, 2, 3, 4, 5, 6, 7, 9, 10]
    assert len(summary.starts) == 2


def test_active_steps_with_gaps_and_resets(tmp_path: Path) -> None:
    clock = Clock()
    rec = SimulationRecorder(
        clock, output_dir=tmp_path, memory_window=7, flush_every=3, record_state_changes=False
    )
    steps = [0, 0, 1, 4, 5, 5, 2, 9, 10, 11, 3, 20, 10**17, 2**62]  # and far apart
    for step in steps:
        clock.steps = step
        rec.record_event("e", {}, agent_id="a")
        rec.record_event("e", {}, agent_id="b" if step % 2 else None)
    data = json.loads(rec.save("s.json").read_text())
    summaries = data["agent_summaries"]
    assert summaries["a"]["active_steps"] == sorted(set(steps))
    assert summaries["b"]["active_steps"] == sorted({s for s in steps if s % 2})
    rec.close()
    reader = recording.open(rec.folder)
    assert reader.export_agent_memory("a")["summary"]["active_steps"] == sorted(set(steps))


@pytest.mark.parametrize(
    "values",
    [[], [5], [3, 3, 1, 2, 2, 9], [1, 2, 2, 4, 7, 7, 7], [-4, 10**12, -4, 0]],
)
def test_distinct_is_unique_with_inverse(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    got, inverse = distinct(array)
    expected, expected_inverse = np.unique(array, return_inverse=True)
    assert got.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()


_POOL_PROBE = """
import sys
import pyarrow as pa
if sys.argv[1] == "system":
    pa.set_memory_pool(pa.system_memory_pool())
before = pa.default_memory_pool().backend_name
from palaver.recording import SimulationRecorder
SimulationRecorder(None, output_dir=None)
print(before, pa.default_memory_pool().backend_name)
"""


@pytest.mark.parametrize(
    ("variable", "program", "expected"),
    [
        (None, "default", "jemalloc"),  # mimalloc keeps what writing a part frees
        ("mimalloc", "default", "mimalloc"),  # the user's choice, by pyarrow's variable
        (None, "system", "system"),  # the program's own choice
    ],
)
def test_the_store_trades_mimalloc_for_jemalloc_unless_the_user_chose(
    variable: str | None, program: str, expected: str
) -> None:
    import os
    import subprocess
    import sys

    import pyarrow as pa

    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no jemalloc")
    env = {k: v for k, v in os.environ.items() if k != arrow_pool.VARIABLE}
    if variable is not None:
        env[arrow_pool.VARIABLE] = variable
    out = subprocess.run(
        [sys.executable, "-c", _POOL_PROBE, program],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if program == "default" and variable is None and out[0] != "mimalloc":
        pytest.skip(f"pyarrow's default pool here is {out[0]}, which the store keeps")
    assert out[1] == expected


_IMPORT_FIRST = """
import os
import palaver.recording
import pyarrow as pa
print(os.environ.get("ARROW_DEFAULT_MEMORY_POOL"), pa.default_memory_pool().backend_name)
"""


@pytest.mark.parametrize("variable", [None, "system"])
def test_importing_the_recorder_before_pyarrow_chooses_its_pool(variable: str | None) -> None:
    import os
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("the pool is chosen on Linux only")
    env = {k: v for k, v in os.environ.items() if k != arrow_pool.VARIABLE}
    if variable is not None:
        env[arrow_pool.VARIABLE] = variable
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_FIRST], env=env, capture_output=True, text=True, check=True
    )
    assert "Unsupported backend" not in out.stderr
    assert out.stdout.split() == ([variable] * 2 if variable else ["jemalloc", "jemalloc"])
