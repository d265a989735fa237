"""The :class:`FullMetrics` of a saved negotiation: computing, writing and reading them.

:func:`completed_run_metrics` computes them from a
:class:`~palaver.mechanisms.CompletedRun`'s scenario and history (the offers
in order with who made each; a ``"history"`` run has none, so the metrics of
the offers are NaN), its agreement and the relative time and last round its
``config`` recorded. :func:`write_metrics` saves the session's metrics as
``session_metrics.yaml`` and the parties' as ``negotiator_metrics.yaml`` (a
list, in the parties' order); :func:`read_metrics` reads them back with the
run's optimality scores (the ones in ``outcome_stats.yaml``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from palaver._util.serialization import dump, load
from palaver.mechanisms.metric_inputs import MetricInputs
from palaver.mechanisms.run_formats import convert_history, negotiator_ids_in
from palaver.scenarios import OutcomeOptimality
from palaver.scenarios.metrics_full import FullMetrics, calc_full_metrics, undefined_optimality
from palaver.scenarios.metrics_negotiator import NegotiatorMetrics
from palaver.scenarios.metrics_session import SessionMetrics
from palaver.scenarios.optimality import AnyStats

if TYPE_CHECKING:
    from palaver.mechanisms.completed_run import CompletedRun

__all__ = ["completed_run_metrics", "read_metrics", "write_metrics"]

SESSION_FILE = "session_metrics.yaml"
NEGOTIATORS_FILE = "negotiator_metrics.yaml"


def completed_run_metrics(
    run: CompletedRun,
    *,
    opponent_ufuns: Sequence[Any] | None = None,
    stats: AnyStats | None = None,
    max_dist: float | None = None,
    eps: float = 1e-9,
) -> FullMetrics:
    """The :class:`FullMetrics` of ``run`` (``stats`` default: its scenario's).

    Raises:
        ValueError: When the run has no scenario, or its scenario no utility functions.
    """
    scenario = run.scenario
    if scenario is None:
        raise ValueError(
            "CompletedRun has no scenario, so its metrics cannot be computed: "
            "load it with load_scenario=True from a folder holding scenario/"
        )
    trace: list[Any] = []
    if run.history_type != "history":
        trace = convert_history(run.history, run.history_type, "extended_trace", None)
    ids = list(run.config.get("negotiator_ids") or negotiator_ids_in(trace, "extended_trace"))
    inputs = MetricInputs(list(scenario.ufuns), scenario.outcome_space, ids, trace)
    parties, first = inputs.parties()
    return calc_full_metrics(
        inputs.trace_utils,
        inputs.agreement_utils(run.agreement),
        inputs.reserved,
        utility_ranges=inputs.ranges,
        relative_time=float(run.config.get("final_relative_time", 0.0)),
        last_step=int(run.config.get("final_step", 0)),
        trace_parties=parties,
        first_offer_party=first,
        trace_offers=inputs.trace_offers,
        outcome_space=inputs.space,
        ufuns=inputs.ufuns,
        opponent_ufuns=opponent_ufuns,
        stats=scenario.stats if stats is None else stats,
        max_dist=max_dist,
        eps=eps,
    )


def write_metrics(metrics: FullMetrics, folder: Path) -> None:
    """``metrics``' session and party records as YAML files in ``folder``."""
    dump(attrs.asdict(metrics.session), folder / SESSION_FILE)
    dump([attrs.asdict(m) for m in metrics.negotiators], folder / NEGOTIATORS_FILE)


def read_metrics(folder: Path, optimality: OutcomeOptimality | None) -> FullMetrics | None:
    """The metrics :func:`write_metrics` wrote in ``folder`` (``None`` when it wrote none).

    ``optimality`` is the run's (all NaN when ``None``).

    Raises:
        ValueError: When a file holds fields the records do not have.
    """
    session_path, parties_path = folder / SESSION_FILE, folder / NEGOTIATORS_FILE
    if not (session_path.exists() and parties_path.exists()):
        return None
    try:
        session = SessionMetrics(**(load(session_path) or {}))
        parties = [NegotiatorMetrics(**row) for row in (load(parties_path) or [])]
    except TypeError as exc:
        raise ValueError(
            f"metrics files in {folder} do not match the metric records: {exc}"
        ) from exc
    return FullMetrics(
        optimality=optimality if optimality is not None else undefined_optimality(),
        session=session,
        negotiators=parties,
    )
