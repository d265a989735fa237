"""NegMAS's ``SimpleTournamentResults.from_records`` and ``combine``: results
from NegMAS's frames (or run records) rather than from a Palaver tournament.

``from_records(config, scores, results, type_scores, final_scores,
final_score_stat, path, stats_aggregated_metrics)`` builds the view from
``results`` (run records: one per negotiation, NegMAS's keys) and/or
``scores`` (one row per scored negotiator); scores missing are made from the
records with :func:`~palaver.tournaments.negotiation.negmas_scores.make_scores`
(NegMAS's advantage rule), ``type_scores`` and ``final_scores`` from the
scores. ``combine(paths, ...)`` reads the tournaments in ``paths`` (their
sub-folders too, with ``recursive``), adds a ``tournament`` column naming each
(with ``add_tournament_column``) and combines their configurations (refusing
tournaments of different competitors). A folder Palaver ran is read from its
own tables; one holding only NegMAS's files from ``details`` and
``all_scores``. The result has no Palaver tables behind it: its ``palaver``
is ``None``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from palaver.tournaments.negotiation.negmas_details import ScenarioMeasures
from palaver.tournaments.negotiation.negmas_folder import (
    ALL_RESULTS_BASE_NAME,
    ALL_SCORES_BASE_NAME,
    TOURNAMENT_DIRS,
    combine_configs,
    find_dataframe_file,
    from_text,
    load_dataframe,
    read_config,
)
from palaver.tournaments.negotiation.negmas_results import SimpleTournamentResults
from palaver.tournaments.negotiation.negmas_scores import make_scores

__all__ = ["FrameResults", "combine", "from_records"]

#: Columns of ``details`` holding a list per negotiation (text once written to a file).
LIST_COLUMNS = ("utilities", "max_utils", "min_utils", "reserved_values", "partners",
                "negotiator_names", "negotiator_ids", "negotiator_types", "negotiator_times",
                "agreement", "params", "scored_indices")  # fmt: skip

StatsMetric = Callable[[dict[tuple[str, str], float]], float]


class FrameResults(SimpleTournamentResults):
    """A :class:`SimpleTournamentResults` holding NegMAS's frames only (no
    Palaver tables: :attr:`palaver` is ``None``, Palaver's members are absent)."""

    def __init__(
        self,
        details: Any,
        scores: Any,
        config: Mapping[str, Any] | None,
        final_score: tuple[str, str],
        path: Path | None = None,
        stats_aggregated_metrics: Mapping[str, StatsMetric] | None = None,
        scores_summary: Any = None,
        final_scores: Any = None,
    ) -> None:
        self.palaver = None  # type: ignore[assignment]
        self.path = path
        self.config = dict(config or {})
        self._final = (str(final_score[0]), str(final_score[1]))
        self._measures = ScenarioMeasures()
        self._raw = {}
        self._stats = dict(stats_aggregated_metrics or {})
        # The cached frames: given ones are kept, the others built on first use.
        self.__dict__["details"] = details
        self.__dict__["scores"] = scores
        if scores_summary is not None:
            self.__dict__["scores_summary"] = scores_summary
        if final_scores is not None:
            self.__dict__["final_scores"] = final_scores

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"{type(self).__name__} has no attribute {name!r} (these results were built "
            "from NegMAS's frames, without Palaver's tables)"
        )

    def __len__(self) -> int:
        return len(self.details)


def from_records(
    config: Mapping[str, Any] | None = None,
    scores: Any = None,
    results: Any = None,
    type_scores: Any = None,
    final_scores: Any = None,
    final_score_stat: tuple[str, str] = ("advantage", "mean"),
    path: str | Path | None = None,
    stats_aggregated_metrics: Mapping[str, StatsMetric] | None = None,
) -> FrameResults:
    """NegMAS's ``SimpleTournamentResults.from_records`` (see module doc)."""
    import pandas as pd

    details = (
        results
        if isinstance(results, pd.DataFrame)
        else pd.DataFrame.from_records(list(results or []))
    )
    if scores is None:
        rows = [_parsed(r) for r in details.to_dict("records")]
        scores = [s for r in rows for s in make_scores(r, r.get("scored_indices"))]
    frame = scores if isinstance(scores, pd.DataFrame) else pd.DataFrame.from_records(scores)
    return FrameResults(
        details,
        frame,
        config,
        final_score_stat,
        Path(path) if path is not None else None,
        stats_aggregated_metrics,
        type_scores,
        final_scores,
    )


