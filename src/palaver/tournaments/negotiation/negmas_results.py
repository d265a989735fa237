"""NegMAS's ``SimpleTournamentResults``: a tournament's results in NegMAS's data frames.

NegMAS code reads a tournament through four pandas frames: ``scores`` (one row
per scored negotiator per negotiation), ``details`` (one row per
negotiation), ``scores_summary`` (``scores`` described per strategy) and
``final_scores`` (``strategy``, ``score``; best first). This view builds them
from :class:`~palaver.tournaments.negotiation.NegotiationTournamentResults`,
with NegMAS's column names and meanings, and keeps Palaver's results at hand
(:attr:`SimpleTournamentResults.palaver`; Palaver's other members, such as
``ranking()`` and ``significance()``, are reached through the view too).

Where the two differ:

- ``advantage`` is Palaver's (see the guide's "Reading the ranking"): it
  differs from NegMAS's only for a party without a reserved value (``-inf``).
- ``time`` (a negotiator's own time) is not measured: NaN.
- a negotiation stopped by the hang timer (Palaver's ``hung``) is timed out,
  not an error, as one NegMAS's ``external_timeout`` killed.
- the optimality columns (``nash_optimality``, ..., ``fairness``) are
  computed with :mod:`palaver.scenarios.optimality` from the scenarios given;
  without them (:meth:`SimpleTournamentResults.load`) they are absent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from palaver.tournaments.negotiation.negmas_details import (
    ScenarioMeasures,
    details_frame,
    pandas_for,
)
from palaver.tournaments.negotiation.negmas_folder import saved_metric_columns
from palaver.tournaments.negotiation.negmas_scores import (
    OPTIMALITY_COLS,
    SUMMARY_STATISTICS,
    aggregate,
    check_aggregated_metrics,
    check_final_score,
    describe_by,
    is_number,
    score_rows,
)
from palaver.tournaments.negotiation.opponent_models import ANL2026, negmas_columns
from palaver.tournaments.negotiation.results import NegotiationTournamentResults

__all__ = [
    "OPTIMALITY_COLS",
    "SUMMARY_STATISTICS",
    "SimpleTournamentResults",
    "check_aggregated_metrics",
    "check_final_score",
]


RawMetric = Callable[[dict[str, float]], float]
StatsMetric = Callable[[dict[tuple[str, str], float]], float]


class SimpleTournamentResults:
    """A tournament's results as NegMAS's ``SimpleTournamentResults`` (see module doc).

    Attributes:
        palaver: Palaver's results the frames are built from.
        path: The tournament's folder (``None`` when run without one).
        config: The tournament's arguments.
    """

    def __init__(
        self,
        results: NegotiationTournamentResults,
        scenarios: Sequence[Any] = (),
        final_score: tuple[str, str] | None = None,
        raw_aggregated_metrics: Mapping[str, RawMetric] | None = None,
        stats_aggregated_metrics: Mapping[str, StatsMetric] | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(results, NegotiationTournamentResults):
            raise TypeError(
                f"results must be NegotiationTournamentResults (what cartesian_tournament "
                f"returns), got {results!r:.80} ({type(results).__name__})"
            )
        check_aggregated_metrics(raw_aggregated_metrics, stats_aggregated_metrics)
        self.palaver = results
        self.path: Path | None = results.path
        self.config: dict[str, Any] = dict(config if config is not None else results.setup)
        try:
            self._final = check_final_score(
                tuple(results.setup["final_score"]) if final_score is None else final_score,
                raw_aggregated_metrics or {},
                stats_aggregated_metrics or {},
                bool(scenarios),
            )
        except ValueError as exc:
            if final_score is not None:
                raise
            raise ValueError(
                f"the tournament's own final score is not one of NegMAS's frames; pass "
                f"final_score=(metric, statistic): {exc}"
            ) from None
        self._measures = ScenarioMeasures(scenarios)
        self._raw = dict(raw_aggregated_metrics or {})
        # Loaded from a folder: raw_aggregated_metrics columns come from its all_scores file.
        self._from_folder = False
        self._stats = dict(stats_aggregated_metrics or {})

    @classmethod
    def load(
        cls,
        path: str | Path,
        final_score: tuple[str, str] | None = None,
        must_have_details: bool = False,
    ) -> SimpleTournamentResults:
        """The results in a tournament folder (without the optimality columns:
        the folder does not hold the scenarios), with the configuration its
        ``config.yaml`` holds (Palaver's setup without one). Palaver's tables
        always hold every negotiation, so ``must_have_details`` (NegMAS's: fail
        without ``details``) is met by any folder this loads. The
        ``raw_aggregated_metrics`` columns (their functions are not stored)
        are read from the folder's ``all_scores`` file when it was written
        (``storage_optimization`` ``"speed"`` or ``"balanced"``), as NegMAS
        reads them."""
        from palaver.tournaments.negotiation.negmas_folder import read_config

        results = NegotiationTournamentResults.load(path)
        view = cls(results, final_score=final_score, config=read_config(Path(path)))
        view._from_folder = True
        return view

    @classmethod
    def from_records(cls, *args: Any, **kwargs: Any) -> SimpleTournamentResults:
        """NegMAS's ``from_records(config, scores, results, type_scores,
        final_scores, final_score_stat, path, stats_aggregated_metrics)``: results
        from run records and/or score rows (see
        :mod:`~palaver.tournaments.negotiation.negmas_records`)."""
        from palaver.tournaments.negotiation.negmas_records import from_records

        return from_records(*args, **kwargs)

    @classmethod
    def combine(
        cls,
        paths: Any,
        recursive: bool = True,
        recalc_details: bool = True,
        recalc_scores: bool = False,
        must_have_details: bool = False,
        verbosity: int = 1,
        final_score_stat: tuple[str, str] = ("advantage", "mean"),
        add_tournament_column: bool = True,
        complete_only: bool = True,
    ) -> tuple[SimpleTournamentResults, list[Path]]:
        """NegMAS's ``combine``: the tournaments in ``paths`` as one, and the
        folders read (see :mod:`~palaver.tournaments.negotiation.negmas_records`).
        A Palaver folder is read from its tables (every negotiation is there),
        so ``recalc_details``, ``recalc_scores``, ``must_have_details``,
        ``complete_only`` and ``verbosity`` change nothing."""
        from palaver.tournaments.negotiation.negmas_records import combine

        return combine(paths, recursive, final_score_stat, add_tournament_column)

    def save(
        self,
        path: str | Path | None = None,
        exist_ok: bool = True,
        storage_optimization: str | None = None,
        storage_format: str | None = None,
    ) -> None:
        """Write the frames as NegMAS's files (``details``, ``all_scores``,
        ``type_scores.csv``, ``scores.csv``) and ``config.yaml`` in ``path``
        (the tournament's folder by default); see
        :mod:`~palaver.tournaments.negotiation.negmas_folder`."""
        from palaver.tournaments.negotiation.negmas_folder import (
            optimization_level,
            storage_format_of,
            write_config,
            write_frames,
        )

        target = Path(path) if path is not None else self.path
        if target is None:
            raise FileNotFoundError("give path: these results have no folder")
        if target.exists() and not exist_ok:
            raise FileExistsError(f"{target} exists (exist_ok=False)")
        level = optimization_level(
            "storage_optimization",
            storage_optimization or self.config.get("storage_optimization") or "space",
        )
        fmt = storage_format_of(storage_format or self.config.get("storage_format"), level)
        write_frames(self, target, level, fmt)
        write_config(target, self.config)

    def _load_frames(self) -> None:
        """Build the frames now, in memory (NegMAS's results hold them): the
        view then outlives its folder (a temporary one deleted after the call).
        Palaver's own members (``ranking()``, ``query()``, ...) still read the
        folder. Without pandas there are no frames to build."""
        try:
            import pandas  # noqa: F401
        except ImportError:
            return
        self.final_scores  # noqa: B018 -- details, scores and the summary, cached
        self._advantages  # noqa: B018

    def __getattr__(self, name: str) -> Any:
        # Palaver's own members (ranking(), significance(), win_matrix(), query(), ...).
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.palaver, name)

    def __len__(self) -> int:
        return len(self.palaver)

    def __repr__(self) -> str:
        return (
            f"SimpleTournamentResults({len(self)} negotiations, "
            f"{len(self.final_scores)} strategies, path={self.path})"
        )

    # -- the frames -------------------------------------------------------------

    @cached_property
    def details(self) -> Any:
        """One row per negotiation (NegMAS's run records), Palaver's columns kept;
        with ``only_failures_on_self_play`` (in :attr:`config`), as in NegMAS,
        without the self-play negotiations that reached an agreement."""
        return details_frame(self.palaver, self._measures, self.config)

    @cached_property
    def scores(self) -> Any:
        """One row per scored negotiator per negotiation, NegMAS's columns (the
        competitors' rows: fixed opponents are not scored)."""
        pd = pandas_for("scores")
        opponents = set(self.palaver.setup.get("opponents", ()))
        distribute = bool(self.config.get("distribute_opponent_modeling_scores", True))
        with_anl = ANL2026 in (self.config.get("opponent_modeling_metrics") or ())
        records = []
        for run in self.details.to_dict("records"):
            scored = [i for i, name in enumerate(run["negotiator_names"]) if name not in opponents]
            advantage = functools.partial(self._advantage, run["negotiation_id"])
            rows = score_rows(run, advantage, scored, self._raw)
            advantages = [advantage(i) for i in range(len(run["negotiator_names"]))]
            opp = negmas_columns(run, advantages, distribute, with_anl)
            session = {k: v for k, v in run.items() if k.startswith("session_")}
            per_party = {k: v for k, v in run.items() if k.startswith("neg_")}
            for row, i in zip(rows, scored, strict=True):
                row.update({k: vs[i] for k, vs in opp.items()})
                row.update(session)
                row.update({k: vs[i] for k, vs in per_party.items()})
            records += rows
        frame = pd.DataFrame.from_records(records)
        if self._from_folder and self.path is not None:
            for name, values in saved_metric_columns(self.path, self.config, frame).items():
                frame[name] = values
        return frame

    @cached_property
    def scores_summary(self) -> Any:
        """:attr:`scores` described per strategy (columns ``(metric, stat)``),
        best final score first."""
        pd = pandas_for("scores_summary")
        scores = self.scores
        if not len(scores):
            return pd.DataFrame()
        cols = [c for c in scores.columns if c not in ("scenario", "partners")]
        summary = describe_by(scores.loc[:, cols], "strategy")
        for metric, f in self._stats.items():
            summary[(metric, "value")] = [
                aggregate(
                    "stats_aggregated_metrics",
                    metric,
                    f,
                    {k: float(v) for k, v in row.items() if is_number(v)},
                    f"the statistics of {strategy!r}",
                )
                for strategy, row in summary.iterrows()
            ]
        if self._final in summary.columns:
            summary = summary.sort_values(self._final, ascending=False)
        return summary

    @cached_property
    def final_scores(self) -> Any:
        """``strategy`` and ``score`` (the final score's statistic), best first."""
        pd = pandas_for("final_scores")
        summary = self.scores_summary
        if self._final not in summary.columns:
            return pd.DataFrame(columns=["strategy", "score"])
        final = summary[self._final]
        final.name = "score"
        return final.reset_index()

    # -- helpers ----------------------------------------------------------------

    @cached_property
    def _advantages(self) -> dict[tuple[str, int], float]:
        parties = self.palaver.parties
        return {
            (nid, int(p)): float(a)
            for nid, p, a in zip(
                parties["negotiation_id"], parties["position"], parties["advantage"], strict=True
            )
        }

    def _advantage(self, negotiation_id: str, position: int) -> float:
        return self._advantages[(negotiation_id, position)]
