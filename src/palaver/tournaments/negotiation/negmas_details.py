"""NegMAS's ``details`` frame of a tournament (one row per negotiation), for
:attr:`SimpleTournamentResults.details
<palaver.tournaments.negotiation.negmas_results.SimpleTournamentResults.details>`:
Palaver's negotiations and parties tables merged and renamed to NegMAS's run
records, each agreement as the scenario's own outcome and, when the scenarios
are known, NegMAS's optimality columns (:class:`ScenarioMeasures`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from palaver._util.optional import frame_library
from palaver.tournaments.negotiation.negmas_scores import OPTIMALITY_COLS

if TYPE_CHECKING:
    from palaver.tournaments.negotiation.results import NegotiationTournamentResults

_TIMEOUTS = ("timeout", "hung")
"""Palaver's ``result`` values NegMAS counts as timed out: a negotiation its
timer stopped (``hung``) is one NegMAS's ``external_timeout`` killed."""


class ScenarioMeasures:
    """What a tournament's scenarios tell about its negotiations: an agreement as
    the scenario's own outcome and NegMAS's optimality of the utilities reached
    (the scenario's statistics kept per seating). Knows no scenario when given none.

    Attributes:
        scenarios: The scenarios by name.
    """

    def __init__(self, scenarios: Sequence[Any] = ()) -> None:
        self.scenarios: dict[str, Any] = {s.name: s for s in scenarios}
        # (scenario, ufun per position) -> its statistics and largest distance.
        self._solutions: dict[tuple[str, tuple[int, ...]], tuple[Any, float]] = {}

    def agreement(self, scenario: str, text: Any, index: int) -> tuple[Any, ...] | None:
        """The agreement as the scenario's own outcome (its values as they are:
        JSON text turns a tuple value into a list, a date into a string); read
        from the text when the scenario is not known."""
        from palaver.mechanisms.table import outcome_table

        s = self.scenarios.get(scenario)
        table = outcome_table(s.outcome_space) if s is not None and index >= 0 else None
        if table is not None:
            return table.outcomes[index]
        return _outcome(text)

    def optimality(self, scenario: str, ufuns: list[int], utils: list[float]) -> dict[str, float]:
        """NegMAS's optimality of one negotiation's utilities (NaN where the
        scenario is unknown)."""
        from palaver.scenarios.optimality import (
            calc_outcome_distances,
            calc_outcome_optimality,
            estimate_max_dist,
        )

        s = self.scenarios.get(scenario)
        if s is None:
            return dict.fromkeys(OPTIMALITY_COLS, math.nan)
        key = (scenario, tuple(int(u) for u in ufuns))
        if key not in self._solutions:
            # The stats of the parties in the order they sat (a rotation of the
            # scenario's): rotate_ufuns(k) seats ufun (p - k) % n at position p.
            n = len(ufuns)
            k = next(k for k in range(n) if all((p - k) % n == u for p, u in enumerate(key[1])))
            seated = s.rotate_ufuns(k) if k else s
            self._solutions[key] = (seated.stats, estimate_max_dist(list(s.ufuns)))
        stats, max_dist = self._solutions[key]
        opt = calc_outcome_optimality(calc_outcome_distances(utils, stats), stats, max_dist)
        out = {col: getattr(opt, col) for col in OPTIMALITY_COLS if col != "fairness"}
        fair = [out[c] for c in ("nash_optimality", "kalai_optimality", "ks_optimality")]
        fair = [x for x in fair if not math.isnan(x)]
        out["fairness"] = max(fair) if fair else math.nan
        return out


def details_frame(
    results: NegotiationTournamentResults, measures: ScenarioMeasures, config: Mapping[str, Any]
) -> Any:
    """NegMAS's ``details`` of ``results``: one row per negotiation, Palaver's
    columns kept; with ``only_failures_on_self_play`` (in ``config``), as in
    NegMAS, without the self-play negotiations that reached an agreement."""
    pd = pandas_for("details")
    negs = results.negotiations
    parties = results.parties.sort_values(["negotiation_id", "position"], kind="stable")
    per = parties.groupby("negotiation_id", sort=False).agg(
        negotiator_names=("competitor", list),
        utilities=("utility", list),
        reserved_values=("reserved_value", list),
        max_utils=("max_utility", list),
        ufuns=("ufun", list),
        **{c: (c, list) for c in parties.columns if c.startswith(("opp_", "neg_"))},
        **{c: (c, "first") for c in parties.columns if c.startswith("session_")},
    )
    out = negs.merge(per, left_on="negotiation_id", right_index=True, how="left")
    out["run_id"] = out["negotiation_id"]
    out["partners"] = out["negotiator_names"]
    out["negotiator_ids"] = [
        [f"{name}@{p}" for p, name in enumerate(names)] for names in out["negotiator_names"]
    ]
    out["n_negotiators"] = [len(names) for names in out["negotiator_names"]]
    out["agreement"] = [
        measures.agreement(s, text, int(i))
        for s, text, i in zip(
            out["scenario"], out["agreement"], out["agreement_index"], strict=True
        )
    ]
    out["step"] = out["last_step"] = out["rounds"]
    out["rep"] = out["repetition"]
    out["execution_time"] = out["wall_time"]
    out["timedout"] = out["result"].isin(_TIMEOUTS)
    out["broken"] = out["result"] == "failure"
    out["has_error"] = out["result"] == "error"
    out["error_details"] = out["error"].fillna("")
    out["erred_negotiator"] = out["erred_negotiator"].fillna("")
    out["started"], out["running"] = True, False
    out["mechanism_name"] = "SAOMechanism"
    out["mechanism_type"] = "palaver.mechanisms.SAOMechanism"
    # NegMAS's positions scored (the competitors') with fixed opponents; None: all.
    opponents = set(results.setup.get("opponents", ()))
    out["scored_indices"] = [
        [i for i, name in enumerate(names) if name not in opponents] if opponents else None
        for names in out["negotiator_names"]
    ]
    if measures.scenarios:
        rows = [
            measures.optimality(s, ufuns, utils)
            for s, ufuns, utils in zip(out["scenario"], out["ufuns"], out["utilities"], strict=True)
        ]
        for col in OPTIMALITY_COLS:
            out[col] = [r[col] for r in rows]
    if config.get("only_failures_on_self_play") and results.setup.get("self_play"):
        # NegMAS keeps a self-play negotiation only when it found no agreement.
        mirror = [len(set(names)) == 1 for names in out["negotiator_names"]]
        out = out[~(pd.Series(mirror, index=out.index) & out["agreement"].notna())]
    return pd.DataFrame(out.drop(columns=["ufuns"])).reset_index(drop=True)


def _outcome(text: Any) -> tuple[Any, ...] | None:
    """An agreement of the negotiations table (JSON text, null without one) as an
    outcome (a hashable tuple: a list value, written from a tuple, is a tuple again)."""
    if not isinstance(text, str):
        return None
    return tuple(_hashable(v) for v in json.loads(text))


def _hashable(value: Any) -> Any:
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


def pandas_for(what: str) -> Any:
    """pandas, or an ``ImportError`` naming ``SimpleTournamentResults.<what>``."""
    return frame_library(
        "pandas",
        f"SimpleTournamentResults.{what}",
        "results.palaver.table(name) gives Arrow tables",
    )
