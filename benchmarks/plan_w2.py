"""Workload 2, TripsWorld: the jobs and the tables built from them.

For each size, Palaver runs several times without and with the recorder,
around one NegMAS run (NegMAS takes minutes). Palaver's figure is the median
of its runs; its memory the largest peak. The speed bar is judged on CPU time.
Palaver alone also runs a large world to show how cost grows.

A last pair of runs (10 agents, ``--reserved floor``: every reserved value at
the agent's lowest utility) checks that both sides do the same negotiation
work when no agent finds every deal worse than none; with the tutorial's
reserved value of 0, Palaver's aspiration negotiator ends such hopeless
negotiations at once while NegMAS's keeps offering (see README.md).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from harness import PALAVER, PEER, Job, Runner
from report import Row, Section


@dataclass(frozen=True)
class Sizes:
    """World sizes (agents, steps) on both sides, Palaver repetitions, Palaver-only sizes."""

    both: tuple[tuple[int, int], ...]
    palaver_only: tuple[tuple[int, int], ...]
    reps: int
    floor_check: tuple[int, int]


FULL = Sizes(both=((10, 20), (50, 20)), palaver_only=((500, 20),), reps=3, floor_check=(10, 20))
QUICK = Sizes(both=((10, 5), (20, 5)), palaver_only=((100, 5),), reps=2, floor_check=(10, 5))
MEMORY_BAR_MB = 200.0
MEMORY_BAR_AGENTS = 50


def world_args(agents: int, steps: int) -> tuple[str, ...]:
    """Arguments shared by both sides' scripts."""
    return ("--agents", str(agents), "--steps", str(steps), "--seed", "1")


def jobs_for(
    agents: int, steps: int, reps: int, extra: tuple[str, ...] = (), recorder: bool = True
) -> list[Job]:
    """Palaver (bare, and recorded if ``recorder``) before and after one NegMAS run."""
    args = (*world_args(agents, steps), *extra)
    name = f"W2 {agents}x{steps}{' ' + ' '.join(extra) if extra else ''}"

    def palaver_pair(i: int) -> list[Job]:
        pair = [Job(f"{name} Palaver #{i}", PALAVER, "w2_palaver.py", args)]
        if recorder:
            pair.append(
                Job(
                    f"{name} Palaver+recorder #{i}", PALAVER, "w2_palaver.py", (*args, "--recorder")
                )
            )
        return pair

    out = palaver_pair(1)
    out.append(Job(f"{name} NegMAS", PEER, "w2_negmas.py", args))
    for i in range(2, reps + 1):
        out += palaver_pair(i)
    return out


def summary(results: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Median times, largest memory and the first run's outcome statistics."""
    ok = [r for r in results if "error" not in r]
    if not ok:
        return None
    out = dict(ok[0])
    out["cpu_s"] = statistics.median(r["cpu_s"] for r in ok)
    out["wall_s"] = statistics.median(r["wall_s"] for r in ok)
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in ok)
    out["runs"] = len(ok)
    return out


def _adv(palaver: float | None, peer: float | None) -> float | None:
    """How many times smaller Palaver's figure is."""
    if palaver is None or peer is None or palaver <= 0:
        return None
    return peer / palaver


def _get(s: dict[str, Any] | None, key: str) -> Any:
    return None if s is None else s.get(key)


def _per_round(s: dict[str, Any] | None) -> float | None:
    """CPU microseconds per negotiation round: cost normalised by the work done."""
    if s is None or not s.get("total_rounds"):
        return None
    return s["cpu_s"] / s["total_rounds"] * 1e6


