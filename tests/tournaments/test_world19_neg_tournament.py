"""neg_tournament, cartesian_neg_tournament and the condition generators (NegMAS's
situated negotiation tournaments on Palaver's NegWorld)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from palaver.negotiators import AspirationNegotiator, NaiveTitForTatNegotiator
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario
from palaver.tournaments.neg_worlds import (
    cartesian_neg_tournament,
    cartesian_neg_tournement,
    neg_tournament,
    random_discrete_scenarios,
    scenarios_from_list,
)
from palaver.world.negworld import Condition

ISSUES = (make_issue(5, "quantity"), make_issue(5, "price"))
COMPETITORS = [AspirationNegotiator, NaiveTitForTatNegotiator]


class Broken(AspirationNegotiator):
    """A partner whose every proposal raises: its world fails while it runs."""

    def propose(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        raise RuntimeError("broken on purpose")


def conditions() -> list[Condition]:
    ufuns = tuple(
        LinearAdditiveUtilityFunction.random(issues=ISSUES, reserved_value=0.0, seed=k)
        for k in range(2)
    )
    return [
        Condition(name="d0", issues=ISSUES, ufuns=ufuns, partner_types=(p,), index=i)
        for i in range(2)
        for p in COMPETITORS
    ]


def run(**kwargs: object):  # type: ignore[no-untyped-def]
    base: dict[str, object] = {
        "n_configs": 4,
        "n_steps": 2,
        "neg_n_steps": 10,
        "parallelism": "serial",
        "seed": 3,
    }
    return neg_tournament(COMPETITORS, scenarios_from_list(conditions()), **{**base, **kwargs})


def test_one_world_per_config_and_repetition_with_every_competitor(tmp_path: Path) -> None:
    results = run(n_repetitions=2, tournament_path=tmp_path / "t")
    assert len(results.scores) == 4 * 2 * len(COMPETITORS)
    assert results.scores["world"].nunique() == 8
    assert set(results.total_scores["agent_type"]) == set(results.scores["agent_type"])
    by_type = results.scores.groupby("agent_type")["score"].median()
    assert results.total_scores.set_index("agent_type")["score"].to_dict() == pytest.approx(
        by_type.to_dict()
    )
    best = results.total_scores["score"].max()
    assert results.winners_scores == [best] * len(results.winners)
    assert {p.name for p in (tmp_path / "t").iterdir()} == {"scores.csv", "total_scores.csv"}
    assert results.failures == {} and results.path == tmp_path / "t"
    assert "The winner(s)" in str(results)


def test_the_seed_makes_the_tournament_repeatable() -> None:
    a, b = run(), run()
    assert a.scores.equals(b.scores)
    assert run(seed=None).params["seed"] is not None


def test_metric_and_scoring_method_choose_the_ranking() -> None:
    results = run(metric="mean", scoring_method="partner_utility")
    table = results.extra_scores["partner_utility"]
    assert list(results.scores["score"]) == list(table["score"])
    means = table.groupby("agent_type")["score"].mean().to_dict()
    assert results.total_scores.set_index("agent_type")["score"].to_dict() == pytest.approx(means)
    with pytest.raises(ValueError, match="scoring_method"):
        run(scoring_method="utility")
    with pytest.raises(ValueError, match="metric"):
        run(metric="average")


def test_parallel_runs_the_same_worlds_as_serial() -> None:
    serial, parallel = run(), run(parallelism="parallel:1.0")
    assert serial.scores.equals(parallel.scores)
    with pytest.raises(ValueError, match="dask"):
        run(parallelism="distributed")


def test_a_failing_world_is_recorded_and_the_others_ranked() -> None:
    bad = Condition(
        name="bad", issues=ISSUES, ufuns=conditions()[0].ufuns, partner_types=(Broken,),
    )  # fmt: skip
    stream = itertools.chain([bad], scenarios_from_list(conditions()))
    results = neg_tournament(
        COMPETITORS, stream, n_configs=2, n_steps=1, neg_n_steps=5, parallelism="serial",
        print_exceptions=False, seed=1,
    )  # fmt: skip
    assert list(results.failures) == ["bad.0.0"]
    assert "broken on purpose" in results.failures["bad.0.0"]
    assert len(results.scores) == len(COMPETITORS)
    with pytest.raises(RuntimeError, match="every world"):
        neg_tournament(COMPETITORS, [bad], n_configs=1, parallelism="serial",
                       print_exceptions=False)  # fmt: skip


def test_cartesian_tournament_builds_a_condition_per_pairing() -> None:
    ufuns = conditions()[0].ufuns
    scenarios = [Scenario(outcome_space=make_os(ISSUES, name="S0"), ufuns=ufuns)]
    results = cartesian_neg_tournement(
        competitors=COMPETITORS, non_competitors=[AspirationNegotiator],
        scenarios=scenarios, n_rounds=10, n_steps=1, parallelism="serial", seed=2,
    )  # fmt: skip
    # Two competitor pairings, plus the non-competitor in both seats: 4 worlds.
    assert results.scores["world"].nunique() == 4
    assert results.params["neg_n_steps"] == 10
    rotated = cartesian_neg_tournament(
        COMPETITORS, scenarios, rotate_ufuns=True, n_rounds=10, n_steps=1,
        parallelism="serial", seed=2,
    )  # fmt: skip
    assert rotated.scores["world"].nunique() == 4


def test_random_discrete_scenarios_are_repeatable_and_well_formed() -> None:
    first = list(itertools.islice(random_discrete_scenarios([3, (2, 4)], COMPETITORS, seed=5), 6))
    again = list(itertools.islice(random_discrete_scenarios([3, (2, 4)], COMPETITORS, seed=5), 6))
    assert [c.ufuns[0]({"i0": 1, "i1": 1}) for c in first] == [
        c.ufuns[0]({"i0": 1, "i1": 1}) for c in again
    ]
    assert {c.index for c in first} == {0, 1}
    assert all(len(c.partner_types) == 1 and len(c.ufuns) == 2 for c in first)
    fixed = itertools.islice(random_discrete_scenarios([3], COMPETITORS, positions=1, seed=1), 4)
    assert {c.index for c in fixed} == {1}
    with pytest.raises(ValueError, match="at least one"):
        next(scenarios_from_list([]))


def test_negmas_only_tournament_options_are_refused_by_name() -> None:
    with pytest.raises(TypeError, match=r"\['configs_only', 'total_timeout'\]"):
        run(configs_only=True, total_timeout=10)
    # A misspelt world option is the World's TypeError, raised once before any world runs.
    with pytest.raises(TypeError, match="did you mean 'n_steps'"):
        run(n_stps=3)
