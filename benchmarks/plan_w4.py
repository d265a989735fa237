"""Workload 4, an ANL-2024-sized negotiation tournament: jobs and table.

Palaver runs the whole tournament (9,000 negotiations) twice: recording every
negotiation's outcome, then every offer too; the first run writes the sample of
negotiations (scenario, pairing, ``n_steps``) that NegMAS then runs with its
``cartesian_tournament``. CPU time per negotiation is compared on that same
sample: each sampled negotiation's own CPU time on Palaver's side plus an equal
share of everything else the tournament spent (planning, scenario statistics,
rankings, recording, writing), so that all negotiations add up to the
tournament's whole CPU time, against NegMAS's CPU time per sampled
negotiation (each a whole ``cartesian_tournament`` call; NegMAS's fixed cost
of such a call, measured with ``n_steps=1``, is shown beside it). Agreement
rates and mean rounds are shown per pairing on the sample (the strategies are
each framework's own, so they may differ) and for Palaver's whole tournament.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from harness import PALAVER, PEER, RESULTS_DIR, Job, Runner
from report import Row, Section

FULL = {"scenarios": 50, "reps": 5, "sample": 4}
QUICK = {"scenarios": 5, "reps": 1, "sample": 1}


def _sample_cpu(rows: list[dict[str, Any]], n: int) -> float:
    return sum(r["cpu_s"] for r in rows[:n]) / max(1, min(n, len(rows)))


def run(runner: Runner, quick: bool) -> Section:
    """Run the workload and build its table."""
    size = QUICK if quick else FULL
    sample = RESULTS_DIR / "w4_sample.json"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    common = ("--scenarios", str(size["scenarios"]), "--reps", str(size["reps"]))
    outcomes = runner.run(
        Job(
            "W4 Palaver (outcomes)",
            PALAVER,
            "w4_palaver.py",
            (
                *common,
                "--detail",
                "outcomes",
                "--sample-out",
                str(sample),
                "--sample-batches",
                str(size["sample"]),
            ),
        )
    )
    peer = runner.run(
        Job(
            "W4 NegMAS (sample)",
            PEER,
            "w4_negmas.py",
            (
                "--sample",
                str(sample),
                "--scenarios",
                str(size["scenarios"]),
            ),
        )
    )
    offers = runner.run(
        Job("W4 Palaver (every offer)", PALAVER, "w4_palaver.py", (*common, "--detail", "offers"))
    )
    section = Section(
        f"Workload 4: negotiation tournament ({size['scenarios']} scenarios x 36 pairings x "
        f"{size['reps']} repetitions, n_steps log-uniform in [10, 10000])",
        "NegMAS 0.16.0",
    )
    for r in (outcomes, peer, offers):
        if "error" in r:
            section.notes.append(f"{r['label']} failed: {r['error']}")
    return table(section, outcomes, peer, offers, size["sample"])


def _ok(r: dict[str, Any]) -> bool:
    return "error" not in r


def table(
    section: Section, outcomes: dict[str, Any], peer: dict[str, Any], offers: dict[str, Any], n: int
) -> Section:
    """The rows of Workload 4."""
    o = outcomes if _ok(outcomes) else None
    p = peer if _ok(peer) else None
    f = offers if _ok(offers) else None
    k = len(p["sample"]) if p else n * 36
    section.add(Row("negotiations in the tournament", o and o["negotiations"], None, "{:,.0f}"))
    section.add(Row("negotiations in the sample", k, p and p["negotiations"], "{:,.0f}"))
    if o and p:
        mine = o["sample"][:k]
        section.add(
            Row(
                "sample: agreement rate",
                sum(r["agreement"] for r in mine) / k,
                p["agreement_rate"],
                "{:.3f}",
            )
        )
        section.add(
            Row(
                "sample: mean rounds",
                sum(r["rounds"] for r in mine) / k,
                p["mean_rounds"],
                "{:.1f}",
            )
        )
        section.add(
            Row(
                "sample: mean n_steps",
                sum(r["n_steps"] for r in mine) / k,
                sum(r["n_steps"] for r in p["sample"]) / k,
                "{:,.0f}",
            )
        )
    for label, t, bar in (("outcomes recorded", o, 150), ("every offer recorded", f, 100)):
        mine_cpu = _sample_cpu(t["sample"], k) * 1e3 if t else None
        peer_cpu = p["cpu_s"] / p["negotiations"] * 1e3 if p else None
        ratio = peer_cpu / mine_cpu if mine_cpu and peer_cpu else None
        section.add(
            Row(
                f"CPU ms per sampled negotiation ({label})",
                mine_cpu,
                peer_cpu,
                "{:,.2f}",
                ratio,
                f">= {bar}x",
                None if ratio is None else ratio >= bar,
            )
        )
    if p:
        section.add(
            Row(
                "NegMAS: CPU ms per negotiation of a batch run with n_steps=1 (its fixed cost)",
                None,
                p["fixed_call_cpu_s"] * 1e3,
                "{:,.1f}",
            )
        )
    if o:
        section.add(
            Row(
                "Palaver: CPU ms per negotiation outside the negotiations (planning, "
                "statistics, writing)",
                o["overhead_ms_per_negotiation"],
                None,
                "{:,.3f}",
            )
        )
        section.add(
            Row(
                "whole tournament: agreement rate / mean rounds",
                f"{o['agreement_rate']:.3f} / {o['mean_rounds']:.1f}",
                None,
                "{}",
            )
        )
    for label, t in (("outcomes recorded", o), ("every offer recorded", f)):
        if t:
            section.add(Row(f"whole tournament CPU s ({label})", t["cpu_s"], None, "{:,.1f}"))
    if f:
        ok = f["negotiations"] >= 9000 and f["cpu_s"] < 40
        section.add(
            Row(
                "whole tournament, every offer: CPU s (9,000 negotiations)",
                f["cpu_s"],
                None,
                "{:,.1f}",
                None,
                "< 40 s",
                ok if f["negotiations"] >= 9000 else None,
            )
        )
        section.add(
            Row(
                "offers recorded / folder MB / SQL count(*) s",
                f"{f['offers']:,} / {f['folder_mb']:.1f} / {f['offers_query_s']:.3f}",
                None,
                "{}",
            )
        )
    if o and p:
        mine: dict[str, list[dict[str, Any]]] = defaultdict(list)
        theirs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in o["sample"][:k]:
            mine[r["partners"]].append(r)
        for r in p["sample"]:
            theirs[r["partners"]].append(r)
        for pairing in sorted(mine):
            a, b = mine[pairing], theirs.get(pairing, [])
            section.add(
                Row(
                    f"sample {pairing}: agreement rate / mean rounds",
                    f"{sum(r['agreement'] for r in a) / len(a):.2f} / "
                    f"{sum(r['rounds'] for r in a) / len(a):.0f}",
                    f"{sum(r['agreement'] for r in b) / len(b):.2f} / "
                    f"{sum(r['rounds'] for r in b) / len(b):.0f}"
                    if b
                    else None,
                    "{}",
                )
            )
    return section
