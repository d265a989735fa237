"""``palaver negotiate --scenario PATH``: one negotiation on an imported scenario, judged."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from palaver.mechanisms import SAOMechanism


def negotiate_scenario(
    path: Path,
    seed: int,
    steps: int,
    strategy: str,
    opponent: str,
    console: Console,
    summary_only: bool = False,
) -> SAOMechanism:
    """Run ``strategy`` (first utility function, opens) against ``opponent`` on the scenario.

    Prints every offer (unless ``summary_only``), the result, each party's
    utility and advantage, and the distances of the outcome's utility vector
    (without agreement the disagreement point: the reserved values, a party's
    worst utility for a reserved value of -inf) to
    the Pareto frontier and the Nash, Kalai and Kalai-Smorodinsky points.
    """
    from palaver.cli.negotiate import STRATEGIES, trace_table, traced_mechanism
    from palaver.scenarios import Scenario
    from palaver.scenarios.stats import disagreement
    from palaver.tournaments.negotiation.scenario_info import advantage

    scenario = Scenario.load(path)
    if scenario.n_negotiators != 2:
        raise ValueError(
            f"{path}: --scenario runs bilateral negotiations; this scenario has "
            f"{scenario.n_negotiators} utility functions"
        )
    names = scenario.ufun_names
    mechanism, sink = traced_mechanism(scenario.outcome_space, steps, seed, f"scenario-{seed}")
    for name, label, ufun in zip(names, (strategy, opponent), scenario.ufuns, strict=True):
        mechanism.add(STRATEGIES[label](name, ufun))
    state = mechanism.run()
    if not summary_only:
        title = f"{strategy} ({names[0]}) vs {opponent} ({names[1]}), seed {seed}, {steps} rounds"
        ufuns = dict(zip(names, scenario.ufuns, strict=True))
        console.print(trace_table(escape(title), scenario.outcome_space, sink, ufuns))
    stats = scenario.stats
    reserved = np.array(scenario.reserved_values, dtype=float)
    # Without agreement each party is at its disagreement point: its reserved
    # value, or its worst utility when that is -inf (as the tournaments score it).
    reference = disagreement(scenario.reserved_values, scenario.utilities)
    if state.agreement is not None:
        utils = np.array([float(u(state.agreement)) for u in scenario.ufuns])
        at = utils
        what = f"[bold green]agreement[/] after {state.step} rounds: {escape(str(state.agreement))}"
    else:
        utils, at = reserved, reference
        what = f"[bold red]no agreement[/] ({state.result}) after {state.step} rounds"
    console.print(f"{escape(scenario.name)} ({scenario.n_outcomes} outcomes): {what}")
    parties = Table(title="Parties")
    for column in ("utility function", "strategy", "utility", "reserved", "advantage"):
        parties.add_column(column, justify="left" if column != "utility" else "right")
    for i, label in enumerate((strategy, opponent)):
        adv = advantage(float(at[i]), float(reference[i]), stats.utility_ranges[i][1])
        r = reserved[i]
        parties.add_row(Text(str(names[i])), label, f"{utils[i]:.4f}", f"{r:.4f}", f"{adv:.4f}")
    console.print(parties)
    distances = Table(title="Distance of the result to")
    distances.add_column("point")
    distances.add_column("utilities", justify="right")
    distances.add_column("distance", justify="right")
    pareto = float(stats.pareto_distance(at)) if len(stats.pareto_utils) else math.nan
    distances.add_row("Pareto frontier", "-", f"{pareto:.4f}")
    for label, point in (
        ("Nash", stats.nash),
        ("Kalai", stats.kalai),
        ("Kalai-Smorodinsky", stats.kalai_smorodinsky),
    ):
        if point is None:
            distances.add_row(label, "none (no rational outcome)", "-")
            continue
        u = np.asarray(point.utilities, dtype=float)
        d = float(np.sqrt(((at - u) ** 2).sum()))
        distances.add_row(label, ", ".join(f"{x:.3f}" for x in u), f"{d:.4f}")
    console.print(distances)
    return mechanism
