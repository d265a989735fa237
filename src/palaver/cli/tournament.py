"""The ``palaver tournament`` commands: ``run`` a tournament, ``show`` its ranking."""

from __future__ import annotations

import math
import os
import stat
import sys
import warnings
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from palaver.cli.errors import FAILURE, USAGE, print_error
from palaver.tournaments import (
    ExecutorUnavailableError,
    TournamentConfigError,
    TournamentFolderError,
    TournamentResults,
    TournamentWarning,
    load_results,
    run_tournament,
    standings,
    win_rates,
)


def _fail(exc: Exception) -> typer.Exit:
    """Print ``exc`` as an error line (no traceback: the message says what is wrong)."""
    print_error(" ".join(str(exc).split()))
    return typer.Exit(code=USAGE)


def shipped_configs() -> dict[str, Path]:
    """Tournament configs that ship with Palaver, by name (``trips`` -> its TOML file)."""
    folder = resources.files("palaver.examples") / "configs"
    if not folder.is_dir():
        return {}
    return {
        entry.name.removesuffix(".toml"): Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    }


def _kind(path: Path) -> str:
    if path.is_dir():
        return "a folder"
    mode = path.stat().st_mode
    return "a FIFO" if stat.S_ISFIFO(mode) else "a socket or device"


def _config_source(config: str) -> str:
    """A shipped config's file for a bare name; a file or a dotted name as given.

    A bare shipped name wins over a folder of that name in the working folder
    (``palaver run trips --record trips`` makes one); anything else at the path
    that is not a regular file (a folder, a FIFO: reading one would wait for a
    writer forever) is refused with a line saying what it is.
    """
    path = Path(config)
    shipped = shipped_configs()
    if path.is_file():
        return config
    if config in shipped:
        return str(shipped[config])
    if path.exists():
        raise TournamentConfigError(
            f"tournament config {config!r} is {_kind(path)}, not a file; give a TOML file, "
            f"a shipped config's name ({', '.join(sorted(shipped))}) or a dotted name "
            "'module:attr'"
        )
    if ":" in config or "." in config:
        return config
    raise TournamentConfigError(
        f"no tournament config {config!r}: not a file, not a dotted name, and not one of "
        f"the shipped configs {sorted(shipped)}"
    )


def import_from_working_folder() -> None:
    """Let a config name modules of the working folder (``my_agents:Trader``).

    ``python -m`` and ``python script.py`` make that folder importable; a console
    script such as ``palaver`` does not, so a config naming a module next to it
    failed with "No module named ...". The folder is appended to ``sys.path``,
    so it never shadows the standard library or an installed package, and the
    worker processes, which start with this ``sys.path``, import the same way.
    """
    here = os.getcwd()
    if "" not in sys.path and here not in sys.path:
        sys.path.append(here)


def _number(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3f}"


