"""NegWorld and Condition (NegMAS's situated negotiation evaluation), to_flat_dict's
NegMAS keywords and save_stats."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator, NaiveTitForTatNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction, LinearUtilityFunction
from palaver.world import Breach, Contract
from palaver.world.contracts import PYTHON_CLASS_IDENTIFIER, to_flat_dict
from palaver.world.negworld import Condition, NegAgent, NegWorld
from palaver.world.stats_io import save_stats

ISSUES = (make_issue(5, "quantity"), make_issue(5, "price"))


def ufuns(seed: int = 1) -> tuple[LinearAdditiveUtilityFunction, ...]:
    return tuple(
        LinearAdditiveUtilityFunction.random(issues=ISSUES, reserved_value=0.1, seed=seed + k)
        for k in range(2)
    )


def condition(**kwargs: object) -> Condition:
    base: dict[str, object] = {
        "name": "d0",
        "issues": ISSUES,
        "ufuns": ufuns(),
        "partner_types": (AspirationNegotiator,),
    }
    return Condition(**{**base, **kwargs})  # type: ignore[arg-type]


def test_each_competitor_negotiates_once_per_step_against_fresh_partners() -> None:
    world = NegWorld(
        scenario=condition(),
        types=[AspirationNegotiator, NaiveTitForTatNegotiator],
        n_steps=3, neg_n_steps=20, seed=4,
    )  # fmt: skip
    # A partner of a competitor's type gets its own id instead of clashing.
    assert list(world.competitors) == ["Aspiration", "NaiveTitForTat"]
    assert list(world.partners) == ["Aspiration-1"]
    world.run()
    assert world.totals["n_negotiations_accepted"] == 2 * 3
    for aid in world.competitors:
        series = world.stats[f"received_utility_{aid}"]
        assert len(series) == 3
        assert world.received_utility(aid) == pytest.approx(sum(series) / 3)
        agreed = world.stats[f"agreement_rate_{aid}"]
        assert world.agreement_rate(aid) == pytest.approx(sum(agreed) / 3)
    assert world.scores() == {a: world.received_utility(a) for a in world.competitors}
    assert world.info == {"scenario": "d0", "n_negotiators": 2, "n_steps": 3}


def test_received_utility_is_the_seat_ufun_of_the_agreement_or_the_reserved_value() -> None:
    u = ufuns()
    world = NegWorld(
        scenario=condition(ufuns=u, index=1), types=[AspirationNegotiator],
        n_steps=1, neg_n_steps=20, seed=2,
    )  # fmt: skip
    world.run()
    [record] = world.saved_negotiations
    [negotiation] = [c for c in world.saved_contracts] or [None]
    expected = u[1].reserved_value if negotiation is None else u[1](negotiation.agreement)
    assert world.received_utility("Aspiration") == pytest.approx(float(expected))
    # The competitor sat in seat 1: the partner first.
    assert record.partners[1] == "Aspiration"
    partner = u[0].reserved_value if negotiation is None else u[0](negotiation.agreement)
    assert world.partner_utility("Aspiration") == pytest.approx(float(partner))
    assert world.received_advantage("Aspiration") == pytest.approx(float(expected) - 0.1)


def test_a_negotiation_without_agreement_scores_the_reserved_value() -> None:
    # One round only: the first offer is rejected, nobody agrees.
    world = NegWorld(
        scenario=condition(), types=[AspirationNegotiator], n_steps=2, neg_n_steps=1, seed=1
    )
    world.run()
    assert world.agreement_rate("Aspiration") == 0.0
    assert world.received_utility("Aspiration") == pytest.approx(0.1)
    assert world.stats["has_agreement_Aspiration"] == [False, False]


def test_normalized_scores_lie_in_the_unit_interval() -> None:
    world = NegWorld(
        scenario=condition(), types=[AspirationNegotiator], n_steps=2, neg_n_steps=30,
        normalize_scores=True, seed=3,
    )  # fmt: skip
    world.run()
    assert 0.0 <= world.received_utility("Aspiration") <= 1.0


def test_a_negagent_joined_from_outside_competes() -> None:
    world = NegWorld(scenario=condition(), n_steps=1, neg_n_steps=20, seed=1)
    world.join(NegAgent(negotiator_type=NaiveTitForTatNegotiator, id="tft"))
    assert list(world.competitors) == ["tft"]
    world.run()
    assert set(world.scores()) == {"tft"}
    assert world.agents["tft"].type_name.startswith("palaver.negotiators.titfortat.NaiveTitForTat")


def test_dotted_names_and_params_build_the_negotiators() -> None:
    world = NegWorld(
        scenario=condition(partner_params=({"name": "p"},)),
        types=["palaver.negotiators.AspirationNegotiator"],
        params=[{"max_aspiration": 0.9}],
        agent_names_reveal_type=False, n_steps=1, neg_n_steps=5, seed=1,
    )  # fmt: skip
    assert [a.name for a in world.partners.values()] == ["p"]
    negotiator = world.agents["NegAgent0"].make_negotiator(None)
    assert isinstance(negotiator, AspirationNegotiator)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"partner_types": ()}, "need 1 partner types"),
        ({"index": 2}, "index 2 is not a seat"),
        ({"scored_indices": (0, 5)}, "scored seat 5"),
        ({"partner_params": ({}, {})}, "one entry per partner type"),
    ],
)
def test_a_malformed_condition_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        condition(**kwargs)


def test_to_flat_dict_takes_negmas_keywords() -> None:
    issues = [make_issue(3, "x")]
    c = Contract(partners=("a", "b"), agreement={"x": 1}, issues=issues)
    breach = Breach(c, "a", "late", victims=["b"])
    assert to_flat_dict(c, deep=True) == to_flat_dict(c)
    flat = to_flat_dict(breach, True, True)
    assert flat[PYTHON_CLASS_IDENTIFIER] == "palaver.world.contracts.Breach"
    assert (
        to_flat_dict(breach, add_type_field=True, shorten_type_field=True)[PYTHON_CLASS_IDENTIFIER]
        == "Breach"
    )
    assert to_flat_dict({"a": {"b": 1}}, sep=".") == {"a.b": 1}
    holder = {"state": SAOMechanism(issues=issues, n_steps=3).nmi.state}
    assert isinstance(to_flat_dict(holder, deep=False)["state"], str)
    assert "state_step" in to_flat_dict(holder, deep=True)


def test_save_stats_writes_negmas_files(tmp_path: Path) -> None:
    world = NegWorld(scenario=condition(), types=[AspirationNegotiator], n_steps=2,
                     neg_n_steps=20, seed=1)  # fmt: skip
    world.run()
    save_stats(world, tmp_path / "out")
    out = tmp_path / "out"
    names = {p.name for p in out.iterdir()}
    assert names == {
        "agents.json", "params.json", "info.json", "stats.csv",
        "negotiations.csv", "contracts.csv", "breaches.csv",
    }  # fmt: skip
    agents = json.loads((out / "agents.json").read_text())
    assert agents["Aspiration"]["negs_initiated"] == 2
    assert json.loads((out / "params.json").read_text())["n_steps"] == 2
    assert (out / "breaches.csv").read_text() == ""
    import pandas as pd

    stats = pd.read_csv(out / "stats.csv", index_col="index")
    assert len(stats) == 2 and "received_utility_Aspiration" in stats
    assert len(pd.read_csv(out / "negotiations.csv")) == 2
    save_stats(world, out, params={"x": math.inf}, stats_file_name="s")
    assert json.loads((out / "params.json").read_text()) == {"x": "inf"}
    assert (out / "s.csv").exists()


def test_save_stats_of_a_world_with_contracts_and_breaches(tmp_path: Path) -> None:
    from palaver.examples.trips import build_trips

    world = build_trips(n_agents=4, n_steps=4, seed=3)
    world.run()
    save_stats(world, tmp_path)
    import pandas as pd

    contracts = pd.read_csv(tmp_path / "contracts.csv")
    assert len(contracts) == len(world.saved_contracts) + len(world.cancelled_contracts) > 0
    if world.saved_breaches:
        assert len(pd.read_csv(tmp_path / "breaches.csv")) == len(world.saved_breaches)


def test_linear_ufun_condition_runs() -> None:
    u = (
        LinearUtilityFunction([1.0, -1.0], issues=ISSUES),
        LinearUtilityFunction([-1.0, 1.0], issues=ISSUES),
    )
    world = NegWorld(scenario=condition(ufuns=u), types=[AspirationNegotiator], n_steps=1, seed=1)
    world.run()
    assert math.isfinite(world.received_utility("Aspiration"))


def test_the_facade_has_negmas_situated_neg_names() -> None:
    from palaver.negmas.situated import save_stats as facade_save_stats
    from palaver.negmas.situated.neg import Condition as C
    from palaver.negmas.situated.neg import NegAgent as A
    from palaver.negmas.situated.neg import NegWorld as W
    from palaver.negmas.tournaments.neg import (
        cartesian_neg_tournement,
        neg_tournament,
        random_discrete_scenarios,
        scenarios_from_list,
    )

    assert (C, A, W, facade_save_stats) == (Condition, NegAgent, NegWorld, save_stats)
    assert all(
        callable(f)
        for f in (cartesian_neg_tournement, neg_tournament, random_discrete_scenarios,
                  scenarios_from_list)
    )  # fmt: skip


def test_negmas_contract_fractions_come_from_the_counters() -> None:
    from palaver.examples.trips import build_trips

    world = build_trips(n_agents=6, n_steps=6, seed=2)
    assert math.isnan(world.contract_execution_fraction)  # nothing signed yet
    world.run()
    t = world.totals
    signed = t["n_contracts_signed"]
    assert signed > 0
    assert world.contract_execution_fraction == t["n_contracts_executed"] / signed
    assert world.contract_err_fraction == t["n_contracts_erred"] / signed == 0.0
    assert world.contract_nullification_fraction == t["n_contracts_nullified"] / signed
    assert world.contract_dropping_fraction == 0.0
    n = t["n_contracts_executed"] + t["n_breaches"]
    assert world.breach_level == pytest.approx(sum(world.stats["breach_level"]) / n)
    both = len(world.saved_contracts) + len(world.cancelled_contracts)
    assert world.n_saved_contracts() == world.n_saved_contracts(False) == both