def size_table(agents: int, steps: int, results: list[dict[str, Any]], tag: str = "") -> Section:
    """One size's table: outcome statistics, time, memory, recorder overhead."""
    peer = summary([r for r in results if r["job_side"] == PEER])
    bare = summary(
        [
            r
            for r in results
            if r["job_side"] == PALAVER and not r.get("recorder") and "Palaver+" not in r["label"]
        ]
    )
    rec = summary([r for r in results if "Palaver+recorder" in r["label"]])
    s = Section(
        f"Workload 2: TripsWorld, {agents} agents x {steps} steps (quota 8, neg_n_steps=100)" + tag,
        "NegMAS 0.16.0",
    )
    for r in results:
        if "error" in r:
            s.notes.append(f"{r['label']} failed: {r['error']}")
    for key, label, spec in (
        ("requests", "negotiation requests", "{:,.0f}"),
        ("cancelled", "requests cancelled at the end", "{:,.0f}"),
        ("negotiations", "negotiations run", "{:,.0f}"),
        ("agreement_rate", "agreement rate", "{:.3f}"),
        ("mean_rounds", "mean rounds", "{:.1f}"),
        ("failed_within_2_rounds", "failed within 2 rounds", "{:,.0f}"),
        ("total_rounds", "negotiation rounds (total)", "{:,.0f}"),
    ):
        s.add(Row(label, _get(bare, key), _get(peer, key), spec))
    ratio = _adv(_get(bare, "cpu_s"), _get(peer, "cpu_s"))
    s.add(
        Row(
            "CPU s",
            _get(bare, "cpu_s"),
            _get(peer, "cpu_s"),
            "{:,.2f}",
            ratio,
            ">= 100x",
            None if ratio is None else ratio >= 100,
        )
    )
    s.add(
        Row(
            "wall s",
            _get(bare, "wall_s"),
            _get(peer, "wall_s"),
            "{:,.2f}",
            _adv(_get(bare, "wall_s"), _get(peer, "wall_s")),
        )
    )
    per_round = _adv(_per_round(bare), _per_round(peer))
    s.add(
        Row(
            "CPU us per negotiation round",
            _per_round(bare),
            _per_round(peer),
            "{:,.1f}",
            per_round,
            ">= 150x",
            None if per_round is None else per_round >= 150,
        )
    )
    mem = _get(bare, "peak_rss_mb")
    mem_bar = agents >= MEMORY_BAR_AGENTS
    s.add(
        Row(
            "peak RSS MB",
            mem,
            _get(peer, "peak_rss_mb"),
            "{:,.0f}",
            _adv(mem, _get(peer, "peak_rss_mb")),
            f"< {MEMORY_BAR_MB:.0f} MB" if mem_bar else "",
            None if mem is None or not mem_bar else mem < MEMORY_BAR_MB,
        )
    )
    if not any("Palaver+recorder" in r["label"] for r in results):
        return s
    s.add(Row("CPU s with recorder", _get(rec, "cpu_s"), None, "{:,.2f}"))
    if bare is not None and rec is not None:
        s.add(Row("recorder overhead", f"{(rec['cpu_s'] / bare['cpu_s'] - 1) * 100:+.0f}%"))
    s.add(Row("events recorded", _get(rec, "events"), None, "{:,.0f}"))
    s.add(Row("peak RSS MB with recorder", _get(rec, "peak_rss_mb"), None, "{:,.0f}"))
    return s


def alone_table(results: list[dict[str, Any]]) -> Section:
    """Palaver-only sizes: time, memory, outcome statistics."""
    s = Section("Workload 2: TripsWorld on Palaver alone (how cost grows)", "-")
    for r in results:
        if "error" in r:
            s.notes.append(f"{r['label']} failed: {r['error']}")
            continue
        tag = f"{r['agents']}x{r['steps']}" + (" +recorder" if r.get("recorder") else "")
        s.add(Row(f"{tag}: CPU s / wall s", f"{r['cpu_s']:,.2f} / {r['wall_s']:,.2f}"))
        s.add(Row(f"{tag}: peak RSS MB", r["peak_rss_mb"], None, "{:,.0f}"))
        s.add(
            Row(
                f"{tag}: negotiations / agreement rate / mean rounds",
                f"{r['negotiations']:,} / {r['agreement_rate']:.3f} / {r['mean_rounds']:.1f}",
            )
        )
    return s


def run(runner: Runner, quick: bool) -> list[Section]:
    """Run every size and build the tables."""
    sizes = QUICK if quick else FULL
    sections = []
    for agents, steps in sizes.both:
        results = runner.run_all(jobs_for(agents, steps, sizes.reps))
        sections.append(size_table(agents, steps, results))
    alone: list[dict[str, Any]] = []
    for agents, steps in sizes.palaver_only:
        args = world_args(agents, steps)
        alone += runner.run_all(
            [
                Job(f"W2 {agents}x{steps} Palaver", PALAVER, "w2_palaver.py", args),
                Job(
                    f"W2 {agents}x{steps} Palaver+recorder",
                    PALAVER,
                    "w2_palaver.py",
                    (*args, "--recorder"),
                ),
            ]
        )
    sections.append(alone_table(alone))
    agents, steps = sizes.floor_check
    floor = ("--reserved", "floor")
    results = runner.run_all(jobs_for(agents, steps, 2, floor, recorder=False))
    sections.append(size_table(agents, steps, results, ", same-work check: reserved = floor"))
    return sections
