"""Saving a mechanism's negotiation in NegMAS's layout (``Mechanism.save``, ``to_completed_run``).

:class:`MechanismSaving` is the part of :class:`~palaver.mechanisms.Mechanism`
(which derives from it) that turns a negotiation into a
:class:`~palaver.mechanisms.completed_run.CompletedRun` and saves it. The
history formats are those of :mod:`~palaver.mechanisms.run_formats`: every
mechanism has ``"history"``, ``"extended_trace"`` and ``"trace"`` (but one
written NegMAS-style, ``"history"`` only); the SAO mechanism also
``"full_trace"`` and ``"full_trace_with_utils"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from palaver._util.tables import DEFAULT_TABLE_STORAGE_FORMAT, TableStorageFormat
from palaver.mechanisms.completed_run import CompletedRun
from palaver.mechanisms.run_formats import HISTORY_TYPES
from palaver.mechanisms.run_metrics import MechanismMetrics
from palaver.scenarios import (
    Scenario,
    ScenarioError,
    calc_outcome_distances,
    calc_outcome_optimality,
    estimate_max_dist,
)
from palaver.scenarios.optimality import OutcomeOptimality

__all__ = ["MechanismSaving"]


def _plain(value: Any) -> Any:
    """A limit as YAML can hold it (``None`` stays ``None``)."""
    return value if value is None or isinstance(value, bool | int | str) else float(value)


class MechanismSaving(MechanismMetrics):
    """NegMAS's saving of a finished negotiation (see :class:`Mechanism`)."""

    def make_config(self) -> dict[str, Any]:
        """The mechanism's configuration as plain data (``config.yaml`` of a saved run):
        its type and name, the negotiators, its limits and how it ended."""
        state = self._state
        return {
            "mechanism_type": type(self).__name__,
            "n_negotiators": len(self._negotiators),
            "negotiator_names": self.negotiator_names,
            "negotiator_types": [type(n).__name__ for n in self._negotiators],
            "negotiator_ids": self.negotiator_ids,
            "final_step": self.current_step,
            "final_time": float(self.time),
            "final_relative_time": float(self.relative_time),
            "broken": state.broken,
            "timedout": state.timedout,
            "has_error": state.has_error,
            "n_steps": self.n_steps,
            "time_limit": _plain(self.time_limit),
            "step_time_limit": _plain(self.step_time_limit),
            "negotiator_time_limit": _plain(self.negotiator_time_limit),
            "name": self.name,
            "id": self.id,
            "ignore_negotiator_exceptions": self.ignore_negotiator_exceptions,
        }

    def available_save_sources(self) -> list[str]:
        """The history formats this mechanism can save (``"history"`` first).

        A mechanism written NegMAS-style (``__call__``), whose :attr:`history`
        is its state after each round and which makes no offers of its own,
        has only ``"history"``, as NegMAS's base mechanism.
        """
        if self._states is not None:
            return ["history"]
        return ["history", *(s for s in HISTORY_TYPES[:-1] if hasattr(self, s))]

    def _scenario(self) -> Scenario | None:
        """The outcome space with the negotiators' ufuns (``None`` when none has one,
        or one is not a utility function a scenario can hold)."""
        ufuns = [n.ufun for n in self._negotiators if getattr(n, "ufun", None) is not None]
        if not ufuns:
            return None
        try:
            return Scenario(outcome_space=self.outcome_space, ufuns=ufuns)
        except ScenarioError:
            return None

    def _utilities(self) -> list[float | None]:
        """Each negotiator's utility of the agreement (``None``: no agreement or no ufun)."""
        agreement = self.agreement
        values: list[float | None] = []
        for negotiator in self._negotiators:
            ufun = getattr(negotiator, "ufun", None)
            values.append(None if ufun is None or agreement is None else float(ufun(agreement)))
        return values

    def _agreement_stats(self, scenario: Scenario | None) -> OutcomeOptimality | None:
        """The agreement's optimality against the scenario's statistics (computed:
        this enumerates the outcome space), when every negotiator has a ufun."""
        agreement = self.agreement
        if agreement is None or scenario is None or len(scenario.ufuns) != len(self._negotiators):
            return None
        ufuns = list(scenario.ufuns)
        stats = scenario.calc_stats()
        dists = calc_outcome_distances(tuple(float(u(agreement)) for u in ufuns), stats)
        return calc_outcome_optimality(dists, stats, estimate_max_dist(ufuns))

    def to_completed_run(
        self,
        source: str | None = None,
        metadata: dict[str, Any] | None = None,
        agreement_stats: OutcomeOptimality | None = None,
        calc_agreement_stats: bool = False,
        calc_metrics: bool = False,
    ) -> CompletedRun:
        """This negotiation as a :class:`CompletedRun` (NegMAS's ``to_completed_run``).

        Args:
            source: The history format: ``None`` takes the most detailed this
                mechanism has (``"full_trace_with_utils"`` for SAO), else one of
                :meth:`available_save_sources`. A format it lacks gives
                ``"history"``, as in NegMAS.
            metadata: The caller's data to keep with the run.
            agreement_stats: The agreement's optimality scores, if known.
            calc_agreement_stats: Compute them when not given (needs every
                negotiator's ufun; enumerates the outcome space).
            calc_metrics: Also compute the run's ``full_metrics``
                (:meth:`calc_full_metrics`); when the agreement's scores were
                neither given nor computed, theirs are kept as ``agreement_stats``.

        Raises:
            ValueError: For a ``source`` that is no history format, or with
                ``calc_metrics`` when a negotiator has no ufun.
        """
        if source is not None and source not in HISTORY_TYPES:
            raise ValueError(f"source must be None or one of {HISTORY_TYPES}, got {source!r}")
        available = self.available_save_sources()
        if source is None:
            source = next(s for s in HISTORY_TYPES if s in available)
        elif source not in available:
            source = "history"
        history = list(self.history if source == "history" else getattr(self, source))
        scenario = self._scenario()
        if agreement_stats is None and calc_agreement_stats:
            agreement_stats = self._agreement_stats(scenario)
        state = self._state
        outcome_stats = {
            "agreement": self.agreement,
            "broken": state.broken,
            "timedout": state.timedout,
            "has_error": state.has_error,
            "error_details": str(state.error_details or ""),
            "utilities": self._utilities(),
        }
        full_metrics = self.calc_full_metrics() if calc_metrics else None
        if agreement_stats is None and full_metrics is not None and self.agreement is not None:
            agreement_stats = full_metrics.optimality
        return CompletedRun(
            history=history,
            history_type=source,
            scenario=scenario,
            agreement=self.agreement,
            agreement_stats=agreement_stats,
            outcome_stats=outcome_stats,
            config=self.make_config(),
            metadata=dict(metadata or {}),
            full_metrics=full_metrics,
        )

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
        source: str | None = None,
        metadata: dict[str, Any] | None = None,
        agreement_stats: OutcomeOptimality | None = None,
        calc_agreement_stats: bool = False,
        overwrite: bool = True,
        warn_if_existing: bool = True,
        storage_format: TableStorageFormat | None = DEFAULT_TABLE_STORAGE_FORMAT,
    ) -> Path:
        """Save this negotiation in NegMAS's layout and return the file or folder written.

        ``to_completed_run(source, metadata, agreement_stats,
        calc_agreement_stats).save(...)`` with the other arguments: see
        :meth:`to_completed_run` and :meth:`CompletedRun.save` (which
        describes the files). With ``single_file`` only the history is written,
        as ``<name>.csv``, ``<name>.csv.gz`` or ``<name>.parquet``.
        """
        run = self.to_completed_run(
            source=source,
            metadata=metadata,
            agreement_stats=agreement_stats,
            calc_agreement_stats=calc_agreement_stats,
        )
        return run.save(
            parent,
            name,
            single_file=single_file,
            per_negotiator=per_negotiator,
            save_scenario=save_scenario,
            save_scenario_stats=save_scenario_stats,
            save_agreement_stats=save_agreement_stats,
            save_config=save_config,
            overwrite=overwrite,
            warn_if_existing=warn_if_existing,
            storage_format=storage_format,
        )
