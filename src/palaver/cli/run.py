"""The ``palaver run`` command: run a shipped world, optionally record it, print a summary."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from palaver.cli.errors import MAX_SEED, check_range, fail
from palaver.examples import WORLDS

#: The largest --agents and --steps: beyond these a run would not end in a sitting
#: (an unbounded value was accepted and the command hung building the agents).
MAX_AGENTS = 1_000
MAX_STEPS = 100_000


def _summary(world: Any, elapsed: float, out: Path | None, recording: Path | None) -> None:
    totals = world.totals
    console = Console()
    overview = Table(title=f"{world.name}: {world.n_steps} steps, seed {world.seed}")
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
        ("status", world.status),
        ("wall time", f"{elapsed:.2f} s"),
    ]
    for label, value in rows:
        overview.add_row(label, str(value))
    console.print(overview)
    scores = Table(title="total utility per agent")
    scores.add_column("agent")
    scores.add_column("type")
    scores.add_column("total utility", justify="right")
    agents = world.agents
    ranked = sorted(world.scores().items(), key=lambda kv: -kv[1])
    for aid, score in ranked:
        scores.add_row(aid, type(agents[aid]).__name__, f"{score:.3f}")
    console.print(scores)
    # Paths are the user's text, not rich markup: a folder "r[/]" raised MarkupError.
    if out is not None:
        console.print(
            f"logs and stats written to {escape(str(out))} (text logs; --record DIR records events)"
        )
    if recording is not None:
        where = escape(str(recording))
        console.print(f"recording: {where}", soft_wrap=True)
        console.print(f"look at it:  palaver inspect {where}", soft_wrap=True)
        console.print(f"report:      palaver report {where} -o report.html", soft_wrap=True)


def _check_folder(option: str, folder: Path) -> None:
    """Refuse a path that exists as a file; a missing folder is created now
    (with parents), so a folder that cannot be made or written is refused
    before the run, naming the option."""
    if folder.exists() and not folder.is_dir():
        fail(f"{option} {folder}: is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"{option} {folder}: cannot create the folder ({exc.strerror or exc})")
    if not os.access(folder, os.W_OK | os.X_OK):
        fail(f"{option} {folder}: the folder is not writable")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command("run")
    def run(
        world: Annotated[str, typer.Argument(help=f"The world to run: one of {sorted(WORLDS)}.")],
        agents: Annotated[
            int, typer.Option("--agents", "-a", help=f"Agents (2 to {MAX_AGENTS}).")
        ] = 10,
        steps: Annotated[
            int, typer.Option("--steps", "-s", help=f"Steps (1 to {MAX_STEPS}).")
        ] = 20,
        seed: Annotated[
            int | None,
            typer.Option("--seed", help="Seed, 0 to 2^63-1 (random if omitted)."),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="Folder for the world's text logs and stats."),
        ] = None,
        record: Annotated[
            Path | None,
            typer.Option(
                "--record",
                "-r",
                help="Record every event into a recording under this folder "
                "(for palaver inspect / export / report).",
            ),
        ] = None,
    ) -> None:
        """Run a shipped world and print negotiations, contracts, breaches and utilities."""
        builder = WORLDS.get(world)
        if builder is None:
            fail(f"unknown world {world!r}; choose from {sorted(WORLDS)}")
        check_range("--agents", agents, 2, MAX_AGENTS)
        check_range("--steps", steps, 1, MAX_STEPS)
        check_range("--seed", seed, 0, MAX_SEED)
        for option, folder in (("--out", out), ("--record", record)):
            if folder is not None:
                _check_folder(option, folder)
        options = {"log_folder": str(out)} if out is not None else {}
        try:
            instance = builder(agents, steps, seed, **options)
        except FileExistsError:
            fail(
                f"--out {out}: the folder already holds a run's files (this run's records "
                "would be mixed with them); remove them or choose another folder"
            )
        recorder = None
        if record is not None:
            from palaver.recording import SimulationRecorder

            recorder = SimulationRecorder(instance, output_dir=record)
        start = time.perf_counter()
        try:
            instance.run()
        finally:
            if recorder is not None:
                recorder.close()
        folder = Path(recorder.folder) if recorder is not None and recorder.folder else None
        _summary(instance, time.perf_counter() - start, out, folder)