def combine(
    paths: str | Path | Iterable[str | Path],
    recursive: bool = True,
    final_score_stat: tuple[str, str] = ("advantage", "mean"),
    add_tournament_column: bool = True,
) -> tuple[FrameResults, list[Path]]:
    """NegMAS's ``SimpleTournamentResults.combine``: the combined results and
    the folders read (see module doc). ``FileNotFoundError`` when a path does
    not exist or no folder holds a tournament."""
    import pandas as pd

    given = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    # A path that does not exist (a typo) was skipped: the others were combined without it.
    missing = [str(p) for p in given if not p.exists()]
    if missing:
        raise FileNotFoundError(f"combine: the path(s) {missing} do not exist")
    found = _tournament_folders(given, recursive)
    if not found:
        raise FileNotFoundError(f"none of {[str(p) for p in given]} holds a tournament's results")
    labels = _short_names(found)
    details, scores, configs = [], [], []
    for folder, label in zip(found, labels, strict=True):
        d, s, cfg = _read(folder)
        if add_tournament_column:
            d = d.assign(tournament=label)
            s = s.assign(tournament=label)
        details.append(d)
        scores.append(s)
        if cfg is not None:
            configs.append(cfg)
    all_details = pd.concat(details, ignore_index=True)
    n_scenarios = int(all_details["scenario"].nunique()) if "scenario" in all_details else 0
    config = combine_configs(configs, n_scenarios) if configs else None
    combined = from_records(
        config, pd.concat(scores, ignore_index=True), all_details, final_score_stat=final_score_stat
    )
    return combined, found


def _read(folder: Path) -> tuple[Any, Any, dict[str, Any] | None]:
    """A folder's details, scores and configuration."""
    import pandas as pd

    from palaver.tournaments.negotiation.folder import is_negotiation_folder

    if is_negotiation_folder(folder):
        view = SimpleTournamentResults.load(folder)
        return view.details, view.scores, view.config
    details = load_dataframe(folder, ALL_RESULTS_BASE_NAME)
    details = pd.DataFrame() if details is None else details.reset_index(drop=True)
    scores = load_dataframe(folder, ALL_SCORES_BASE_NAME)
    if scores is None:
        scores = from_records(results=details).scores
    return details, scores, read_config(folder)


def _tournament_folders(paths: Sequence[Path], recursive: bool) -> list[Path]:
    """The folders among ``paths`` (and below them, with ``recursive``) that
    hold a tournament: Palaver's tables or NegMAS's ``details`` file."""
    from palaver.tournaments.negotiation.folder import is_negotiation_folder

    def holds(p: Path) -> bool:
        return is_negotiation_folder(p) or find_dataframe_file(p, ALL_RESULTS_BASE_NAME) is not None

    found: list[Path] = []
    for root in paths:
        if not recursive:
            if holds(root):
                found.append(root.absolute())
            continue
        for base, dirs, _ in os.walk(root):
            here = Path(base)
            if holds(here):
                found.append(here.absolute())
                dirs[:] = []  # a tournament's own sub-folders are not tournaments
            else:
                dirs[:] = sorted(d for d in dirs if d not in TOURNAMENT_DIRS)
    return sorted(set(found))


def _short_names(folders: Sequence[Path]) -> list[str]:
    """The shortest trailing parts of each folder's path that tell them apart."""
    parts = [f.parts for f in folders]
    for k in range(1, max(len(p) for p in parts) + 1):
        names = [os.sep.join(p[-k:]) for p in parts]
        if len(set(names)) == len(names):
            return names
    return [str(f) for f in folders]


def _parsed(record: Mapping[str, Any]) -> dict[str, Any]:
    """A run record with its list columns as lists."""
    return {k: from_text(v) if k in LIST_COLUMNS else v for k, v in record.items()}
