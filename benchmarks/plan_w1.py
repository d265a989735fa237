"""Workload 1, bare SAO: the jobs (interleaved rounds) and the table built from them.

Each round runs NegMAS, then Palaver without a sink, with a sink that records
every offer (the bar's sink) and with a sink that records every event (offers,
responses, start and end: twice the events), on the same seeds (round ``r``
uses seed ``1 + r``). NegMAS is slow, so it runs fewer
negotiations per round; throughput is per second, so the counts may differ and
are printed. Speed bars are judged on CPU time (what two shared cores give
least noisily); wall-clock figures are shown too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness import PALAVER, PEER, Job, Runner
from report import Row, Section


@dataclass(frozen=True)
class Sizes:
    """Negotiations per round on each side, and the number of rounds."""

    peer: int
    palaver: int
    rounds: int


# Five rounds: on this shared VM one Palaver run's CPU time varies by up to
# +-25%, and the totals over five alternated rounds vary far less.
FULL = Sizes(peer=100, palaver=2000, rounds=5)
QUICK = Sizes(peer=20, palaver=200, rounds=1)


def jobs(sizes: Sizes) -> list[Job]:
    """NegMAS, then Palaver with each kind of sink, round after round."""
    out = []
    for r in range(sizes.rounds):
        seed = str(1 + r)
        out += [
            Job(
                f"W1 round {r + 1} NegMAS",
                PEER,
                "w1_negmas.py",
                ("--n", str(sizes.peer), "--seed", seed),
            ),
            Job(
                f"W1 round {r + 1} Palaver (no sink)",
                PALAVER,
                "w1_palaver.py",
                ("--n", str(sizes.palaver), "--seed", seed, "--sink", "none"),
            ),
            Job(
                f"W1 round {r + 1} Palaver (sink of every offer)",
                PALAVER,
                "w1_palaver.py",
                ("--n", str(sizes.palaver), "--seed", seed, "--sink", "offers"),
            ),
            Job(
                f"W1 round {r + 1} Palaver (sink of every event)",
                PALAVER,
                "w1_palaver.py",
                ("--n", str(sizes.palaver), "--seed", seed, "--sink", "events"),
            ),
        ]
    return out


def total(results: list[dict[str, Any]]) -> dict[str, float] | None:
    """Summed counts and times over rounds; ``None`` if any round failed or none ran."""
    if not results or any("error" in r for r in results):
        return None
    keys = ("negotiations", "agreements", "total_rounds", "wall_s", "cpu_s", "events")
    t = {k: float(sum(r.get(k, 0) for r in results)) for k in keys}
    t["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
    t["agreement_rate"] = t["agreements"] / t["negotiations"]
    t["mean_rounds"] = t["total_rounds"] / t["negotiations"]
    t["negs_per_s"] = t["negotiations"] / t["wall_s"]
    t["negs_per_cpu_s"] = t["negotiations"] / t["cpu_s"]
    t["us_per_round"] = t["cpu_s"] / t["total_rounds"] * 1e6
    return t


def run(runner: Runner, quick: bool) -> Section:
    """Run the workload and build its table."""
    sizes = QUICK if quick else FULL
    results = runner.run_all(jobs(sizes))
    peer = total([r for r in results if r["job_side"] == PEER])
    bare = total([r for r in results if r["job_side"] == PALAVER and r.get("sink") == "none"])
    offers = total([r for r in results if r["job_side"] == PALAVER and r.get("sink") == "offers"])
    events = total([r for r in results if r["job_side"] == PALAVER and r.get("sink") == "events"])
    section = Section(
        "Workload 1: bare SAO (3 issues x 10 values, n_steps=100, Boulware)", "NegMAS 0.16.0"
    )
    for r in results:
        if "error" in r:
            section.notes.append(f"{r['label']} failed: {r['error']}")
    return table(section, peer, bare, offers, events)


def table(
    section: Section,
    peer: dict | None,
    bare: dict | None,
    offers: dict | None,
    events: dict | None,
) -> Section:
    """The rows of Workload 1 from the summed results.

    The 50x bar asks for "a sink recording every offer", judged on the sink
    that keeps every offer event; the sink that keeps every event (responses
    too) is shown beside it, unjudged.
    """

    def get(t: dict | None, k: str) -> float | None:
        return None if t is None else t[k]

    def adv(p: float | None, q: float | None, higher_better: bool = True) -> float | None:
        if p is None or q is None or p == 0 or q == 0:
            return None
        return p / q if higher_better else q / p

    section.add(
        Row("negotiations", get(bare, "negotiations"), get(peer, "negotiations"), "{:,.0f}")
    )
    section.add(
        Row("agreement rate", get(bare, "agreement_rate"), get(peer, "agreement_rate"), "{:.3f}")
    )
    section.add(Row("mean rounds", get(bare, "mean_rounds"), get(peer, "mean_rounds"), "{:.1f}"))
    ratio = adv(get(bare, "negs_per_cpu_s"), get(peer, "negs_per_cpu_s"))
    section.add(
        Row(
            "negotiations / CPU s (no sink)",
            get(bare, "negs_per_cpu_s"),
            get(peer, "negs_per_cpu_s"),
            "{:,.1f}",
            ratio,
            ">= 200x",
            None if ratio is None else ratio >= 200,
        )
    )
    section.add(
        Row(
            "negotiations / wall s (no sink)",
            get(bare, "negs_per_s"),
            get(peer, "negs_per_s"),
            "{:,.1f}",
            adv(get(bare, "negs_per_s"), get(peer, "negs_per_s")),
        )
    )
    section.add(
        Row(
            "us per round, CPU (no sink)",
            get(bare, "us_per_round"),
            get(peer, "us_per_round"),
            "{:,.1f}",
            adv(get(bare, "us_per_round"), get(peer, "us_per_round"), False),
        )
    )
    ratio = adv(get(offers, "negs_per_cpu_s"), get(peer, "negs_per_cpu_s"))
    section.add(
        Row(
            "negotiations / CPU s (sink of every offer)",
            get(offers, "negs_per_cpu_s"),
            get(peer, "negs_per_cpu_s"),
            "{:,.1f}",
            ratio,
            ">= 50x",
            None if ratio is None else ratio >= 50,
        )
    )
    section.add(
        Row(
            "negotiations / CPU s (sink of every event)",
            get(events, "negs_per_cpu_s"),
            get(peer, "negs_per_cpu_s"),
            "{:,.1f}",
            adv(get(events, "negs_per_cpu_s"), get(peer, "negs_per_cpu_s")),
        )
    )
    for name, t in (("every offer", offers), ("every event", events)):
        section.add(Row(f"events recorded (sink of {name})", get(t, "events"), None, "{:,.0f}"))
        section.add(Row(f"mean rounds (sink of {name})", get(t, "mean_rounds"), None, "{:.1f}"))
    section.add(Row("peak RSS MB", get(bare, "peak_rss_mb"), get(peer, "peak_rss_mb"), "{:,.0f}"))
    return section
