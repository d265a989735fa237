"""The rows one negotiation of a tournament adds to its batch's tables
(negotiations, parties, offers), in the tables' column order: the metrics of
its agreement (kept per scenario and agreement in the scenario's info), the
parties' utilities and advantages, opponent-model and negotiation metrics when
asked for, and the offers taken as columns from the mechanism.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.mechanisms import SAOMechanism
from palaver.tournaments.negotiation.negotiation_metrics import negotiation_metrics
from palaver.tournaments.negotiation.opponent_models import opponent_scores
from palaver.tournaments.negotiation.plan import NegotiationSpec
from palaver.tournaments.negotiation.scenario_info import ScenarioInfo, advantage, scenario_info
from palaver.tournaments.negotiation.tables import Columns, outcome_json

if TYPE_CHECKING:
    from palaver.tournaments.negotiation.play import NegotiationJob


def negotiation_rows(
    job: NegotiationJob,
    spec: NegotiationSpec,
    cols: Columns,
    scenario: Any,
    names: list[str],
    ufun_of: list[int],
    status: str,
    agreement: tuple[Any, ...] | None,
    rounds: int,
    error: str,
    erred: str | None,
    cpu: float,
    wall: float,
    mech: SAOMechanism | None,
    info: ScenarioInfo | None,
) -> None:
    """Append one negotiation's rows to ``cols``: its row of the negotiations table,
    one per party and, at the ``"offers"`` detail, its offers (see
    :class:`~palaver.tournaments.negotiation.play.NegotiationJob`)."""
    if info is None:  # the negotiation failed before looking it up
        info = scenario_info(scenario)
    k = len(ufun_of)
    reserved = info.reserved
    position = info.index.get(agreement) if agreement is not None else None
    key = -1 if position is None else int(position)
    metrics = info.metrics.get(key)
    if metrics is None:
        # The point every metric is measured at: the agreement's utilities, or
        # without one each party's disagreement point (its reserved value; its
        # worst utility when that is infinite).
        point = info.utilities[position] if position is not None else info.reference
        u = info.utilities[position] if position is not None else reserved

        def dist(target: np.ndarray | None) -> float:
            if target is None:
                return math.nan
            return float(np.sqrt(((point - target) ** 2).sum()))

        pareto = (
            float(info.stats.pareto_distance(point)) if len(info.stats.pareto_utils) else math.nan
        )
        text = outcome_json(agreement) if agreement is not None else None
        # Per utility function: reserved value, best utility, utility, advantage.
        best = info.maxima
        parties = [
            (
                float(reserved[j]), float(best[j]), float(u[j]),
                float(advantage(float(point[j]), float(info.reference[j]), float(best[j]))),
            )
            for j in range(len(reserved))
        ]  # fmt: skip
        metrics = info.metrics[key] = (
            float(point.sum()), pareto, dist(info.nash), dist(info.kalai), dist(info.ks),
            text, parties,
        )  # fmt: skip
    welfare, pareto, nash, kalai, ks, text, parties = metrics
    # In the order of the negotiations table's columns (tables.schema).
    cols.neg.append(
        (
            spec.negotiation_id, spec.index, scenario.name, spec.scenario, spec.rotation,
            spec.repetition, "|".join(names), spec.n_steps, spec.time_limit, spec.seed,
            status, text, key, int(rounds), welfare, pareto, nash, kalai, ks, erred,
            error or None, cpu, wall,
        )
    )  # fmt: skip
    agreed = position is not None
    models: list[tuple[float, ...]] = [()] * k
    if job.opponent_metrics:
        models = opponent_scores(
            list(mech.negotiators) if mech is not None else [],
            [scenario.ufuns[j] for j in ufun_of],
            job.opponent_metrics,
            scenario.outcome_space,
        )
    if job.negotiation_metrics:
        full = negotiation_metrics(mech, info, ufun_of, position)
        models = [m + f for m, f in zip(models, full, strict=True)]
    for p in range(k):
        j = ufun_of[p]
        r, mx, up, adv = parties[j]
        cols.party.append(
            (
                spec.negotiation_id, scenario.name, spec.repetition, p, names[p],
                "|".join(names[:p] + names[p + 1 :]), j, info.names[j], r, mx, up, adv,
                agreed, int(rounds), status, *models[p],
            )
        )  # fmt: skip
    if job.detail == "offers" and mech is not None:
        _offers(spec, cols, scenario.name, ufun_of, info, mech)


def _offers(
    spec: NegotiationSpec,
    cols: Columns,
    scenario: str,
    ufun_of: list[int],
    info: ScenarioInfo,
    mech: SAOMechanism,
) -> None:
    # Taken as columns: planned offers come straight from the plans'
    # position arrays, with no Python object per offer.
    rounds, who, outcome = mech.offer_columns(info.index)
    n = len(rounds)
    if not n:
        return
    ufun = np.asarray(ufun_of, dtype=np.int64)[who]
    o = cols.offer
    o["negotiation_id"].append((spec.negotiation_id, n))
    o["scenario"].append((scenario, n))
    o["round"].append(rounds.astype(np.int32, copy=False))
    o["position"].append(who)
    o["competitor"].append(np.asarray(spec.partners, dtype=np.int32)[who])
    o["outcome_index"].append(outcome.astype(np.int32, copy=False))
    o["utility"].append(info.utilities[outcome, ufun])
