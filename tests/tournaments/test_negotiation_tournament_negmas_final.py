"""palaver.negmas.cartesian_tournament: which final scores it takes, and the
agreements of ``details`` as outcomes of the scenario."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest
from negotiation_helpers import small_scenario

from palaver.negmas import SimpleTournamentResults, cartesian_tournament
from palaver.negotiators import BoulwareNegotiator, MiCRO
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario
from palaver.tournaments.negotiation import cartesian_tournament as palaver_tournament


def run(scenarios: list[Scenario], **kwargs: object) -> SimpleTournamentResults:
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, "seed": 5, **kwargs}
    return cartesian_tournament([BoulwareNegotiator, MiCRO], scenarios, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "final_score",
    [
        ("advantage", "median"),  # Palaver's statistic, not a column of scores_summary
        ("rounds", "mean"),  # Palaver's metrics of a negotiation are not columns of scores
        ("nash_distance", "mean"),
        ("low", "mean"),  # a stats_aggregated metric is ("low", "value")
        "advantage",
        None,
    ],
)
def test_a_final_score_that_is_not_a_column_of_the_summary_is_refused_before_running(
    tmp_path: Path, final_score: object
) -> None:
    folder = tmp_path / "t"
    with pytest.raises(ValueError, match=r"final_score must be \(metric, statistic\).*'50%'"):
        run(
            [small_scenario(0)],
            final_score=final_score,
            stats_aggregated_metrics={"low": lambda s: -s[("utility", "mean")]},
            path=folder,
        )
    assert not folder.exists()  # refused before anything ran


@pytest.mark.parametrize(
    "final_score", [("partner_welfare", "mean"), ("nash_optimality", "50%"), ("x2", "max")]
)
def test_any_column_of_the_summary_is_a_final_score_as_in_negmas(
    final_score: tuple[str, str],
) -> None:
    r = run(
        [small_scenario(0), small_scenario(1)],
        final_score=final_score,
        raw_aggregated_metrics={"x2": lambda m: 2 * m["utility"]},
    )
    expected = r.scores_summary[final_score].sort_values(ascending=False)
    assert r.final_scores.strategy.tolist() == expected.index.tolist()
    assert r.final_scores.score.tolist() == expected.tolist()
    assert len(r.final_scores) == 2


def test_loading_a_folder_whose_final_score_negmas_has_not_asks_for_one(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    rounds = ("rounds", "mean")
    palaver_tournament([MiCRO], [small_scenario(0)], n_steps=9, path=folder, final_score=rounds)
    with pytest.raises(ValueError, match="pass final_score="):
        SimpleTournamentResults.load(folder)
    loaded = SimpleTournamentResults.load(folder, final_score=("utility", "mean"))
    assert loaded.final_scores.strategy.tolist() == ["MiCRO"]


def test_details_agreements_are_the_scenario_s_own_outcomes() -> None:
    # Values JSON has no form for: a tuple comes back as a list, a date as text.
    values = [(1, 2), (3, 4), (5, 6), (7, 8)]
    days = [datetime.date(2020, 1, d) for d in range(1, 4)]
    space = OutcomeSpace([make_issue(values, "pair"), make_issue(days, "day")])
    rng = np.random.default_rng(3)
    ufuns = [
        LinearAdditiveUtilityFunction(
            [
                dict(zip(values, rng.random(4).tolist(), strict=True)),
                dict(zip(days, rng.random(3).tolist(), strict=True)),
            ],
            [0.5, 0.5],
            outcome_space=space,
        )
        for _ in range(2)
    ]
    r = run([Scenario(space, ufuns, name="odd")])
    outcomes = set(space.enumerate())
    agreements = [a for a in r.details.agreement if a is not None]
    assert agreements and all(a in outcomes for a in agreements)
    # Without the scenarios (a folder read back) the JSON text is read: still an
    # outcome one can hash, its tuple value a tuple again.
    first = SimpleTournamentResults(r.palaver).details.agreement.dropna().iloc[0]
    assert first[0] in values and hash(first)


@pytest.mark.parametrize("name", ["mechanism_params", "metadata", "raw_aggregated_metrics"])
def test_a_mapping_given_as_something_else_is_refused_naming_it(name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name} must "):
        run([small_scenario(0)], **{name: [("pend", 0.1)]})


@pytest.mark.parametrize("value", [-1, 0, "x", float("nan")])
def test_a_bad_external_timeout_is_refused_under_its_own_name(value: object) -> None:
    with pytest.raises(ValueError, match=r"^external_timeout must be"):
        run([small_scenario(0)], external_timeout=value)


def test_infinity_is_no_limit_as_in_negmas_and_a_bad_limit_is_not_dropped() -> None:
    inf = float("inf")
    r = run([small_scenario(0)], time_limit=inf, step_time_limit=inf)
    assert r.config["time_limit"] is None and r.config["n_steps"] == 15
    assert run([small_scenario(0)], n_steps=inf, time_limit=5.0).config["n_steps"] is None
    # pend is a probability (0: never): infinity is no "off"; a zero time limit no limit.
    for bad in ({"pend": inf}, {"step_time_limit": 0}, {"pend_per_second": inf}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            run([small_scenario(0)], **bad)


def test_overwrite_keeps_the_old_folder_when_the_call_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    first = run([small_scenario(0)], path=folder)
    for bad in ({"competitors": ["micr0"]}, {"pend": (0.1, 0.2)}, {"n_steps": -1}):
        kwargs = {"path": folder, "path_exists": "overwrite", **bad}
        competitors = kwargs.pop("competitors", [BoulwareNegotiator, MiCRO])
        with pytest.raises(ValueError):
            cartesian_tournament(competitors, [small_scenario(0)], njobs=-1, verbosity=0, **kwargs)  # type: ignore[arg-type]
        assert [p.name for p in tmp_path.iterdir()] == ["t"]  # nothing left aside
        kept = SimpleTournamentResults.load(folder)
        assert kept.final_scores.score.tolist() == first.final_scores.score.tolist()
    other = run([small_scenario(0)], path=folder, path_exists="overwrite", n_steps=5)
    assert (other.details.n_steps == 5).all() and [p.name for p in tmp_path.iterdir()] == ["t"]


def test_an_aggregated_metric_that_raises_is_named() -> None:
    # The frames are built when the tournament ends (tour20), so the call raises.
    with pytest.raises(ValueError, match=r"raw_aggregated_metrics\['bad'\] raised KeyError.*row"):
        run([small_scenario(0)], raw_aggregated_metrics={"bad": lambda m: m["nope"]})
    with pytest.raises(ValueError, match=r"stats_aggregated_metrics\['bad'\] raised ZeroDivision"):
        run([small_scenario(0)], stats_aggregated_metrics={"bad": lambda s: 1 / 0})
