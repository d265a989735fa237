"""``palaver tournament run|show`` for negotiation tournaments (``[negotiation]`` TOML files)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def is_negotiation_folder(folder: Path) -> bool:
    """Whether ``folder`` holds a negotiation tournament, damaged or not (see
    :func:`palaver.tournaments.negotiation.folder.is_negotiation_folder`)."""
    from palaver.tournaments.negotiation.folder import is_negotiation_folder as holds

    return holds(folder)


def run_negotiation_file(
    config: str,
    out: Path,
    executor: str,
    workers: int | None,
    progress: bool,
    allowed_packages: list[str] | None = None,
    retry_failed: bool = False,
) -> Any:
    """Run the tournament a ``[negotiation]`` TOML file declares into ``out``; show it.

    ``allowed_packages`` (``--allow``): the packages its competitors may come from.
    ``retry_failed`` (``--retry-failed``): when ``out`` holds this tournament
    already, run again every finished batch with a negotiation that ended in an
    error or hung (``rerun=["error", "hung"]``). Not ``"timeout"``: a
    negotiation that reached its deadline without agreement is a result, and
    played again from the same seeds it ends the same way at every resume.
    """
    from palaver.tournaments.negotiation import cartesian_tournament
    from palaver.tournaments.negotiation.config import load_negotiation_config

    kwargs = load_negotiation_config(config, allowed_packages)
    rerun = ["error", "hung"] if retry_failed else []
    results = cartesian_tournament(
        **kwargs, path=out, executor=executor, workers=workers, progress=progress, rerun=rerun
    )
    show_negotiation_results(results)
    return results


def _num(value: Any) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(v) else f"{v:.3f}"


def show_negotiation_results(results: Any, failures: bool = False) -> None:
    """Print counts, the ranking with 95% CIs (of the statistic ranked), pairwise tests
    and the win matrix."""
    import pandas as pd

    from palaver.tournaments.negotiation.stats import interval_name

    console = Console()
    counts = results.counts()
    ended = ", ".join(f"{k} {v}" for k, v in counts.items() if k not in ("planned", "recorded"))
    metric, stat = results.setup["final_score"]
    console.print(
        f"[bold]Negotiation tournament[/] ({escape(str(results.path))}): "
        f"{counts['recorded']} of {counts['planned']} negotiations recorded ({ended}); "
        f"seed {results.setup['seed']}; final score: {stat} {metric}"
    )
    problems = getattr(results, "problems", {})
    if problems:
        # As for world tournaments: a ranking over fewer batches must say so.
        console.print(
            f"[yellow]{len(problems)} damaged or missing piece(s)[/] (their batches are not "
            "ranked; running the tournament again re-runs them):"
        )
        for piece, why in sorted(problems.items())[:10]:
            console.print(f"  {escape(piece)}: {escape(why)}")
    if not len(results):
        console.print("No negotiation finished yet: nothing to rank.")
        return
    # Titles are printed as lines of their own: a table's title wraps to the
    # table's width, two or three lines over a narrow table.
    console.print(f"Ranking: {stat} {metric} ({interval_name(stat)})")
    ranking = Table()
    for column in ("rank", "competitor", "score", "95% CI", "n", "dropped"):
        ranking.add_column(column, justify="left" if column == "competitor" else "right")
    for row in results.ranking().itertuples():
        ranking.add_row(
            "-" if pd.isna(row.rank) else str(row.rank), escape(row.competitor), _num(row.score),
            escape(f"[{_num(row.ci_low)}, {_num(row.ci_high)}]"), str(row.n),
            str(row.n_dropped),
        )  # fmt: skip
    console.print(ranking)
    sig = results.significance()
    console.print(f"Pairwise Welch t-tests on {metric} (Holm-corrected)")
    tests = Table()
    for column in ("a", "b", "difference", "p", "p (Holm)", "significant"):
        if column in ("a", "b"):  # a name wraps rather than being cut short
            tests.add_column(column, overflow="fold")
        else:
            tests.add_column(column, justify="right")
    for row in sig.itertuples():
        tests.add_row(
            escape(row.a), escape(row.b), _num(row.diff), f"{row.p:.2g}",
            f"{row.p_adjusted:.2g}", "yes" if row.significant else "no",
        )  # fmt: skip
    console.print(tests)
    wins = results.win_matrix()
    console.print("Win matrix: share of meetings the row beat the column (advantage)")
    matrix = Table()
    matrix.add_column("", overflow="fold")
    for name in wins.columns:
        matrix.add_column(escape(name), justify="right", overflow="fold")
    for name, row in wins.iterrows():
        matrix.add_row(escape(str(name)), *(_num(v) for v in row))
    console.print(matrix)
    negs = results.negotiations
    bad = negs[negs.result.isin(["error", "hung"])]
    if len(bad) and failures:
        for row in bad.itertuples():
            last = (row.error or "").strip().splitlines()[-1:] or [""]
            console.print(f"[red]{row.negotiation_id}[/] {row.result}: {escape(last[0])}")
    elif len(bad):
        console.print(
            f"{len(bad)} negotiation(s) ended in an error or hung; --failures lists them."
        )
