"""What every negotiation on a scenario needs (outcome index, utilities, the
Pareto frontier and the bargaining points), computed once per scenario and worker."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from palaver.mechanisms.table import outcome_table
from palaver.scenarios.stats import disagreement

__all__ = [
    "METRICS_VERSION",
    "ScenarioInfo",
    "advantage",
    "parties_the_metrics_rule_changed",
    "scenario_fingerprint",
    "scenario_info",
]

#: The rules the metrics follow, recorded in ``tournament.json`` as ``metrics_version``.
#: 2: every metric is measured at the disagreement point (see :func:`advantage`).
#: 1 (a folder without the key): a reserved value of -inf gave advantage
#: ``u - min u`` (``-inf`` without agreement), welfare counted it as 0 and the
#: distances were measured from 0; a reserved value at or above the best utility
#: gave ``(u - r) / (max u - r)``.
METRICS_VERSION = 2


def parties_the_metrics_rule_changed(scenario: Any) -> list[str]:
    """The parties (utility function names) of ``scenario`` whose metrics rules 1 and
    2 compute differently: a reserved value that is not finite, or at or above the
    party's best utility. For every other party the two rules agree."""
    ufuns = list(scenario.ufuns)
    names = list(getattr(scenario, "ufun_names", None) or (f"u{j}" for j in range(len(ufuns))))
    best = np.asarray(scenario.utilities, dtype=float).max(axis=0)
    return [
        name
        for name, ufun, top in zip(names, ufuns, best, strict=True)
        if not (math.isfinite(ufun.reserved_value) and ufun.reserved_value < top)
    ]


def advantage(utility: float, reference: float, best: float) -> float:
    """A party's advantage: ``(u - d) / (best - d)``, its gain over its disagreement
    point ``d`` as a share of the most it could gain. When ``best <= d`` (no
    outcome is worth more than not agreeing) the share has no meaning and the
    gain itself, ``u - d`` (never positive), is returned."""
    if best > reference:
        return (utility - reference) / (best - reference)
    return utility - reference


def scenario_fingerprint(scenario: Any) -> str:
    """The SHA-256 of what a scenario holds that a negotiation on it depends on.

    That is its Palaver JSON form (:mod:`palaver.scenarios.native`) without the
    name and ``info``: the issues, and each party's utility function, name,
    reserved value and discount factor; and its ``mechanism_params`` when it
    has any. A utility function that form cannot
    write is taken by its utilities over every outcome instead. Floats are
    written by ``repr`` (exact), so the digest is the same in every process.
    """
    from palaver.scenarios import ScenarioError
    from palaver.scenarios.native import scenario_json

    ufuns = tuple(scenario.ufuns)
    k = len(ufuns)
    names = tuple(getattr(scenario, "ufun_names", None) or (f"u{j}" for j in range(k)))
    discounts = tuple(getattr(scenario, "discount_factors", None) or (1.0,) * k)
    data: dict[str, Any]
    try:
        data = scenario_json(scenario.outcome_space, ufuns, names, discounts, "", {})
        del data["name"], data["info"]
    except ScenarioError:
        data = {
            "issues": [repr(i) for i in scenario.outcome_space.issues],
            "utilities": np.asarray(scenario.utilities, dtype=float).tolist(),
            "reserved": [float(u.reserved_value) for u in ufuns],
            "names": list(names),
            "discounts": [float(d) for d in discounts],
        }
    own = getattr(scenario, "mechanism_params", None)
    if own:  # only when given: fingerprints of scenarios without any are unchanged
        data["mechanism_params"] = dict(own)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class ScenarioInfo:
    """What every negotiation on a scenario needs, computed once per worker."""

    index: dict[tuple[Any, ...], int]
    utilities: np.ndarray
    maxima: np.ndarray
    nash: np.ndarray | None
    kalai: np.ndarray | None
    ks: np.ndarray | None
    stats: Any
    reserved: np.ndarray
    #: Each party's disagreement point: its reserved value, or its worst utility
    #: when the reserved value is infinite (as the scenario statistics take it).
    reference: np.ndarray
    names: list[str]
    #: Per agreement position (-1: none): welfare, distances, the agreement's
    #: JSON, and per utility function its reserved value, best utility, utility
    #: and advantage (see ``play._rows``).
    metrics: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    #: Per assignment of utility functions to positions, the rational Pareto
    #: frontier in the positions' order (see ``negotiation_metrics``).
    frontiers: dict[tuple[int, ...], list[tuple[float, ...]]] = field(default_factory=dict)


_INFO: dict[int, tuple[Any, Any, tuple[Any, ...], ScenarioInfo]] = {}
"""By ``id``: the scenario, its outcome space and utility functions when the
info was made, and the info."""


def scenario_info(scenario: Any) -> ScenarioInfo:
    """The cached :class:`ScenarioInfo` of ``scenario`` (by identity).

    Made again when the scenario changed since: a reserved value set on a
    utility function, or NegMAS's in-place transforms (``normalize``,
    ``discretize``, ...), which give it other utility functions or another
    outcome space.
    """
    hit = _INFO.get(id(scenario))
    ufuns = tuple(scenario.ufuns)
    if (
        hit is not None
        and hit[0] is scenario
        and hit[1] is scenario.outcome_space
        and len(hit[2]) == len(ufuns)
        and all(a is b for a, b in zip(hit[2], ufuns, strict=True))
        and hit[3].reserved.tolist() == [float(u.reserved_value) for u in ufuns]
    ):
        return hit[3]
    table = outcome_table(scenario.outcome_space)
    if table is None:
        raise ValueError(
            f"scenario {scenario.name!r} is not a discrete space of at most 100,000 outcomes; "
            "discretize it first (Scenario.discretize)"
        )
    stats = scenario.stats
    utils = np.asarray(scenario.utilities, dtype=float)

    def point(p: Any) -> np.ndarray | None:
        return None if p is None else np.asarray(p.utilities, dtype=float)

    reserved = np.array([float(u.reserved_value) for u in scenario.ufuns])
    info = ScenarioInfo(
        index=table.index,
        utilities=utils,
        maxima=utils.max(axis=0),
        nash=point(stats.nash),
        kalai=point(stats.kalai),
        ks=point(stats.kalai_smorodinsky),
        stats=stats,
        reserved=reserved,
        reference=disagreement(reserved.tolist(), utils),
        names=list(getattr(scenario, "ufun_names", [f"u{j}" for j in range(len(scenario.ufuns))])),
    )
    _INFO[id(scenario)] = (scenario, scenario.outcome_space, ufuns, info)
    return info


def mechanism_options(scenario: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    """The mechanism's options for a negotiation on ``scenario``: the scenario's
    ``mechanism_params`` and then the tournament's ``params``, which win."""
    return {**(getattr(scenario, "mechanism_params", None) or {}), **params}
