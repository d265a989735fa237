"""The ``palaver run`` command: run a shipped world and print a summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from palaver.examples import WORLDS


def _summary(world: object, elapsed: float, out: Path | None) -> None:
    totals = world.totals  # type: ignore[attr-defined]
    console = Console()
    overview = Table(title=f"{world.name}: {world.n_steps} steps, seed {world.seed}")  # type: ignore[attr-defined]
    overview.add_column("measure")
    overview.add_column("value", justify="right")
    requested = totals["n_negotiations_requested"]
    started = totals["n_negotiations_started"]
    agreements = totals["n_negotiations_succeeded"]
    rows = [
        ("negotiations requested", requested),
        ("negotiations run", started),
        ("agreements", agreements),
        ("agreement rate", f"{agreements / started:.1%}" if started else "-"),
        ("contracts signed", totals["n_contracts_signed"]),
        ("contracts executed", totals["n_contracts_executed"]),
        ("contracts breached", totals["n_contracts_breached"]),
        ("contracts still due at the end", totals["n_contracts_unexecuted"]),
        ("breaches", totals["n_breaches"]),
        ("status", world.status),  # type: ignore[attr-defined]
        ("wall time", f"{elapsed:.2f} s"),
    ]
    for label, value in rows:
        overview.add_row(label, str(value))
    console.print(overview)
    scores = Table(title="total utility per agent")
    scores.add_column("agent")
    scores.add_column("type")
    scores.add_column("total utility", justify="right")
    agents = world.agents  # type: ignore[attr-defined]
    ranked = sorted(world.scores().items(), key=lambda kv: -kv[1])  # type: ignore[attr-defined]
    for aid, score in ranked:
        scores.add_row(aid, type(agents[aid]).__name__, f"{score:.3f}")
    console.print(scores)
    if out is not None:
        console.print(f"logs and stats written to {out}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command("run")
    def run(
        world: Annotated[str, typer.Argument(help=f"The world to run: one of {sorted(WORLDS)}.")],
        agents: Annotated[int, typer.Option("--agents", "-a", min=2, help="Agents.")] = 10,
        steps: Annotated[int, typer.Option("--steps", "-s", min=1, help="Steps.")] = 20,
        seed: Annotated[
            int | None, typer.Option("--seed", help="Seed (random if omitted).")
        ] = None,
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="Folder for logs, records and stats.")
        ] = None,
    ) -> None:
        """Run a shipped world and print negotiations, contracts, breaches and utilities."""
        builder = WORLDS.get(world)
        if builder is None:
            raise typer.BadParameter(f"unknown world {world!r}; choose from {sorted(WORLDS)}")
        options = {"log_folder": str(out)} if out is not None else {}
        instance = builder(agents, steps, seed, **options)
        start = time.perf_counter()
        instance.run()
        _summary(instance, time.perf_counter() - start, out)
