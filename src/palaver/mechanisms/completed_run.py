"""A finished negotiation as data, saved and loaded in NegMAS's layout (NegMAS's ``CompletedRun``).

:meth:`Mechanism.to_completed_run` makes one and :meth:`Mechanism.save` saves
one. :meth:`CompletedRun.save` writes either a single table (the history only:
``<name>.csv``, ``<name>.csv.gz`` or ``<name>.parquet``) or a folder
``<name>/`` holding:

- ``trace.<ext>``: the history as a table (its columns are those of the
  history's format, see :mod:`~palaver.mechanisms.run_formats`);
- ``run_info.yaml``: ``history_type``, ``agreement`` and ``storage_format``;
- ``outcome_stats.yaml``: the agreement, ``broken``, ``timedout``,
  ``has_error``, ``error_details``, each negotiator's utility of the agreement,
  and the agreement's optimality scores when known;
- ``config.yaml``: the mechanism's configuration (type, negotiators, limits,
  how it ended); ``metadata.yaml``: the caller's metadata, if any;
- ``session_metrics.yaml`` and ``negotiator_metrics.yaml``: the run's
  :class:`~palaver.mechanisms.FullMetrics`, when computed;
- ``scenario/``: the outcome space and ufuns (Palaver JSON, which
  :meth:`Scenario.load` reads) and, when asked, ``_stats.yaml``.

The YAML files need PyYAML (not a Palaver dependency). :meth:`CompletedRun.load`
reads either form back; offers come back as tuples and the agreement as the
YAML list it was written as.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import attrs

from palaver._util.serialization import dump, load
from palaver._util.tables import (
    DEFAULT_TABLE_STORAGE_FORMAT,
    TableStorageFormat,
    load_table,
    save_table,
)
from palaver._util.warning_types import NegmasIOWarning, deprecated, warn
from palaver.mechanisms import plotting
from palaver.mechanisms.completed_run_files import optional_yaml, read_scenario, write_scenario
from palaver.mechanisms.completed_run_metrics import (
    completed_run_metrics,
    read_metrics,
    write_metrics,
)
from palaver.mechanisms.run_formats import (
    HISTORY_TYPES,
    convert_history,
    history_records,
    history_type_of_columns,
    negotiator_ids_in,
    parse_offers,
    trace_columns,
)
from palaver.outcomes import Outcome
from palaver.scenarios import Scenario
from palaver.scenarios.metrics_full import FullMetrics
from palaver.scenarios.optimality import AnyStats, OutcomeOptimality

__all__ = ["CompletedRun"]

_EXTENSIONS: dict[str, str] = {"csv": ".csv", "gzip": ".csv.gz", "parquet": ".parquet"}
_OPTIMALITY = [f.name for f in attrs.fields(OutcomeOptimality)]


def _trace_file(folder: Path, storage_format: str | None) -> Path:
    """The trace table in ``folder``: the one of ``storage_format`` first, else any."""
    first = _EXTENSIONS.get(storage_format or "", ".csv")
    for ext in (first, *_EXTENSIONS.values()):
        candidate = folder / f"trace{ext}"
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"No trace file found in {folder}")


def _ids_config(history: list[Any], history_type: str) -> dict[str, Any]:
    """``negotiator_ids`` (and the same as names) read from the history, when it names any."""
    ids = negotiator_ids_in(history, history_type)
    return {"negotiator_ids": ids, "negotiator_names": ids} if ids else {}


@dataclass
class CompletedRun:
    """A finished negotiation: its history and what is known about how it ended.

    Attributes:
        history: The offers in the format ``history_type`` names (a list of
            ``TraceElement``, tuples, states or, once loaded, dicts).
        history_type: ``"full_trace_with_utils"``, ``"full_trace"``,
            ``"extended_trace"``, ``"trace"`` or ``"history"``.
        scenario: The outcome space and the negotiators' ufuns, when known.
        agreement: The agreement, or ``None``.
        agreement_stats: The agreement's optimality scores, when known.
        outcome_stats: The agreement, ``broken``, ``timedout``, ``has_error``,
            ``error_details`` and the negotiators' ``utilities`` of it.
        config: The mechanism's configuration (see ``Mechanism.make_config``).
        metadata: The caller's own data.
        full_metrics: Every metric of the negotiation, when computed
            (:meth:`calc_full_metrics`) or loaded.
    """

    history: list[Any]
    history_type: str
    scenario: Scenario | None
    agreement: Outcome | None
    agreement_stats: OutcomeOptimality | None
    outcome_stats: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    full_metrics: FullMetrics | None = None

    # -- saving ------------------------------------------------------------------

    def _write_trace(self, path: Path, storage_format: TableStorageFormat | None) -> Path:
        """The history as a table at ``path``; the path written (a CSV one when
        Parquet could not be written, see :func:`palaver.tables.save_table`)."""
        columns = trace_columns(self.history_type, self.history, self.config)
        if columns is None:
            return save_table(history_records(self.history), path, storage_format=storage_format)
        rows = [list(entry) for entry in self.history]
        return save_table(rows, path, columns=columns, storage_format=storage_format)

    def save(
        self,
        parent: Path | str,
        name: str,
        single_file: bool = False,
        per_negotiator: bool = False,
        save_scenario: bool = True,
        save_scenario_stats: bool = False,
        save_agreement_stats: bool = True,
        save_config: bool = True,
        overwrite: bool = True,
        warn_if_existing: bool = True,
        include_pareto_frontier: bool = False,
        storage_format: TableStorageFormat | None = DEFAULT_TABLE_STORAGE_FORMAT,
        save_metrics: bool = True,
    ) -> Path:
        """Save the run under ``parent`` and return the file or folder written.

        Args:
            parent: The folder to save in (made if missing).
            name: The file name without extension (``single_file``) or the folder's name.
            single_file: Write the history alone as ``<name>.<ext>``.
            per_negotiator: Deprecated and ignored (a ``DeprecationWarning``): the
                trace has every negotiator's offers in its ``negotiator`` column.
            save_scenario: Write the scenario under ``scenario/`` (when known).
            save_scenario_stats: Also write its statistics to ``scenario/_stats.yaml``.
            save_agreement_stats: Add the agreement's optimality scores to
                ``outcome_stats.yaml`` (when known).
            save_config: Write ``config.yaml``.
            overwrite: Replace what is there; when ``False`` an existing file or
                folder is kept as it is and its path returned.
            warn_if_existing: Warn (``NegmasIOWarning``) when the target exists.
            include_pareto_frontier: Put the Pareto frontier in ``_stats.yaml``.
            storage_format: ``"csv"``, ``"gzip"`` or ``"parquet"`` (the default).
            save_metrics: Write :attr:`full_metrics` (when known) as
                ``session_metrics.yaml`` and ``negotiator_metrics.yaml``.

        Raises:
            ValueError: For an unknown ``storage_format``.
        """
        if storage_format is not None and storage_format not in _EXTENSIONS:
            raise ValueError(
                f"Unknown storage_format: {storage_format!r}. Expected 'csv', 'gzip', or 'parquet'."
            )
        if per_negotiator:
            deprecated(
                "per_negotiator is deprecated and ignored: the trace holds every "
                "negotiator's offers (its 'negotiator' column)"
            )
        base = Path(parent).expanduser()
        base.mkdir(parents=True, exist_ok=True)
        ext = _EXTENSIONS[storage_format or DEFAULT_TABLE_STORAGE_FORMAT]
        target = base / f"{name}{ext}" if single_file else base / name
        if target.exists():
            if warn_if_existing:
                warn(f"{target} already exists", NegmasIOWarning)
            if not overwrite:
                return target
        if single_file:
            return self._write_trace(target, storage_format)
        target.mkdir(parents=True, exist_ok=True)
        self._write_trace(target / f"trace{ext}", storage_format)
        run_info = {
            "history_type": self.history_type,
            "agreement": self.agreement,
            "storage_format": storage_format,
        }
        dump(run_info, target / "run_info.yaml")
        if save_scenario and self.scenario is not None:
            write_scenario(
                self.scenario, target / "scenario", save_scenario_stats, include_pareto_frontier
            )
        outcome_stats = dict(self.outcome_stats)
        if save_agreement_stats and self.agreement_stats is not None:
            outcome_stats.update(attrs.asdict(self.agreement_stats))
        if outcome_stats:
            dump(outcome_stats, target / "outcome_stats.yaml")
        if save_config and self.config:
            dump(self.config, target / "config.yaml")
        if self.metadata:
            dump(self.metadata, target / "metadata.yaml")
        if save_metrics and self.full_metrics is not None:
            write_metrics(self.full_metrics, target)
        return target

    # -- loading -----------------------------------------------------------------

    @classmethod
    def load(
        cls,
        path: Path | str,
        load_scenario: bool = True,
        load_scenario_stats: bool = False,
        load_agreement_stats: bool = True,
        load_config: bool = True,
        load_metrics: bool = True,
    ) -> CompletedRun:
        """A run :meth:`save` wrote, from its file or folder.

        A single file gives the history (its format told by its columns) and
        ``negotiator_ids`` (and the same as ``negotiator_names``) in the order
        they first offer. A folder gives everything saved; without
        ``config.yaml`` the ids are read from the history as for a file. The
        scenario is read from ``scenario/``, else from ``metadata["scenario_path"]``.

        Args:
            path: The file or folder.
            load_scenario: Read the scenario (``None`` when it cannot be read).
            load_scenario_stats: Compute its statistics once read (Palaver
                recomputes them rather than reading ``_stats.yaml``).
            load_agreement_stats: Read the optimality scores from ``outcome_stats.yaml``.
            load_config: Read ``config.yaml``.
            load_metrics: Read :attr:`full_metrics` when the run saved them.

        Raises:
            FileNotFoundError: When ``path`` does not exist, or a folder has no trace.
        """
        source = Path(path).expanduser().absolute()
        if not source.exists():
            raise FileNotFoundError(f"Path not found: {source}")
        if source.is_file():
            history = parse_offers(load_table(source, as_dataframe=False))
            history_type = history_type_of_columns(history[0]) if history else "history"
            return cls(
                history=history,
                history_type=history_type,
                scenario=None,
                agreement=None,
                agreement_stats=None,
                config=_ids_config(history, history_type),
            )
        run_info_path = source / "run_info.yaml"
        run_info = load(run_info_path) if run_info_path.exists() else {}
        trace = _trace_file(source, run_info.get("storage_format"))
        history = parse_offers(load_table(trace, as_dataframe=False))
        history_type = run_info.get("history_type") or (
            history_type_of_columns(history[0]) if history else "history"
        )
        metadata = optional_yaml(source / "metadata.yaml")
        scenario = read_scenario(source, metadata, load_scenario_stats) if load_scenario else None
        config = optional_yaml(source / "config.yaml") if load_config else {}
        if "negotiator_ids" not in config:
            ids = _ids_config(history, history_type)
            if ids:
                config["negotiator_ids"] = ids["negotiator_ids"]
                config.setdefault("negotiator_names", ids["negotiator_names"])
        outcome_stats = optional_yaml(source / "outcome_stats.yaml")
        agreement = run_info.get("agreement")
        if agreement is None:
            agreement = outcome_stats.get("agreement")
        agreement_stats = None
        if load_agreement_stats and any(k in outcome_stats for k in _OPTIMALITY):
            agreement_stats = OutcomeOptimality(
                **{k: float(outcome_stats.get(k, math.nan)) for k in _OPTIMALITY}
            )
        return cls(
            history=history,
            history_type=history_type,
            scenario=scenario,
            agreement=agreement,
            agreement_stats=agreement_stats,
            outcome_stats=outcome_stats,
            config=config,
            metadata=metadata,
            full_metrics=read_metrics(source, agreement_stats) if load_metrics else None,
        )

    def calc_full_metrics(
        self,
        *,
        opponent_ufuns: Sequence[Any] | None = None,
        stats: AnyStats | None = None,
        max_dist: float | None = None,
        eps: float = 1e-9,
        store: bool = True,
    ) -> FullMetrics:
        """Every metric of this run, from its scenario and history (see
        :func:`~palaver.mechanisms.completed_run_metrics.completed_run_metrics`);
        kept as :attr:`full_metrics` when ``store``.

        Raises:
            ValueError: When the run has no scenario.
        """
        metrics = completed_run_metrics(
            self, opponent_ufuns=opponent_ufuns, stats=stats, max_dist=max_dist, eps=eps
        )
        if store:
            self.full_metrics = metrics
        return metrics

    @classmethod
    def infer_source(cls, path: Path | str) -> str:
        """The history format of a saved run: ``run_info.yaml``'s when a folder has
        one, else told by the trace table's columns (``"history"`` for an empty one).

        Raises:
            FileNotFoundError: When ``path`` does not exist.
        """
        source = Path(path).expanduser().absolute()
        if not source.exists():
            raise FileNotFoundError(f"Path not found: {source}")
        if source.is_dir():
            run_info_path = source / "run_info.yaml"
            if run_info_path.exists():
                return str(load(run_info_path).get("history_type", "history"))
            try:
                source = _trace_file(source, None)
            except FileNotFoundError:
                return "history"
        rows = load_table(source, as_dataframe=False)
        return history_type_of_columns(rows[0]) if rows else "history"

    # -- converting --------------------------------------------------------------

    def convert(self, target: str, scenario: Scenario | None = None) -> CompletedRun:
        """This run with its history in format ``target`` (a new run; the same one's
        scenario). Fields a less detailed format lacks become ``None``.

        Args:
            target: One of ``"full_trace_with_utils"``, ``"full_trace"``,
                ``"extended_trace"``, ``"trace"``, ``"history"``.
            scenario: The ufuns to rate offers with for ``"full_trace_with_utils"``
                (default: this run's scenario).

        Raises:
            ValueError: For another ``target``, or ``"full_trace_with_utils"``
                with no scenario holding ufuns.
        """
        if target not in HISTORY_TYPES:
            raise ValueError(f"Invalid target format: {target!r}. Must be one of: {HISTORY_TYPES}")
        if target == self.history_type:
            history = list(self.history)
        else:
            rater = scenario if scenario is not None else self.scenario
            if target == "full_trace_with_utils" and (rater is None or not rater.ufuns):
                raise ValueError(
                    "Cannot convert to full_trace_with_utils without a scenario with utility "
                    "functions: pass scenario= or load the run with its scenario"
                )
            history = convert_history(self.history, self.history_type, target, rater)
        return CompletedRun(
            history=history,
            history_type=target,
            scenario=self.scenario,
            agreement=self.agreement,
            agreement_stats=self.agreement_stats,
            outcome_stats=dict(self.outcome_stats),
            config=dict(self.config),
            metadata=dict(self.metadata),
            full_metrics=self.full_metrics,
        )

    # -- drawing -----------------------------------------------------------------

    def plot(
        self, plotting_negotiators: tuple[int | str, int | str] = (0, 1), **options: Any
    ) -> Any:
        """NegMAS's ``CompletedRun.plot()``: the same figure as ``mechanism.plot()``
        (needs the report extra), a matplotlib ``Figure``; NegMAS's keywords
        as there (see ``palaver.report.negmas_options.PlotOptions``).

        Raises:
            ValueError: Without a scenario, with a history other than a full
                trace, or with a scenario without utility functions (NegMAS's
                messages).
        """
        if self.scenario is None:
            raise ValueError(
                "Cannot plot CompletedRun without a scenario. "
                "Load the CompletedRun with load_scenario=True."
            )
        if self.history_type != "full_trace":
            raise ValueError(
                f"Can only plot CompletedRun with history_type='full_trace', got "
                f"{self.history_type!r}. When saving the run, use "
                "to_completed_run(source='full_trace')."
            )
        if not self.scenario.ufuns:
            raise ValueError("Cannot plot CompletedRun without utility functions in the scenario.")
        return plotting.plot(self, plotting_negotiators=plotting_negotiators, **options)
