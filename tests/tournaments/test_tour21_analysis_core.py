"""The game-theoretic analysis of a payoff table: payoff table, dominance,
equilibria, regret, rankings and replicator dynamics (tour21)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from palaver.tournaments.analysis import (
    PayoffTable,
    asymmetric_replicator_dynamics,
    build_payoff_table,
    egta_evaluation,
    final_mixed_strategy,
    iterated_elimination,
    mixed_nash_equilibria,
    nash_averaging_ranking,
    pure_symmetric_nash_equilibria,
    regret,
    sequential_elimination_ranking,
    symmetric_replicator_dynamics,
    tournament_evaluation_ranking,
)


def table(names: list[str], m: list[list[float]]) -> PayoffTable:
    """The payoff table of ``m`` built from records (one per cell)."""
    rows = [
        {"strategy": a, "partner": b, "advantage": m[i][j]}
        for i, a in enumerate(names)
        for j, b in enumerate(names)
        if not np.isnan(m[i][j])
    ]
    return build_payoff_table(pd.DataFrame(rows), strategies=names, require_self_play=False)


HAWK_DOVE = table(["dove", "hawk"], [[2.0, 1.0], [3.0, 0.0]])


def test_cells_aggregate_every_side_and_skip_nan() -> None:
    records = pd.DataFrame(
        {
            "strategy": ["a", "a", "a", "b", "b", "a"],
            "partner": ["a", "b", "b", "a", "b", "a"],
            "utility": [1.0, 0.2, 0.6, 0.9, 0.5, np.nan],
        }
    )
    mean = build_payoff_table(records, metric="utility")
    assert mean.strategies == ["a", "b"]
    assert np.allclose(mean.matrix, [[1.0, 0.4], [0.9, 0.5]])
    assert mean.counts.tolist() == [[1, 2], [1, 1]]
    top = build_payoff_table(records, metric="utility", stat="max", keep_samples=True)
    assert top.matrix[0, 1] == 0.6 and top.samples is not None
    assert top.samples[("a", "b")].tolist() == [0.2, 0.6]
    sub = top.restrict(["b"])
    assert sub.matrix.tolist() == [[0.5]] and list(sub.samples or {}) == [("b", "b")]


def test_bad_tables_are_refused_by_name() -> None:
    records = pd.DataFrame({"strategy": ["x", "y"], "partner": ["y", "x"], "advantage": [1, 0]})
    with pytest.raises(ValueError, match=r"self-play data for \['x', 'y'\]"):
        build_payoff_table(records)
    with pytest.raises(ValueError, match="stat must be one of"):
        build_payoff_table(records, stat="mode", require_self_play=False)
    with pytest.raises(ValueError, match="column 'welfare'"):
        build_payoff_table(records, metric="welfare")
    with pytest.raises(ValueError, match="'z' is not a strategy"):
        HAWK_DOVE.index("z")


def test_elimination_is_iterated() -> None:
    # z is dominated by x; only once z is gone does y dominate x.
    t = table(["x", "y", "z"], [[1, 1, 5], [2, 2, 0], [0, 0, -1]])
    assert iterated_elimination(t).strategies == ["y"]
    assert iterated_elimination(HAWK_DOVE).strategies == ["dove", "hawk"]


def test_pure_equilibria_best_and_ties() -> None:
    # Column-wise best responses: a -> a (3 >= 1), b -> a (2 > 1): only a.
    t = table(["a", "b"], [[3, 2], [1, 1]])
    assert pure_symmetric_nash_equilibria(t) == ["a"]
    assert egta_evaluation(t).best == "a" and egta_evaluation(t).unique
    assert pure_symmetric_nash_equilibria(HAWK_DOVE) == []
    assert egta_evaluation(HAWK_DOVE).best is None
    tie = egta_evaluation(table(["q", "p"], [[1, 0], [0, 1]]))
    assert tie.candidates == ["q", "p"] and tie.best == "p" and not tie.unique
    # A near-tie counts only within tol.
    near = table(["a", "b"], [[0.999, 1], [1.0, 0]])
    assert pure_symmetric_nash_equilibria(near) == []
    assert pure_symmetric_nash_equilibria(near, tol=0.01) == ["a"]


def test_regret_and_regret_ranking() -> None:
    # Against all-dove, hawk earns 3 and dove 2: regret 1; the mixed 50/50
    # equilibrium leaves nothing to gain.
    assert regret(HAWK_DOVE, {"dove": 1.0}) == pytest.approx(1.0)
    assert regret(HAWK_DOVE, {"dove": 0.5, "hawk": 0.5}) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="sum to 1"):
        regret(HAWK_DOVE, {"dove": 0.4})
    with pytest.raises(ValueError, match="negative"):
        regret(HAWK_DOVE, {"dove": 1.5, "hawk": -0.5})
    with pytest.raises(ValueError, match="No pure symmetric Nash"):
        nash_averaging_ranking(HAWK_DOVE)
    ranked = nash_averaging_ranking(HAWK_DOVE, {"dove": 1.0})
    assert ranked["strategy"].tolist() == ["hawk", "dove"]
    assert ranked["regret"].tolist() == pytest.approx([0.0, 1.0])
    assert ranked["rank"].tolist() == [1, 2]


def test_mixed_equilibria_by_support_enumeration() -> None:
    found = mixed_nash_equilibria(HAWK_DOVE)
    as_pairs = sorted((round(e["dove"], 9), round(e["hawk"], 9)) for e in found)
    # (dove, hawk) and (hawk, dove) as pure pairs, and the symmetric 50/50 mixture.
    assert as_pairs == [(0.0, 1.0), (0.5, 0.5), (1.0, 0.0)]
    rps = table(["r", "p", "s"], [[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    (only,) = mixed_nash_equilibria(rps)
    assert list(only.values()) == pytest.approx([1 / 3] * 3)
    with pytest.raises(ValueError, match="support_enumeration"):
        mixed_nash_equilibria(rps, method="lemke_howson_enumeration")
    holes = table(["a", "b"], [[1, np.nan], [0, 1]])
    with pytest.warns(UserWarning, match="unknown cells"):
        mixed_nash_equilibria(holes)


def test_rankings_row_mean_and_sequential_elimination() -> None:
    # Row means: c 2.25 > a = b 2.0 (tie: a first).
    t = table(["a", "b", "c"], [[2, 2, 2], [4, 1, 1], [0, 9, 0]])
    assert tournament_evaluation_ranking(t)["strategy"].tolist() == ["c", "a", "b"]
    # Elimination: round 1 a 2.0, b 2.0, c 3.0 -> a out (name breaks the tie);
    # round 2 over {b, c}: b 1.0, c 4.5 -> b out; c wins.
    ranked = sequential_elimination_ranking(t)
    assert ranked["strategy"].tolist() == ["c", "b", "a"]
    assert ranked["rank"].tolist() == [1, 2, 3]
    # A filler that everyone beats changes nobody's order.
    base = [[2, 2, 2, 5], [4, 1, 1, 5], [0, 9, 0, 5], [0, 0, 0, 0]]
    with_filler = sequential_elimination_ranking(table(["a", "b", "c", "f"], base))
    assert with_filler["strategy"].tolist() == ["c", "b", "a", "f"]


def test_symmetric_dynamics_reach_the_mixed_equilibrium_deterministically() -> None:
    run = symmetric_replicator_dynamics(HAWK_DOVE, x0={"dove": 9, "hawk": 1}, t_max=40, n_steps=9)
    assert run.x.shape == (9, 2) and run.times.tolist() == pytest.approx(np.linspace(0, 40, 9))
    assert np.allclose(run.x.sum(axis=1), 1.0)
    assert run.x[0].tolist() == pytest.approx([0.9, 0.1])
    assert final_mixed_strategy(run) == {"dove": pytest.approx(0.5, abs=1e-4),
                                         "hawk": pytest.approx(0.5, abs=1e-4)}  # fmt: skip
    again = symmetric_replicator_dynamics(HAWK_DOVE, x0={"dove": 9, "hawk": 1}, t_max=40, n_steps=9)
    assert np.array_equal(run.x, again.x)
    with pytest.raises(ValueError, match="unknown strategies"):
        symmetric_replicator_dynamics(HAWK_DOVE, x0={"owl": 1.0})
    with pytest.raises(ValueError, match="t_max"):
        symmetric_replicator_dynamics(HAWK_DOVE, t_max=0)
    with pytest.raises(ValueError, match="n_steps"):
        symmetric_replicator_dynamics(HAWK_DOVE, n_steps=1)
    with pytest.raises(ValueError, match="one population"):
        final_mixed_strategy(run, population="y")


def test_two_populations_split_in_hawk_dove() -> None:
    # Two populations of the same game settle on opposite pure strategies.
    run = asymmetric_replicator_dynamics(
        HAWK_DOVE, x0={"dove": 0.4, "hawk": 0.6}, y0={"dove": 0.6, "hawk": 0.4}, t_max=60
    )
    assert run.y is not None and run.y.shape == run.x.shape == (200, 2)
    assert final_mixed_strategy(run, eps=0.01) == {"hawk": pytest.approx(1.0, abs=1e-3)}
    assert final_mixed_strategy(run, eps=0.01, population="y") == {
        "dove": pytest.approx(1.0, abs=1e-3)
    }
