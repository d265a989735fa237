"""Opponent-model scores: Palaver's opponent_metrics and NegMAS's opponent_modeling_metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from palaver.negmas import SimpleTournamentResults
from palaver.negmas import cartesian_tournament as negmas_tournament
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue, make_os
from palaver.preferences import AffineFun, IdentityFun, LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario
from palaver.tournaments.negotiation import cartesian_tournament
from palaver.tournaments.negotiation.opponent_models import anl2026, distributed

SPACE = make_os([make_issue(5, "price")], name="price")
HIGH = LinearAdditiveUtilityFunction(values=[IdentityFun()], outcome_space=SPACE, name="high")
LOW = LinearAdditiveUtilityFunction(
    values=[AffineFun(slope=-1, bias=4)], outcome_space=SPACE, name="low"
)


def scenario() -> Any:
    return Scenario(outcome_space=SPACE, ufuns=(HIGH, LOW), name="market")


# "oracle" believes its opponent holds LOW: right at position 0, exactly wrong
# (the reverse ranking) at position 1; "blind" has no model.
PARAMS = [{"private_info": {"opponent_ufun": LOW}}, {}]
NAMES = ["oracle", "blind"]


def test_parties_hold_each_negotiators_raw_scores() -> None:
    res = cartesian_tournament(
        [AspirationNegotiator, AspirationNegotiator], [scenario()], rotate_ufuns=False,
        self_play=False, n_steps=10, competitor_params=PARAMS, competitor_names=NAMES,
        opponent_metrics=["kendall", "kendall_optimality"],
    )  # fmt: skip
    got = {
        (r["competitor"], r["position"]): (r["opp_kendall"], r["opp_kendall_optimality"])
        for r in res.parties.to_dict("records")
    }
    assert got == {
        ("oracle", 0): (1.0, 1.0),
        ("oracle", 1): (-1.0, 0.0),
        ("blind", 0): (-1.0, 0.0),  # no model: NegMAS's "none" values
        ("blind", 1): (-1.0, 0.0),
    }
    assert res.setup["opponent_metrics"] == ["kendall", "kendall_optimality"]


def test_without_metrics_the_parties_table_is_unchanged() -> None:
    res = cartesian_tournament([AspirationNegotiator], [scenario()], n_steps=5, rotate_ufuns=False)
    assert not [c for c in res.parties.columns if c.startswith("opp_")]
    assert "opponent_metrics" not in res.setup


def test_unknown_or_repeated_metrics_are_refused() -> None:
    with pytest.raises(ValueError, match="ordinal_optimality"):
        cartesian_tournament(
            [AspirationNegotiator], [scenario()], opponent_metrics=["ordinal_optimality"]
        )
    with pytest.raises(ValueError, match="anl2026"):
        cartesian_tournament([AspirationNegotiator], [scenario()], opponent_metrics=["anl2026"])
    with pytest.raises(ValueError, match="twice"):
        cartesian_tournament(
            [AspirationNegotiator], [scenario()], opponent_metrics=["ndcg", "ndcg"]
        )


def test_negmas_view_shares_scores_and_adds_anl2026(tmp_path: Path) -> None:
    kwargs: dict[str, Any] = dict(
        competitors=[AspirationNegotiator, AspirationNegotiator], scenarios=[scenario()],
        competitor_params=PARAMS, competitor_names=NAMES, rotate_ufuns=False,
        self_play=False, n_steps=10, njobs=-1, normalize_ufuns=False,
    )  # fmt: skip
    res = negmas_tournament(**kwargs, opponent_modeling_metrics=("anl2026",), path=tmp_path / "t")
    rows = {
        (r["strategy"], r["partners"], r["negotiator_id"]): r for r in res.scores.to_dict("records")
    }
    first = rows[("oracle", "blind", "oracle@0")]
    assert first["opp_kendall_optimality"] == 1.0  # all of the negotiation's total
    assert first["opp_anl2026"] == pytest.approx(first["advantage"] + 1.0)
    second = rows[("oracle", "blind", "oracle@1")]
    assert second["opp_kendall_optimality"] == 0.0  # nobody modelled well: all 0
    assert second["opp_anl2026"] == pytest.approx(second["advantage"])
    loaded = SimpleTournamentResults.load(tmp_path / "t")
    assert loaded.scores["opp_anl2026"].tolist() == res.scores["opp_anl2026"].tolist()

    raw = negmas_tournament(
        **kwargs, opponent_modeling_metrics=("kendall",),
        distribute_opponent_modeling_scores=False,
    )  # fmt: skip
    assert sorted(raw.scores["opp_kendall"]) == [-1.0, -1.0, -1.0, 1.0]
    assert "opp_anl2026" not in raw.scores
    with pytest.raises(ValueError, match="distribute_opponent_modeling_scores"):
        negmas_tournament(**kwargs, distribute_opponent_modeling_scores="yes")


def test_sharing_rules() -> None:
    assert distributed([3.0, 1.0]) == [0.75, 0.25]
    assert distributed([-1.0, -1.0]) == [0.0, 0.0]  # no positive total: all 0
    assert anl2026([0.5, 0.2], [1.0, 3.0]) == [0.75, 0.95]