def show_results(results: TournamentResults, failures: bool = False) -> None:
    """Print a tournament's counts, ranking and pairwise win matrix."""
    console = Console()
    counts = results.counts()
    console.print(
        f"[bold]Tournament {escape(repr(results.manifest['name']))}[/] "
        f"({escape(str(results.root))}): "
        f"{counts['planned']} worlds planned, [green]{counts['done']} done[/], "
        f"[red]{counts['failed']} failed[/], [yellow]{counts['timed_out']} timed out[/], "
        f"{counts['missing']} not run yet; root seed {results.manifest['root_seed']}"
    )
    problems = results.problems()
    if problems:
        console.print(
            f"[yellow]{len(problems)} world(s) have incomplete results[/] (not ranked; "
            "running the tournament again re-runs those it plans):"
        )
        for world, why in sorted(problems.items())[:10]:
            console.print(f"  {world}: {escape(why)}")
    scores = results.table("scores")
    if scores.num_rows == 0:
        console.print("No finished world yet: nothing to rank.")
    else:
        ranking = Table(title="Ranking: mean score per world, 95% confidence interval")
        for column in ("rank", "competitor", "mean", "95% CI", "worlds", "agents"):
            ranking.add_column(column, justify="left" if column == "competitor" else "right")
        for rank, s in enumerate(standings(scores), start=1):
            interval = escape(f"[{_number(s.ci_low)}, {_number(s.ci_high)}]")
            ranking.add_row(
                str(rank),
                escape(s.competitor),
                _number(s.mean),
                interval,
                str(s.n_worlds),
                str(s.n_agents),
            )
        console.print(ranking)
        order, rates = win_rates(scores)
        # A table's title wraps to the table's width: three lines over a narrow matrix.
        console.print("Win matrix: share of shared worlds in which the row beat the column")
        matrix = Table()
        matrix.add_column("")
        for name in order:
            matrix.add_column(escape(name), justify="right")
        for name, row in zip(order, rates, strict=True):
            matrix.add_row(escape(name), *(_number(float(v)) for v in row))
        console.print(matrix)
    worlds = results.table("worlds").to_pydict()
    unfinished = [
        (world, status, error or "")
        for world, status, error in zip(
            worlds["world_id"], worlds["status"], worlds["error"], strict=True
        )
        if status != "done"
    ]
    if unfinished and failures:
        for world, status, error in unfinished:
            last_line = error.strip().splitlines()[-1] if error.strip() else ""
            console.print(f"[red]{world}[/] {status}: {escape(last_line)}")
    elif unfinished:
        console.print(f"{len(unfinished)} world(s) did not finish; --failures lists them.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    group = typer.Typer(
        help="Run many worlds over competitors, configurations and seeds; rank the agents. "
        "A tournament config is code (it names classes and functions that are run).",
        no_args_is_help=True,
    )

    @group.command("run")
    def run(
        config: Annotated[
            str,
            typer.Argument(
                help="A TOML file, the name of a shipped config (e.g. 'trips'), or a dotted "
                "name 'module:attr' of a TournamentConfig (or a function returning one).",
            ),
        ],
        out: Annotated[Path, typer.Option("--out", "-o", help="The results folder.")],
        executor: Annotated[
            str, typer.Option("--executor", "-e", help="serial, process or ray.")
        ] = "process",
        workers: Annotated[
            int | None,
            typer.Option(
                "--workers", "-w", help="Worker processes / Ray slots (default: all CPUs)."
            ),
        ] = None,
        address: Annotated[
            str | None,
            typer.Option("--address", help="Ray cluster address (default: start a local Ray)."),
        ] = None,
        overwrite: Annotated[
            bool,
            typer.Option(
                "--overwrite", help="Replace a different tournament in the results folder."
            ),
        ] = False,
        record: Annotated[
            bool,
            typer.Option(
                "--record", help="Keep each world's full recording under OUT/recordings/."
            ),
        ] = False,
        retry_failed: Annotated[
            bool,
            typer.Option(
                "--retry-failed",
                help="Also re-run failed and timed-out worlds (negotiation files: the batches "
                "holding a negotiation that ended in an error or hung).",
            ),
        ] = False,
        progress: Annotated[
            bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")
        ] = True,
        allow: Annotated[
            list[str] | None,
            typer.Option(
                "--allow",
                help="Only let the config name classes and functions from this package "
                "(repeat for several; Palaver's own are always allowed).",
            ),
        ] = None,
    ) -> None:
        """Run a tournament into OUT (re-running on the same OUT resumes it), then rank.

        A config is code: the modules it names are imported and its classes and
        functions are run, so run only configs you trust, or list the packages it
        may use with --allow. Everything is checked before any world runs; the
        exit status is 1 when a world failed or timed out.
        """
        if workers is not None and workers < 1:
            raise _fail(ValueError(f"--workers {workers}: must be at least 1"))
        for package in allow or ():
            # An empty or dotted-path-like value allowed nothing and said nothing.
            if not all(part.isidentifier() for part in package.split(".")):
                raise _fail(
                    ValueError(f"--allow {package!r}: must be a package name like 'mypackage'")
                )
        from palaver.tournaments.negotiation.config import is_negotiation_config

        import_from_working_folder()
        if out.exists() and not out.is_dir():
            kind = "a file" if out.is_file() else _kind(out)
            raise _fail(ValueError(f"--out {out}: is {kind}; give the results folder"))
        try:
            source = _config_source(config)
        except TournamentConfigError as exc:
            raise _fail(exc) from exc
        if is_negotiation_config(source):
            from palaver.cli.negotiation_tournament import run_negotiation_file

            # Options of world tournaments only: accepted and dropped, they would
            # leave a user waiting for recordings, a cluster or a fresh folder.
            unused = {
                "--address": address is not None,
                "--overwrite": overwrite,
                "--record": record,
            }
            for option, given in unused.items():
                if given:
                    raise _fail(
                        ValueError(
                            f"{option}: not an option of a negotiation tournament ({source} "
                            "declares [negotiation]); it applies to world tournaments only"
                        )
                    )

            try:
                run_negotiation_file(
                    source, out, executor, workers, progress, allow or None, retry_failed
                )
            except (ValueError, TournamentFolderError, ExecutorUnavailableError) as exc:
                raise _fail(exc) from exc
            return
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", TournamentWarning)
            try:
                results = run_tournament(
                    source,
                    out,
                    executor=executor,
                    workers=workers,
                    address=address,
                    overwrite=overwrite,
                    record=record,
                    retry_failed=retry_failed,
                    progress=progress,
                    allowed_packages=allow or None,
                )
            except (ValueError, TournamentFolderError, ExecutorUnavailableError) as exc:
                # ValueError covers TournamentConfigError and bad executor arguments.
                raise _fail(exc) from exc
        for warning in caught:
            if issubclass(warning.category, TournamentWarning):
                Console(stderr=True).print(f"[yellow]warning:[/] {escape(str(warning.message))}")
        show_results(results)
        counts = results.counts()
        if counts["failed"] or counts["timed_out"]:
            print_error(
                f"{counts['failed']} world(s) failed and {counts['timed_out']} timed out; "
                f"palaver tournament show {out} --failures lists why"
            )
            raise typer.Exit(FAILURE)

    @group.command("show")
    def show(
        folder: Annotated[Path, typer.Argument(help="A tournament results folder.")],
        failures: Annotated[
            bool, typer.Option("--failures", help="List the worlds that failed or timed out.")
        ] = False,
    ) -> None:
        """Print a tournament's ranking (mean, 95% CI, worlds) and pairwise win matrix."""
        from palaver.cli.negotiation_tournament import (
            is_negotiation_folder,
            show_negotiation_results,
        )

        if not folder.exists():
            # Something asked for does not exist: a failure (1), as inspect, report,
            # export and verify say; "holds no tournament" (2) suggested a folder.
            print_error(f"{folder} does not exist")
            raise typer.Exit(FAILURE)
        if not folder.is_dir():
            kind = "a file" if folder.is_file() else _kind(folder)
            raise _fail(ValueError(f"{folder} is {kind}, not a tournament results folder"))
        held = sorted(p for p in folder.glob("simulation_*") if (p / "events").is_dir())
        if held and not (folder / "manifest.json").exists():
            raise _fail(
                ValueError(
                    f"{folder} holds a recording ({held[0].name}), not a tournament; look "
                    f"at it with: palaver inspect {folder}"
                )
            )
        try:
            if is_negotiation_folder(folder):
                from palaver.tournaments.negotiation import load_negotiation_results

                show_negotiation_results(load_negotiation_results(str(folder)), failures)
                return
            results = load_results(folder)
        except (TournamentFolderError, ValueError) as exc:
            raise _fail(exc) from exc
        show_results(results, failures)

    app.add_typer(group, name="tournament")
