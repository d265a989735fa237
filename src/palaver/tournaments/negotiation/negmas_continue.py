"""NegMAS's ``continue_cartesian_tournament(path)``: run what a tournament
folder still lacks, from the folder alone.

The folder written by ``palaver.negmas.cartesian_tournament(path=...)`` holds
what is needed: ``config.yaml`` (the arguments, the competitors' and
opponents' classes as ``module:Class`` paths, the seed) and ``scenarios/``
(each scenario as played). The call repeats the tournament with
``path_exists="continue"``: finished batches are kept, the others run, and a
finished tournament is just loaded. ``verbosity``, ``njobs`` and
``executor`` may be changed (they cannot change a result); NegMAS's callbacks
are passed on.

As in NegMAS, a folder that cannot be continued gives ``None``: no folder, no
configuration (or one that does not parse), no ``scenarios/`` or a scenario
missing from it, a competitor class that no longer imports, or aggregated
metrics (functions, which the folder does not hold). Unlike NegMAS, each
``None`` comes with a ``TournamentWarning`` saying which of these it was.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from palaver.tournaments.negotiation.negmas_call import negmas_cartesian_tournament
from palaver.tournaments.negotiation.negmas_folder import read_config

__all__ = ["continue_cartesian_tournament"]

#: Arguments that are not read from the configuration (given here, or rebuilt).
_NOT_FROM_CONFIG = frozenset(
    {
        "competitors", "scenarios", "opponents", "path", "path_exists",
        "raw_aggregated_metrics", "stats_aggregated_metrics",
        "before_start_callback", "progress_callback", "neg_start_callback",
        "after_construction_callback", "neg_progress_callback", "neg_end_callback",
        "after_end_callback", "verbosity", "njobs", "executor",
        "retry_failed_on_resume", "retry_timedout_on_resume", "competitor_names",
        "opponent_names",
    }
)  # fmt: skip


class _CannotContinue(Exception):
    """Why a folder cannot be continued (said in the warning)."""


def _classes(
    config: Mapping[str, Any], names_key: str, map_key: str
) -> tuple[list[str], list[Any]]:
    from palaver._util.imports import import_dotted

    names = list(config.get(names_key) or [])
    where = dict(config.get(map_key) or {})
    missing = [n for n in names if n not in where]
    if missing:
        raise _CannotContinue(f"{CONFIG} has no class for {missing} in {map_key}")
    try:
        return names, [import_dotted(where[n]) for n in names]
    except (ImportError, ValueError) as exc:
        raise _CannotContinue(f"a class of {map_key} does not import ({exc})") from None


CONFIG = "config.yaml"


def _arguments(root: Path) -> dict[str, Any]:
    """The keywords repeating the tournament in ``root`` (see the module doc)."""
    from palaver.scenarios import Scenario

    if not root.is_dir():
        raise _CannotContinue("there is no such folder")
    try:
        config = read_config(root)
    except Exception as exc:  # a damaged YAML file: any of the parser's errors
        raise _CannotContinue(f"its {CONFIG} does not parse ({type(exc).__name__})") from None
    if not config:
        raise _CannotContinue(f"it has no {CONFIG} (or config.json)")
    folder = root / "scenarios"
    if not folder.is_dir():
        raise _CannotContinue("it has no scenarios/ folder")
    for key in ("raw_aggregated_metrics", "stats_aggregated_metrics"):
        if config.get(key):
            raise _CannotContinue(f"it used {key} (functions, which the folder does not hold)")
    names, competitors = _classes(config, "competitor_names", "competitor_type_map")
    opponent_names, opponents = _classes(config, "opponent_names", "opponent_type_map")
    scenarios = []
    for name in config.get("scenarios") or []:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(name))
        try:
            scenarios.append(Scenario.load(folder / safe.lstrip("._")))
        except Exception as exc:  # missing or unreadable: the loader's errors vary by format
            raise _CannotContinue(f"its scenario {name!r} cannot be loaded ({exc})") from None
    if not scenarios:
        raise _CannotContinue(f"its {CONFIG} lists no scenarios")
    taken = inspect.signature(negmas_cartesian_tournament).parameters
    kwargs = {k: v for k, v in config.items() if k in taken and k not in _NOT_FROM_CONFIG}
    if isinstance(kwargs.get("final_score"), list):
        kwargs["final_score"] = tuple(kwargs["final_score"])
    return {
        **kwargs,
        "competitors": competitors,
        "competitor_names": names,
        "opponents": opponents,
        "opponent_names": opponent_names or None,
        "scenarios": scenarios,
        "path": root,
        "path_exists": "continue",
        "_config": config,
    }


def continue_cartesian_tournament(
    path: Path | str,
    verbosity: int | None = None,
    njobs: int | None = None,
    executor: str | None = None,
    retry_failed_on_resume: bool = False,
    retry_timedout_on_resume: bool = False,
    before_start_callback: Any = None,
    progress_callback: Any = None,
    neg_start_callback: Any = None,
    after_construction_callback: Any = None,
    neg_progress_callback: Any = None,
    neg_end_callback: Any = None,
    after_end_callback: Any = None,
) -> Any:
    """Finish (or load) the NegMAS-style tournament in ``path``; ``None``,
    with a ``TournamentWarning`` saying why, when the folder cannot be
    continued (see the module doc). ``verbosity``, ``njobs`` and ``executor``
    default to the folder's; ``retry_*_on_resume`` run failed negotiations'
    batches again as ``cartesian_tournament`` does."""
    from palaver.tournaments.runner import TournamentWarning

    root = Path(path)
    try:
        kwargs = _arguments(root)
    except _CannotContinue as why:
        warnings.warn(
            f"continue_cartesian_tournament: {root} cannot be continued: {why}",
            TournamentWarning,
            stacklevel=2,
        )
        return None
    config = kwargs.pop("_config")
    chosen = {"verbosity": verbosity, "njobs": njobs, "executor": executor}
    for key, value in chosen.items():
        kwargs[key] = config.get(key, value) if value is None else value
    return negmas_cartesian_tournament(
        retry_failed_on_resume=retry_failed_on_resume,
        retry_timedout_on_resume=retry_timedout_on_resume,
        before_start_callback=before_start_callback,
        progress_callback=progress_callback,
        neg_start_callback=neg_start_callback,
        after_construction_callback=after_construction_callback,
        neg_progress_callback=neg_progress_callback,
        neg_end_callback=neg_end_callback,
        after_end_callback=after_end_callback,
        **kwargs,
    )
