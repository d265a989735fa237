"""The metrics with reserved values of -inf or above every outcome, and rows the
statistics cannot use: never silently wrong or silently dropped."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from negotiation_helpers import small_scenario

from palaver.scenarios import Scenario
from palaver.tournaments import TournamentWarning
from palaver.tournaments.negotiation import cartesian_tournament
from palaver.tournaments.negotiation.scenario_info import advantage, scenario_info
from palaver.tournaments.negotiation.stats import t_quantile


def _run(scenario, competitors=("boulware", "conceder", "tough")):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TournamentWarning)
        return cartesian_tournament(list(competitors), [scenario], n_steps=10, seed=1)


def test_without_reserved_values_the_worst_outcome_is_the_reference() -> None:
    s = small_scenario(0).remove_reserved_values()
    r = _run(s)
    p, n = r.parties, r.negotiations
    worst = s.utilities.min(axis=0)
    best = s.utilities.max(axis=0)
    assert np.isfinite(p.advantage).all()
    agreed = p[p.agreement]
    expected = (agreed.utility - worst[agreed.ufun]) / (best[agreed.ufun] - worst[agreed.ufun])
    assert np.allclose(agreed.advantage, expected)
    assert (p[~p.agreement].advantage == 0.0).all()
    assert (p[~p.agreement].utility == -math.inf).all()  # the reserved value, as given
    # Without agreement welfare and distances are measured at the worst outcomes' point.
    failed = n[n.agreement_index < 0]
    assert len(failed)
    assert np.allclose(failed.welfare, worst.sum())
    nash = np.asarray(s.stats.nash.utilities)
    assert np.allclose(failed.nash_distance, np.sqrt(((worst - nash) ** 2).sum()))


def test_rows_left_out_of_a_ranking_are_counted_and_warned() -> None:
    r = _run(small_scenario(0).remove_reserved_values())
    with pytest.warns(TournamentWarning, match=r"ToughNegotiator: 4 of 12"):
        ranking = r.ranking("utility")
    tough = ranking.set_index("competitor").loc["ToughNegotiator"]
    assert (tough.n, tough.n_dropped) == (8, 4)
    with pytest.warns(TournamentWarning, match="utility"):
        tests = r.significance("utility")
    row = tests[(tests.a == "BoulwareNegotiator") & (tests.b == "ToughNegotiator")].iloc[0]
    assert (row.n_b, row.dropped_b, row.n_a, row.dropped_a) == (8, 4, 12, 0)
    assert math.isfinite(row.mean_b)
    with pytest.warns(TournamentWarning):
        scores = r.scores(["utility"])
    assert scores.loc["ToughNegotiator", ("utility", "n_dropped")] == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (r.ranking().n_dropped == 0).all()  # advantage: every row scored, no warning


def test_a_competitor_with_nothing_scored_has_no_rank() -> None:
    s = small_scenario(1).remove_reserved_values()
    r = _run(s, ("tough",))  # tough against itself: never an agreement
    with pytest.warns(TournamentWarning):
        ranking = r.ranking("utility")
    assert ranking.n[0] == 0 and math.isnan(ranking.score[0])
    assert ranking["rank"].isna()[0]


def test_a_reserved_value_above_every_outcome_gives_the_plain_gain() -> None:
    assert advantage(0.5, 0.2, 1.0) == pytest.approx(0.375)
    assert advantage(0.0, 1.2, 1.0) == pytest.approx(-1.2)  # not (0 - 1.2) / (1 - 1.2) = 6
    assert advantage(1.0, 1.0, 1.0) == 0.0
    s = small_scenario(2)
    high = s.with_reserved_values([1.2, 0.0])
    r = _run(high)
    mine = r.parties[r.parties.ufun == 0]
    assert (mine.advantage <= 0).all()
    assert np.allclose(mine.advantage, np.where(mine.agreement, mine.utility - 1.2, 0.0))


def test_discount_factors_are_ignored_and_a_warning_says_so() -> None:
    s = small_scenario(0)
    discounted = Scenario(s.outcome_space, s.ufuns, name="disc", discount_factors=[0.5, 1.0])
    plain = Scenario(s.outcome_space, s.ufuns, name="plain")
    with pytest.warns(TournamentWarning, match=r"'disc' \[0\.5, 1\.0\].*ignores discounting") as w:
        r = cartesian_tournament(["boulware", "conceder"], [discounted, plain], n_steps=10, seed=1)
    assert sum(issubclass(x.category, TournamentWarning) for x in w) == 1
    p = r.parties
    a, b = p[p.scenario == "disc"], p[p.scenario == "plain"]
    assert np.allclose(a.utility.to_numpy(), b.utility.to_numpy())  # undiscounted
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cartesian_tournament(["boulware"], [discounted.remove_discounting()], n_steps=10, seed=1)


def test_a_meeting_with_a_nan_value_is_no_tie_in_the_win_matrix() -> None:
    import pyarrow as pa

    from palaver.tournaments.negotiation.results import NegotiationTournamentResults

    parties = pa.table(
        {
            "negotiation_id": ["n0", "n0", "n1", "n1", "n2", "n2", "n3", "n3"],
            "competitor": ["A", "B", "A", "B", "A", "C", "A", "C"],
            "advantage": [math.nan, 0.5, 0.9, 0.1, math.nan, 0.2, -math.inf, -math.inf],
        }
    )
    results = NegotiationTournamentResults({"competitors": ["A", "B", "C"]}, {"parties": parties})
    wins = results.win_matrix()
    # n0 (A unscored) is left out: A beat B in the only scored meeting.
    assert wins.loc["A", "B"] == 1.0 and wins.loc["B", "A"] == 0.0
    # n2 is left out; equal infinities in n3 are a tie.
    assert wins.loc["A", "C"] == 0.5 and wins.loc["C", "A"] == 0.5
    only_nan = NegotiationTournamentResults(
        {"competitors": ["A", "B"]}, {"parties": parties.slice(0, 2)}
    ).win_matrix()
    assert math.isnan(only_nan.loc["A", "B"]) and math.isnan(only_nan.loc["B", "A"])


def _parties_results(values: dict[str, list[float]], final_score: tuple[str, str]):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    from palaver.tournaments.negotiation.results import NegotiationTournamentResults

    rows = [(name, v) for name, vs in values.items() for v in vs]
    parties = pa.table(
        {
            "negotiation_id": [f"n{i}" for i in range(len(rows))],
            "competitor": [name for name, _ in rows],
            "advantage": [v for _, v in rows],
        }
    )
    setup = {"competitors": list(values), "final_score": list(final_score)}
    return NegotiationTournamentResults(setup, {"parties": parties})


def test_a_median_ranking_shows_an_interval_of_the_median() -> None:
    results = _parties_results(
        {"A": [7.0, 1.0, 10.0, 4.0, 2.0, 9.0, 3.0, 8.0, 6.0, 5.0], "B": [1.0, 2.0, 3.0, 4.0, 5.0]},
        ("advantage", "median"),
    )
    ranking = results.ranking().set_index("competitor")
    # Ten values at 95%: the 2nd smallest to the 2nd largest (misses with 2 * 11/1024),
    # not the mean's Student-t interval [3.33, 7.67].
    assert ranking.loc["A", "score"] == 5.5
    assert (ranking.loc["A", "ci_low"], ranking.loc["A", "ci_high"]) == (2.0, 9.0)
    # Five values cannot give 95% (min to max misses with 2/32): no interval.
    assert ranking.loc["B", "score"] == 3.0
    assert math.isnan(ranking.loc["B", "ci_low"]) and math.isnan(ranking.loc["B", "ci_high"])
    by_max = results.ranking(stat="max").set_index("competitor")
    assert by_max.loc["A", "score"] == 10.0 and math.isnan(by_max.loc["A", "ci_low"])
    by_mean = results.ranking(stat="mean").set_index("competitor")
    assert by_mean.loc["A", "ci_low"] == pytest.approx(3.3341, abs=1e-4)


def test_the_median_interval_covers_the_median_at_least_as_often_as_promised() -> None:
    from palaver.tournaments.negotiation.stats import median_ci

    rng = np.random.default_rng(0)
    for n in (6, 11, 40, 301):
        hits = 0
        for _ in range(400):
            _, lo, hi, _ = median_ci(rng.exponential(size=n))
            hits += lo <= math.log(2) <= hi  # the exponential's median
        assert hits / 400 >= 0.93, n


def test_a_level_or_alpha_outside_zero_and_one_is_refused_not_run() -> None:
    """level=1.5 searched forever for a t quantile beyond a negative tail mass (a
    hang); alpha=2 called every difference significant; a metric name given
    alone was read letter by letter ("unknown metric 'a'")."""
    r = _run(small_scenario(0))
    for bad in (1.5, 1, 0, -0.5, math.nan, "0.9", True):
        with pytest.raises(ValueError, match=r"level must be a number strictly between 0 and 1"):
            r.ranking(level=bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"level must be a number strictly between 0 and 1"):
            r.scores(["advantage"], level=bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"alpha must be a number strictly between 0 and 1"):
            r.significance(alpha=bad)  # type: ignore[arg-type]
    alone = r.scores("advantage")
    assert list(alone.columns.get_level_values(0).unique()) == ["advantage"]
    assert alone.equals(r.scores(["advantage"]))
    with pytest.raises(ValueError, match="metrics must name at least one metric"):
        r.scores([])
    # These were "'int' object is not iterable" and "unhashable type: 'list'".
    with pytest.raises(TypeError, match="metrics must be a list of metric names, got 5"):
        r.scores(5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"stat must be one of .* got \['mean'\]"):
        r.ranking(stat=["mean"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"correction must be one of .* got \['holm'\]"):
        r.significance(correction=["holm"])  # type: ignore[arg-type]
    with pytest.raises(KeyError, match=r"unknown table \['offers'\]"):
        r.table(["offers"])  # type: ignore[arg-type]
    assert r.ranking(level=0.9).shape == r.ranking().shape
    with pytest.raises(ValueError, match=r"t_quantile needs 0.5 < p < 1, got 1.25"):
        t_quantile(1.25, 5)  # what level=1.5 asked for, no longer a search without end


def test_scenario_info_follows_negmas_in_place_transforms() -> None:
    s = small_scenario(0)
    first = scenario_info(s)
    assert scenario_info(s) is first
    # NegMAS-style statements change the scenario itself: its cached info must
    # not keep the utilities, maxima and points of before.
    s.normalize(common_range=False)
    normalized = scenario_info(s)
    assert normalized is not first
    assert np.allclose(normalized.utilities, s.utilities)
    assert np.allclose(normalized.maxima, 1.0) and not np.allclose(first.maxima, 1.0)
    assert np.allclose(normalized.reserved, s.reserved_values)
    s.to_single_issue()
    single = scenario_info(s)
    assert single is not normalized and list(single.index) == [(f"v{k}",) for k in range(36)]
