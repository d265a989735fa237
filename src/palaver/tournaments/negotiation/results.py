"""The results of a negotiation tournament: tables, scores, ranking, tests, win matrix, SQL.

Three tables, each one row per:

- ``negotiations``: negotiation (id, scenario, rotation, repetition, partners,
  limits, seed, result, agreement, rounds, welfare, distances to the Pareto
  frontier, the Nash, Kalai and Kalai-Smorodinsky points, CPU and wall time,
  error);
- ``parties``: negotiator in a negotiation (competitor, position, utility
  function, reserved value, utility, advantage ``(u - d) / (max u - d)`` with
  ``d`` the reserved value, or the worst utility when it is -inf; ``u - d``
  when ``max u <= d``);
- ``offers`` (``detail="offers"``): offer (negotiation, scenario, round,
  position, competitor, outcome index, the proposer's utility); the outcome
  itself is in ``outcomes`` (scenario, outcome index, outcome as JSON).

From a folder they are read through the manifest (only finished batches
count), with DuckDB: :meth:`NegotiationTournamentResults.query` runs SQL over
views of these names.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from palaver._util.checks import check_items
from palaver._util.optional import frame_library
from palaver.tournaments.negotiation.stats import (
    RANKING_STATISTICS,
    bonferroni,
    check_share,
    holm,
    mean_ci,
    ranked_score,
    welch,
    win_shares,
)
from palaver.tournaments.negotiation.tables import outcomes_table

__all__ = [
    "NEGOTIATION_METRICS",
    "PARTY_METRICS",
    "NegotiationTournamentResults",
    "TournamentResultsError",
    "outcomes_table",
    "win_shares",
]

#: Metrics of the ``parties`` table that :meth:`NegotiationTournamentResults.scores` summarises.
PARTY_METRICS = ("advantage", "utility", "agreement", "rounds")
#: Metrics of the ``negotiations`` table summarised per competitor (over its negotiations).
NEGOTIATION_METRICS = (
    "welfare",
    "pareto_distance",
    "nash_distance",
    "kalai_distance",
    "ks_distance",
)


def _warn_dropped(metric: str, counts: dict[str, tuple[int, int]]) -> None:
    """Warn when rows were left out of a statistic (``counts``: competitor ->
    rows dropped, rows kept)."""
    hit = {name: c for name, c in counts.items() if c[0]}
    if not hit:
        return
    from palaver.tournaments.runner import TournamentWarning

    listing = ", ".join(f"{name}: {d} of {d + k}" for name, (d, k) in hit.items())
    warnings.warn(
        f"{metric}: rows whose value is NaN or infinite are left out of the statistics "
        f"({listing}); see the n_dropped column. Infinite utilities come from a reserved "
        "value of -inf without agreement; NaN distances from a point the scenario lacks",
        TournamentWarning,
        stacklevel=3,
    )


def _warn_older_rules(path: Path | None, parties: Any) -> None:
    """Warn when a folder without ``metrics_version`` (scored by an older Palaver)
    holds rows whose metrics its rules computed otherwise than today's: a party
    whose reserved value is infinite or at or above its best utility."""
    import pyarrow.compute as pc

    reserved, best = parties.column("reserved_value"), parties.column("max_utility")
    differ = pc.or_(pc.invert(pc.is_finite(reserved)), pc.greater_equal(reserved, best))
    scenarios = sorted(set(parties.filter(differ).column("scenario").to_pylist()))
    if scenarios:
        from palaver.tournaments.runner import TournamentWarning

        warnings.warn(
            f"{path}: tournament.json has no metrics_version: an older Palaver scored it, "
            "and for a reserved value of -inf or at or above a party's best utility its "
            "advantage, welfare and distances follow other rules than today's; scenarios "
            f"concerned: {scenarios}. Run the tournament again in a new folder to score "
            "them by today's rules",
            TournamentWarning,
            stacklevel=4,
        )


_SIGNIFICANCE_COLUMNS = [
    "a", "b", "mean_a", "mean_b", "diff", "t", "p", "p_adjusted", "significant",
    "n_a", "n_b", "dropped_a", "dropped_b",
]  # fmt: skip


class TournamentResultsError(ValueError):
    """A tournament folder is missing or damaged (the message names the file)."""


class NegotiationTournamentResults:
    """What a :func:`cartesian_tournament` produced, in memory or in its folder."""

    def __init__(
        self,
        setup: dict[str, Any],
        tables: dict[str, Any],
        path: Path | None = None,
        files: dict[str, list[Path]] | None = None,
        digests: dict[Path, str] | None = None,
    ) -> None:
        self.setup = setup
        self.path = path
        self._tables = tables  # name -> pyarrow Table (read so far)
        # name -> the Parquet files of finished batches (a folder's tables are read
        # on first use; offers never are as a whole: SQL reads them from disk).
        self._files = files or {}
        # file -> its SHA-256 in the manifest, checked again when a table is read:
        # a part damaged after the folder was opened is named, never read as data.
        self._digests = digests or {}
        self._con: Any = None
        #: What is wrong in the folder (a damaged manifest line or part -> why):
        #: the batches concerned are left out, and a resume runs them again.
        self.problems: dict[str, str] = {}

    # -- construction ----------------------------------------------------------

    @classmethod
    def from_tables(
        cls, setup: dict[str, Any], parts: Sequence[dict[str, Any]], scenarios: Sequence[Any]
    ) -> NegotiationTournamentResults:
        """Results held in memory (a tournament without ``path``)."""
        import pyarrow as pa

        tables: dict[str, Any] = {}
        for name in ("negotiations", "parties", "offers"):
            chunks = [p[name] for p in parts if name in p]
            if chunks:
                tables[name] = pa.concat_tables(chunks)
        if "offers" in tables:
            tables["outcomes"] = outcomes_table(scenarios)
        return cls(setup, tables)

    @classmethod
    def load(cls, path: str | Path) -> NegotiationTournamentResults:
        """The results in a tournament folder (finished batches only)."""

        from palaver.tournaments.negotiation.folder import read_entries, read_setup

        if not isinstance(path, str | os.PathLike):
            raise TypeError(
                f"path must be a str or a path (os.PathLike) to a tournament folder, "
                f"got {path!r} ({type(path).__name__})"
            )
        root = Path(path)
        if not (root / "tournament.json").exists():
            _not_a_negotiation_folder(root)
        setup = read_setup(root)
        files: dict[str, list[Path]] = {}
        digests: dict[Path, str] = {}
        done, problems = read_entries(root)
        for entry in sorted(done.values(), key=lambda e: str(e["batch"])):
            for name, rel in entry["files"].items():
                files.setdefault(name, []).append(root / rel)
                if name in entry.get("sha256", {}):
                    digests[root / rel] = entry["sha256"][name]
        outcomes = root / "outcomes.parquet"
        if outcomes.exists():
            files["outcomes"] = [outcomes]
        results = cls(setup, {}, root, files, digests)
        results.problems = problems
        return results

    # -- tables ----------------------------------------------------------------

    def table(self, name: str) -> Any:
        """A table as a pyarrow Table (``negotiations``, ``parties``, ``offers``, ``outcomes``)."""
        if not isinstance(name, str):  # a list would be "unhashable type: 'list'"
            raise KeyError(
                f"unknown table {name!r}; tables: negotiations, parties, offers, outcomes"
            )
        if name not in self._tables and name in self._files:
            import pyarrow.parquet as pq

            paths = [str(p) for p in self._files[name]]
            for path in self._files[name]:
                self._check_part(name, path)
            try:
                table = pq.ParquetDataset(paths, page_checksum_verification=True).read()
            except Exception as exc:
                # Parts of a folder written before checksums are checked here only.
                where = f"one of the {name} files of {self.path}"
                raise TournamentResultsError(self._damaged(name, where, str(exc))) from None
            if name == "offers":
                return table  # possibly millions of rows: not kept
            if name == "parties" and "metrics_version" not in self.setup:
                _warn_older_rules(self.path, table)
            self._tables[name] = table
        if name not in self._tables:
            if name in ("negotiations", "parties", "offers", "outcomes"):
                raise KeyError(
                    f"no {name!r} table: "
                    + (
                        "offers are recorded with detail='offers'"
                        if name in ("offers", "outcomes")
                        else "no negotiation finished yet"
                    )
                )
            raise KeyError(
                f"unknown table {name!r}; tables: negotiations, parties, offers, outcomes"
            )
        return self._tables[name]

    def _check_part(self, name: str, path: Path) -> None:
        """Refuse a part that is not the file the manifest recorded when the folder
        was opened (damaged, removed, or rewritten by a resume since), naming it."""
        from palaver.tournaments.negotiation.folder import file_problem

        problem = file_problem(path, self._digests.get(path))
        if problem is not None:
            raise TournamentResultsError(self._damaged(name, str(path), problem))

    @staticmethod
    def _damaged(name: str, where: str, reason: str) -> str:
        return (
            f"cannot read the {name} table: {where} is not what the folder held when these "
            f"results were opened ({reason}: damaged, removed, or rewritten by a resume). "
            "Open the folder again (load_negotiation_results): a damaged batch is left out "
            "and listed in problems, and resuming the tournament runs it again"
        )

    @property
    def negotiations(self) -> Any:
        """One row per negotiation (a pandas DataFrame)."""
        frame_library(
            "pandas", "results.negotiations", 'results.table("negotiations") gives an Arrow table'
        )
        return self.table("negotiations").to_pandas()

    @property
    def parties(self) -> Any:
        """One row per negotiator in a negotiation (a pandas DataFrame)."""
        frame_library("pandas", "results.parties", 'results.table("parties") gives an Arrow table')
        return self.table("parties").to_pandas()

    def __len__(self) -> int:
        if "negotiations" not in self._tables and "negotiations" not in self._files:
            return 0
        return int(self.table("negotiations").num_rows)

    def query(self, sql: str) -> Any:
        """Run SQL (DuckDB) over the views ``negotiations``, ``parties``, ``offers``, ``outcomes``.

        Returns a pandas DataFrame; SQL that does not parse or names a view or
        column these results lack is a ``ValueError`` holding DuckDB's reason
        and the views there are. Example: every offer MiCRO made on scenario
        ``"s03"``::

            results.query(
                "SELECT o.round, x.outcome FROM offers o JOIN outcomes x "
                "USING (scenario, outcome_index) "
                "WHERE o.competitor = 'MiCRO' AND o.scenario = 's03'"
            )
        """
        import duckdb

        frame_library("pandas", "results.query()", "DuckDB reads the folder's Parquet files too")
        if self._con is None:
            self._con = duckdb.connect()
            for name, paths in self._files.items():
                listed = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
                self._con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{listed}])")
            for name, table in self._tables.items():
                if name not in self._files:
                    self._con.register(name, table)
        try:
            return self._con.execute(sql).df()
        except duckdb.Error as exc:
            views = sorted({*self._files, *self._tables})
            hint = (
                "; the offers view exists only for a tournament run with detail='offers'"
                if "offers" not in views
                else ""
            )
            raise ValueError(
                f"query failed: {exc}\n  query: {sql}\n  views of these results: "
                f"{', '.join(views)}{hint}"
            ) from exc

    # -- scores ----------------------------------------------------------------

    def _party_values(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        """(competitor per row, value per row) for a party or negotiation metric."""
        parties = self.table("parties")
        comps = np.asarray(parties.column("competitor").to_pylist(), dtype=object)
        if metric in parties.column_names:
            values = np.asarray(parties.column(metric).to_numpy(zero_copy_only=False), dtype=float)
            return comps, values
        negs = self.table("negotiations")
        if metric not in negs.column_names:
            raise ValueError(
                f"unknown metric {metric!r}; use one of {list(PARTY_METRICS)} or "
                f"{list(NEGOTIATION_METRICS)}"
            )
        by_id = dict(
            zip(
                negs.column("negotiation_id").to_pylist(),
                negs.column(metric).to_pylist(),
                strict=True,
            )
        )
        values = np.array(
            [by_id[i] for i in parties.column("negotiation_id").to_pylist()], dtype=float
        )
        return comps, values

    def scores(
        self, metrics: Sequence[str] = PARTY_METRICS + NEGOTIATION_METRICS, level: float = 0.95
    ) -> Any:
        """Per competitor and metric: mean, standard deviation, confidence interval, count.

        A pandas DataFrame indexed by competitor with columns ``(metric, stat)``;
        ``n`` counts the rows the statistics use and ``n_dropped`` the rows left
        out because their value is NaN or infinite (with a ``TournamentWarning``).
        ``metrics`` is a list of metric names (one name alone is taken as a list
        of one); ``level`` is strictly between 0 and 1 (``ValueError``).
        """
        pd = frame_library(
            "pandas", "results.scores()", "results.table(name) gives the tables as Arrow tables"
        )

        level = check_share("level", level)
        if isinstance(metrics, str):
            # Iterated, a name would be read letter by letter ("unknown metric 'a'").
            metrics = [metrics]
        metrics = check_items("metrics", metrics, "metric names")
        if not metrics:
            raise ValueError("metrics must name at least one metric, got an empty list")
        rows: dict[str, dict[tuple[str, str], float]] = {}
        for metric in metrics:
            comps, values = self._party_values(metric)
            counts = {}
            for name in self.setup["competitors"]:
                mine = values[comps == name]
                mean, std, lo, hi, n = mean_ci(mine, level)
                counts[name] = (len(mine) - n, n)
                row = rows.setdefault(name, {})
                row[(metric, "mean")] = mean
                row[(metric, "std")] = std
                row[(metric, "ci_low")] = lo
                row[(metric, "ci_high")] = hi
                row[(metric, "n")] = n
                row[(metric, "n_dropped")] = len(mine) - n
            _warn_dropped(metric, counts)
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.columns = pd.MultiIndex.from_tuples(frame.columns)
        return frame

    def ranking(
        self, metric: str | None = None, stat: str | None = None, level: float = 0.95
    ) -> Any:
        """Competitors by final score, best first (default: the tournament's ``final_score``).

        ``stat`` is ``mean``, ``median``, ``min``, ``max`` or ``std``; columns:
        ``rank``, ``competitor``, ``score``, ``ci_low``, ``ci_high``, ``n`` (rows
        scored) and ``n_dropped`` (rows left out because their value is NaN or
        infinite, with a ``TournamentWarning``). The interval is that of the
        statistic ranked: Student t for the mean, a distribution-free
        order-statistic interval for the median (NaN with fewer than 6 rows at
        95%), none (NaN) for ``min``, ``max`` and ``std``. A competitor with no
        row scored has score NaN and no rank (``<NA>``), after the others. Lower
        is better for distances, so those rank ascending. ``level`` is strictly
        between 0 and 1 (``ValueError``).
        """
        pd = frame_library(
            "pandas", "results.ranking()", "results.table(name) gives the tables as Arrow tables"
        )

        level = check_share("level", level)

        metric = metric or self.setup["final_score"][0]
        stat = stat or self.setup["final_score"][1]
        if not isinstance(stat, str) or stat not in RANKING_STATISTICS:
            raise ValueError(f"stat must be one of {sorted(RANKING_STATISTICS)}, got {stat!r}")
        comps, values = self._party_values(metric)
        rows = []
        for name in self.setup["competitors"]:
            v = values[comps == name]
            score, lo, hi, n = ranked_score(v, stat, level)
            rows.append(
                {
                    "competitor": name,
                    "score": score,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n": n,
                    "n_dropped": len(v) - n,
                }
            )
        _warn_dropped(metric, {r["competitor"]: (r["n_dropped"], r["n"]) for r in rows})
        frame = pd.DataFrame(rows)
        ascending = metric.endswith("distance")
        frame = frame.sort_values("score", ascending=ascending, kind="stable", na_position="last")
        # A competitor without a single finite value has no score: it gets no rank.
        ranks = [i + 1 if n > 0 else None for i, n in enumerate(frame["n"])]
        frame.insert(0, "rank", pd.array(ranks, dtype="Int64"))
        return frame.reset_index(drop=True)

    def significance(
        self, metric: str | None = None, correction: str = "holm", alpha: float = 0.05
    ) -> Any:
        """Pairwise Welch t-tests of ``metric``, corrected for multiple comparisons.

        ``correction`` is ``holm`` (default), ``bonferroni`` or ``none``. One
        row per pair: means, difference, t, p, adjusted p, significant, and the
        rows used (``n_a``, ``n_b``) and left out because NaN or infinite
        (``dropped_a``, ``dropped_b``, with a ``TournamentWarning``). ``alpha`` is
        strictly between 0 and 1 (``ValueError``: at 2 every pair was "significant").
        """
        pd = frame_library(
            "pandas",
            "results.significance()",
            "results.table(name) gives the tables as Arrow tables",
        )

        alpha = check_share("alpha", alpha)

        metric = metric or self.setup["final_score"][0]
        fixes: dict[str, Callable[[list[float]], list[float]]] = {
            "holm": holm,
            "bonferroni": bonferroni,
            "none": list,
        }
        if not isinstance(correction, str) or correction not in fixes:
            raise ValueError(f"correction must be one of {sorted(fixes)}, got {correction!r}")
        comps, values = self._party_values(metric)
        names = self.setup["competitors"]
        rows = []
        finite = {n: values[comps == n][np.isfinite(values[comps == n])] for n in names}
        dropped = {n: int((comps == n).sum()) - len(finite[n]) for n in names}
        _warn_dropped(metric, {n: (dropped[n], len(finite[n])) for n in names})
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                va, vb = finite[a], finite[b]
                t, p = welch(va, vb)
                rows.append(
                    {
                        "a": a,
                        "b": b,
                        "mean_a": float(va.mean()) if len(va) else np.nan,
                        "mean_b": float(vb.mean()) if len(vb) else np.nan,
                        "t": t,
                        "p": p,
                        "n_a": len(va),
                        "n_b": len(vb),
                        "dropped_a": dropped[a],
                        "dropped_b": dropped[b],
                    }
                )
        adjusted = fixes[correction]([r["p"] for r in rows])
        for r, q in zip(rows, adjusted, strict=True):
            r["diff"] = r["mean_a"] - r["mean_b"]
            r["p_adjusted"] = q
            r["significant"] = bool(q < alpha) if q == q else False
        return pd.DataFrame(
            rows,
            columns=_SIGNIFICANCE_COLUMNS,
        )

    def win_matrix(self, metric: str = "advantage") -> Any:
        """Share of bilateral meetings row beat column on ``metric`` (ties count half).

        A pandas DataFrame, competitors on both axes (with fixed opponents:
        competitors as rows, competitors and opponents as columns); NaN where
        they never met (and on the diagonal: self-play has no winner). A meeting where either
        party's value is NaN is left out (neither a win nor a tie), so a pair
        whose every meeting is unscored is NaN too.
        """
        pd = frame_library(
            "pandas", "results.win_matrix()", "results.table(name) gives the tables as Arrow tables"
        )

        parties = self.table("parties")
        rows = self.setup["competitors"]
        names = [*rows, *self.setup.get("opponents", ())]
        _, values = self._party_values(metric)
        matrix = win_shares(
            parties.column("negotiation_id").to_pylist(),
            parties.column("competitor").to_pylist(),
            values.tolist(),
            names,
            metric,
        )
        return pd.DataFrame(matrix[: len(rows)], index=rows, columns=names)

    def pairing_stats(self) -> Any:
        """Per ordered pairing (``partners``): negotiations, agreement rate, mean rounds."""
        return self.query(
            "SELECT partners, count(*) AS negotiations, avg(CASE WHEN agreement_index >= 0 THEN 1 "
            "ELSE 0 END) AS agreement_rate, avg(rounds) AS mean_rounds FROM negotiations "
            "GROUP BY partners ORDER BY partners"
        )

    def counts(self) -> dict[str, int]:
        """Negotiations planned and recorded, and how they ended."""
        out = {"planned": int(self.setup["n_negotiations"]), "recorded": len(self)}
        if len(self):
            for r in self.table("negotiations").column("result").to_pylist():
                out[r] = out.get(r, 0) + 1
        return out

    def _repr_html_(self) -> str:
        """Notebook display: counts, ranking and a plot (drawn by palaver.report
        when installed; see palaver.events.display)."""
        from palaver.events import display

        return display.html("negotiation_tournament", self)


def _not_a_negotiation_folder(root: Path) -> None:
    """Raise :class:`TournamentResultsError` saying what ``root`` is instead of a
    negotiation tournament's folder (or that it is not there), with the call that
    reads it."""
    if not root.exists():
        why = "it does not exist"
    elif (root / "manifest.json").is_file() and (root / "worlds").is_dir():
        why = (
            "it holds a world tournament's results: read them with palaver.tournaments.load_results"
        )
    elif (root / "events").is_dir() or any(
        (p / "events").is_dir() for p in root.glob("simulation_*")
    ):
        why = "it holds a recording: read it with palaver.recording.open"
    else:
        why = "no tournament.json"
    raise TournamentResultsError(f"{root} is not a negotiation tournament folder ({why})")
