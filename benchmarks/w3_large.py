"""Workload 3 at scale (Palaver alone): reading a long recording back.

Records ``--events`` events of the Workload 3 stream (the model without Mesa,
100 agents, the seed's defaults) into ``--folder`` (kept, so that the reads can
be timed again without recording again: pass ``--reuse``), closes the recorder,
opens the recording with ``palaver.recording.open`` and times, ``--rounds`` times
each and alternately: one agent's events read into a list (``list(reader.
get_agent_events(42))``, 1/100 of the events), a DuckDB count of events by agent
over the ``events`` view, and one step's events read into a list. Prints the
wall and CPU milliseconds of each round, their medians and the best.

Issue #11's bars on a 10,000,000-event recording: the agent's 100,000 events
under 500 ms, the count by agent under 250 ms.

    PYTHONPATH=src python benchmarks/w3_large.py --events 10000000 --folder /tmp/w3-large
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import palaver.recording as recording

from recorder_load import make_model, steps_for


def record(folder: Path, n_events: int) -> Path:
    """Record the stream into ``folder``; return the recording's own folder."""
    n_steps = steps_for(n_events, 100)
    model = make_model(100, n_steps, kind="plain")
    recorder = recording.SimulationRecorder(model, output_dir=str(folder))
    model.recorder = recorder
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(n_steps):
        model.step()
    t1, c1 = time.perf_counter(), time.process_time()
    recorder.close()
    t2, c2 = time.perf_counter(), time.process_time()
    print(
        f"recorded {len(recorder.events):,} events: {t1 - t0:.1f} s wall, {c1 - c0:.1f} s CPU; "
        f"close() (last part, stats, merging the parts): {t2 - t1:.1f} s wall, {c2 - c1:.1f} s CPU"
    )
    return only_recording(folder)


def only_recording(folder: Path) -> Path:
    """The one ``simulation_*`` folder inside ``folder``."""
    found = sorted(folder.glob("simulation_*"))
    if len(found) != 1:
        raise SystemExit(f"--folder {folder} must hold exactly one recording, found {len(found)}")
    return found[0]


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall ms, CPU ms and result of one call."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - t0) * 1e3, (time.process_time() - c0) * 1e3, out


def main() -> None:
    """Record (unless ``--reuse``), then time the reads."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--events", type=int, default=10_000_000)
    p.add_argument("--folder", type=Path, required=True)
    p.add_argument("--reuse", action="store_true", help="time the recording already there")
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    path = only_recording(args.folder) if args.reuse else record(args.folder, args.events)
    reader = recording.open(path)
    parts = len(list((path / "events").glob("part-*.parquet")))
    print(f"{len(reader):,} events in {path} ({parts} parts)")
    reads: dict[str, Callable[[], Any]] = {
        "agent 42's events as a list": lambda: len(list(reader.get_agent_events(42))),
        "DuckDB count by agent": lambda: len(
            reader.sql("SELECT agent_id, count(*) FROM events GROUP BY agent_id").fetchall()
        ),
        "step 500's events as a list": lambda: len(list(reader.get_events_by_step(500))),
    }
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in reads}
    sizes: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, fn in reads.items():
            wall, cpu, size = timed(fn)
            figures[name].append((wall, cpu))
            sizes[name] = size
    for name, rounds in figures.items():
        walls = [w for w, _ in rounds]
        cpus = [c for _, c in rounds]
        print(
            f"{name} ({sizes[name]:,} rows): wall ms median {statistics.median(walls):.0f} "
            f"best {min(walls):.0f}; CPU ms median {statistics.median(cpus):.0f} "
            f"best {min(cpus):.0f}; rounds {[round(w) for w in walls]}"
        )


if __name__ == "__main__":
    main()
