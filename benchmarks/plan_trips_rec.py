"""TripsWorld + recorder: the CPU a recorder adds to a 50-agent TripsWorld.

Both sides are Palaver: the world alone and the same world with a recorder
keeping every event (offers and responses included). They alternate, three
runs each; each side's figure is its median, and the bar is judged on CPU
time: the recorder may add at most 50% to the world's.
"""

from __future__ import annotations

import statistics
from typing import Any

from harness import PALAVER, Job, Runner
from report import Row, Section

RUNS = 3
BAR_PERCENT = 50.0


def jobs(steps: int) -> list[Job]:
    """The world alone and with a recorder, alternating."""
    args = ("--agents", "50", "--steps", str(steps))
    out = []
    for i in range(1, RUNS + 1):
        out.append(
            Job(f"Trips alone #{i}", PALAVER, "trips_recorder.py", ("--recorder", "none", *args))
        )
        out.append(
            Job(
                f"Trips + recorder #{i}",
                PALAVER,
                "trips_recorder.py",
                ("--recorder", "palaver", *args),
            )
        )
    return out


def _median(results: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in results if "error" not in r and r.get(key) is not None]
    return statistics.median(values) if values else None


def run(runner: Runner, quick: bool) -> Section:
    """Run the jobs and build the table."""
    steps = 5 if quick else 20
    results = runner.run_all(jobs(steps))
    alone = [r for r in results if r.get("side") == "none"]
    recorded = [r for r in results if r.get("side") == "palaver"]
    s = Section(f"TripsWorld + recorder: 50 agents, {steps} steps", "world alone")
    for r in results:
        if "error" in r:
            s.notes.append(f"{r['label']} failed: {r['error']}")
    cpu_rec, cpu_alone = _median(recorded, "cpu_s"), _median(alone, "cpu_s")
    s.add(Row("CPU s (median of 3)", cpu_rec, cpu_alone, "{:,.2f}"))
    s.add(
        Row(
            "wall s (median of 3)", _median(recorded, "wall_s"), _median(alone, "wall_s"), "{:,.2f}"
        )
    )
    added = None if cpu_rec is None or not cpu_alone else (cpu_rec / cpu_alone - 1) * 100
    s.add(
        Row(
            "CPU added by the recorder %",
            added,
            None,
            "{:,.0f}",
            None,
            f"<= {BAR_PERCENT:g}%",
            None if added is None else added <= BAR_PERCENT,
        )
    )
    events = _median(recorded, "events")
    s.add(Row("events recorded", events, None, "{:,.0f}"))
    if events and cpu_rec is not None and cpu_alone is not None:
        s.add(
            Row(
                "recorder's CPU us per event", (cpu_rec - cpu_alone) / events * 1e6, None, "{:,.2f}"
            )
        )
    for key in ("negotiations", "signed", "executed"):
        s.add(
            Row(
                f"{key} (same on both sides)",
                _median(recorded, key),
                _median(alone, key),
                "{:,.0f}",
            )
        )
    s.add(
        Row(
            "peak RSS MB",
            _median(recorded, "peak_rss_mb"),
            _median(alone, "peak_rss_mb"),
            "{:,.0f}",
        )
    )
    return s
