"""NegMAS's ``cartesian_tournament`` (palaver.negmas) and its ``SimpleTournamentResults``."""

from __future__ import annotations

import inspect
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from negotiation_helpers import Sleeper, small_scenario

from palaver.negmas import SimpleTournamentResults, cartesian_tournament
from palaver.negotiators import AspirationNegotiator, BoulwareNegotiator, MiCRO
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario
from palaver.scenarios.optimality import estimate_max_dist
from palaver.tournaments import TournamentWarning
from palaver.tournaments.negotiation import negmas_call
from palaver.tournaments.negotiation.negmas_call import NO_EFFECT, REFUSED

# NegMAS 0.16's keywords of cartesian_tournament (names only: facts of its API).
NEGMAS_KEYWORDS = [
    "competitors",
    "scenarios",
    "opponents",
    "opponent_params",
    "opponent_names",
    "private_infos",
    "competitor_params",
    "competitor_names",
    "rotate_ufuns",
    "rotate_private_infos",
    "n_repetitions",
    "path",
    "path_exists",
    "retry_failed_on_resume",
    "retry_timedout_on_resume",
    "njobs",
    "mechanism_type",
    "mechanism_params",
    "n_steps",
    "time_limit",
    "pend",
    "pend_per_second",
    "step_time_limit",
    "negotiator_time_limit",
    "hidden_time_limit",
    "external_timeout",
    "process_isolation",
    "allow_inline_fallback",
    "max_tasks_per_worker",
    "executor",
    "plot_fraction",
    "plot_params",
    "verbosity",
    "self_play",
    "randomize_runs",
    "sort_runs",
    "save_every",
    "save_stats",
    "save_scenario_figs",
    "recalculate_stats",
    "image_format",
    "opponent_modeling_metrics",
    "distribute_opponent_modeling_scores",
    "raw_aggregated_metrics",
    "stats_aggregated_metrics",
    "final_score",
    "id_reveals_type",
    "name_reveals_type",
    "shorten_names",
    "raise_exceptions",
    "mask_scenario_names",
    "only_failures_on_self_play",
    "ignore_discount",
    "ignore_reserved",
    "normalize_ufuns",
    "reserved_value_eps",
    "storage_optimization",
    "memory_optimization",
    "storage_format",
    "save_negotiations_as_folders",
    "python_class_identifier",
    "before_start_callback",
    "progress_callback",
    "neg_start_callback",
    "after_construction_callback",
    "neg_progress_callback",
    "neg_end_callback",
    "after_end_callback",
    "metadata",
    "run_analysis",
    "analysis_plots",
    "analysis_kwargs",
]

DONE_AS_NEGMAS = set(
    [
        "competitors",
        "scenarios",
        "opponents",
        "opponent_params",
        "opponent_names",
        # tour22: opponent-model scores are computed
        "opponent_modeling_metrics",
        "distribute_opponent_modeling_scores",
        "competitor_params",
        "competitor_names",
        "rotate_ufuns",
        "n_repetitions",
        "path",
        "path_exists",
        "njobs",
        "mechanism_type",
        "mechanism_params",
        "n_steps",
        "time_limit",
        "pend",
        "pend_per_second",
        "step_time_limit",
        "negotiator_time_limit",
        "hidden_time_limit",
        "verbosity",
        "self_play",
        "randomize_runs",
        "save_every",
        "raw_aggregated_metrics",
        "stats_aggregated_metrics",
        "final_score",
        "ignore_discount",
        "ignore_reserved",
        "normalize_ufuns",
        "neg_start_callback",
        "neg_progress_callback",
        "neg_end_callback",
        "external_timeout",
        "storage_optimization",
        "storage_format",
        "before_start_callback",
        "after_construction_callback",
        "after_end_callback",
        "progress_callback",
        "save_stats",
        "executor",
        "run_analysis",
        "analysis_plots",
        "analysis_kwargs",
        "id_reveals_type",
        "name_reveals_type",
        "only_failures_on_self_play",
        "reserved_value_eps",
        "retry_failed_on_resume",
        "retry_timedout_on_resume",
    ]
)


def run(scenarios: list[Scenario], **kwargs: object) -> SimpleTournamentResults:
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, "seed": 5, **kwargs}
    return cartesian_tournament([BoulwareNegotiator, MiCRO], scenarios, **kwargs)  # type: ignore[arg-type]


def test_every_negmas_keyword_is_taken_and_each_is_done_accepted_or_refused() -> None:
    params = list(inspect.signature(cartesian_tournament).parameters)
    assert params[: len(NEGMAS_KEYWORDS)] == NEGMAS_KEYWORDS  # same order: positional calls work
    for name in NEGMAS_KEYWORDS:
        kinds = [name in DONE_AS_NEGMAS, name in NO_EFFECT, name in REFUSED]
        assert sum(kinds) == 1, name
    assert cartesian_tournament is negmas_call.negmas_cartesian_tournament


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"private_infos": [({"x": 1}, {"x": 2})]}, "private_infos="),
        ({"executor": "pool"}, "executor must be 'process' or 'thread'"),
        ({"executor": "thread", "process_isolation": True}, "cannot be combined"),
        ({"after_end_callback": 3}, "after_end_callback must be a function"),
        ({"storage_format": "xlsx"}, "storage_format must be one of"),
        ({"storage_optimization": "fast"}, "storage_optimization must be one of"),
        ({"opponent_modeling_metrics": ("ordinal_optimality",)}, "NegMAS does not compute it"),
        ({"plot_fraction": 0.5}, "plot_fraction=0.5"),
        ({"retry_failed_on_resume": 1}, "retry_failed_on_resume must be True or False"),
        ({"path_exists": "append"}, "path_exists must be one of"),
        ({"normalize_ufuns": "yes"}, "normalize_ufuns must be True or False"),
        ({"pend": (0.0, 0.1)}, "pend=\\(0.0, 0.1\\) draws a value per negotiation"),
    ],
)
def test_what_cannot_be_done_is_refused_naming_the_keyword(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run([small_scenario(0)], **kwargs)


def test_the_frames_are_negmas_s_and_agree_with_palaver_s_tables() -> None:
    scenarios = [small_scenario(0), small_scenario(1)]
    r = run(
        scenarios,
        n_repetitions=2,
        raw_aggregated_metrics={"double": lambda m: 2 * m["utility"]},
        stats_aggregated_metrics={
            "spread": lambda s: s[("utility", "max")] - s[("utility", "min")]
        },
    )
    scores, details, parties = r.scores, r.details, r.palaver.parties
    assert len(details) == len(r.palaver.negotiations) == 2 * 2 * 4 * 2
    assert len(scores) == len(parties)
    for column in ("strategy", "utility", "reserved_value", "advantage", "partner_welfare",
                   "welfare", "scenario", "partners", "negotiator_id", "has_error",
                   "nash_optimality", "fairness", "double"):  # fmt: skip
        assert column in scores.columns, column
    assert np.allclose(scores.double, 2 * scores.utility)
    first = details.iloc[0]
    utils = first.utilities
    rows = scores[scores.negotiator_id.isin(first.negotiator_ids)].iloc[:2]
    # NegMAS's welfare is the mean utility; partner welfare the mean of the others'.
    assert rows.welfare.tolist() == pytest.approx([sum(utils) / 2] * 2)
    assert rows.partner_welfare.tolist() == pytest.approx([utils[1], utils[0]])
    assert rows.partners.tolist() == [first.negotiator_names[1], first.negotiator_names[0]]
    # Scores are Palaver's rows, in order.
    assert scores.utility.tolist() == pytest.approx(parties.sort_values(
        ["negotiation_id", "position"]).utility.tolist())  # fmt: skip
    # The summary describes the scores per strategy; the final scores rank by it.
    summary = r.scores_summary
    assert summary[("utility", "count")].sum() == len(scores)
    for strategy, row in summary.iterrows():
        mine = scores[scores.strategy == strategy]
        assert row[("advantage", "mean")] == pytest.approx(mine.advantage.mean())
        assert row[("spread", "value")] == pytest.approx(mine.utility.max() - mine.utility.min())
    final = r.final_scores
    assert list(final.columns) == ["strategy", "score"]
    assert final.score.is_monotonic_decreasing
    assert final.strategy.tolist() == r.ranking().competitor.tolist()  # Palaver's, through the view
    assert final.score.tolist() == pytest.approx(r.ranking().score.tolist())


def test_either_reveals_type_flag_names_negotiators_by_competitor_and_position() -> None:
    for flags in ({"id_reveals_type": True}, {"id_reveals_type": True, "name_reveals_type": False}):
        r = run([small_scenario(0)], **flags)
        for ids, names in zip(r.details.negotiator_ids, r.details.negotiator_names, strict=True):
            assert [i.split("@")[1] for i in ids] == ["0", "1"]
            assert [i.split("@")[0] for i in ids] == list(names)
        assert r.config["id_reveals_type"] is True
    with pytest.raises(ValueError, match="id_reveals_type=False with name_reveals_type=False"):
        run([small_scenario(0)], name_reveals_type=False)
    with pytest.raises(ValueError, match="id_reveals_type must be True or False"):
        run([small_scenario(0)], id_reveals_type="yes")


def test_optimality_is_one_minus_the_distance_over_the_utility_box() -> None:
    scenarios = [small_scenario(0)]
    r = run(scenarios, normalize_ufuns=False)  # played on the scenario as given
    details = r.details
    big = estimate_max_dist(list(scenarios[0].ufuns))
    for _, row in details.iterrows():
        for name in ("nash", "kalai", "ks"):
            expected = max(0.0, 1 - row[f"{name}_distance"] / big)
            assert row[f"{name}_optimality"] == pytest.approx(expected, abs=1e-9)
        assert row.fairness == pytest.approx(
            max(row.nash_optimality, row.kalai_optimality, row.ks_optimality)
        )


def wide(i: int) -> Scenario:
    """A bilateral scenario whose utilities run from 0 to 10 (not normalized)."""
    rng = np.random.default_rng(300 + i)
    space = OutcomeSpace([make_issue(4, "a"), make_issue(4, "b")])
    ufuns = [
        LinearAdditiveUtilityFunction(
            [{k: float(v) for k, v in enumerate(rng.random(4) * 10)} for _ in range(2)],
            [1.0, 1.0],
            reserved_value=1.0,
            outcome_space=space,
        )
        for _ in range(2)
    ]
    return Scenario(space, ufuns, name=f"wide{i}")


def test_utility_functions_are_normalized_as_negmas_does_on_copies() -> None:
    s = wide(0)
    before = s.ufuns[0].minmax()
    normalized = run([s])
    assert s.ufuns[0].minmax() == before  # the caller's scenario is left as it was
    assert normalized.scores.utility.between(-1e-9, 1 + 1e-9).all()
    assert normalized.palaver.parties.max_utility.to_numpy() == pytest.approx(1.0)
    raw = run([s], normalize_ufuns=False)
    assert raw.palaver.parties.max_utility.max() > 1.5
    unreserved = run([s], ignore_reserved=True)
    assert (unreserved.scores.reserved_value == -math.inf).all()


def test_opponents_and_mechanism_limits_reach_palaver_s_tournament() -> None:
    r = cartesian_tournament(
        [MiCRO],
        [small_scenario(0)],
        opponents=[AspirationNegotiator],
        n_steps=12,
        njobs=-1,
        verbosity=0,
        step_time_limit=30.0,
        metadata={"run": "x"},
    )
    assert set(r.scores.strategy) == {"MiCRONegotiator"}  # NegMAS's name; opponents are not scored
    assert {n[1] for n in r.details.negotiator_names} == {"AspirationNegotiator"}
    assert r.config["mechanism_params"] == {"step_time_limit": 30.0}
    assert r.config["metadata"] == {"run": "x"}


def test_path_exists_fail_overwrite_and_continue(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    first = run([small_scenario(0)], path=folder)
    again = run([small_scenario(0)], path=folder)  # continue: resumed, nothing run again
    assert again.final_scores.score.tolist() == first.final_scores.score.tolist()
    with pytest.raises(FileExistsError, match="path_exists='fail'"):
        run([small_scenario(0)], path=folder, path_exists="fail")
    other = run([small_scenario(0)], path=folder, path_exists="overwrite", n_steps=5)
    assert (other.details.n_steps == 5).all()
    stray = tmp_path / "notes"
    stray.mkdir()
    (stray / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not a tournament folder"):
        run([small_scenario(0)], path=stray, path_exists="overwrite")
    assert (stray / "keep.txt").read_text() == "mine"
    loaded = SimpleTournamentResults.load(folder)
    assert loaded.final_scores.score.tolist() == pytest.approx(other.final_scores.score.tolist())
    assert "nash_optimality" not in loaded.scores.columns  # the folder holds no scenarios


def test_bad_results_and_metrics_are_refused() -> None:
    with pytest.raises(TypeError, match="results must be NegotiationTournamentResults"):
        SimpleTournamentResults("folder")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="raw_aggregated_metrics must map metric names"):
        run([small_scenario(0)], raw_aggregated_metrics={"x": 3})


def test_negotiation_callbacks_are_called_with_the_run_id_and_state() -> None:
    seen: list[tuple[str, str, int, bool]] = []

    def start(run_id: str, state: object) -> None:
        seen.append(("start", run_id, state.step, state.running))  # type: ignore[attr-defined]

    def progress(run_id: str, state: object) -> None:
        seen.append(("progress", run_id, state.step, state.running))  # type: ignore[attr-defined]

    def end(run_id: str, state: object) -> None:
        seen.append(("end", run_id, state.step, state.agreement is not None))  # type: ignore[attr-defined]

    r = run(
        [small_scenario(0)],
        neg_start_callback=start,
        neg_progress_callback=progress,
        neg_end_callback=end,
        rotate_ufuns=False,
    )
    details = r.details.set_index("run_id")
    for run_id, row in details.iterrows():
        mine = [s for s in seen if s[1] == run_id]
        assert mine[0][0] == "start" and mine[0][2] == 0
        steps = [s for s in mine if s[0] == "progress"]
        assert [s[2] for s in steps] == list(range(1, row.last_step + 1))
        assert mine[-1] == ("end", run_id, row.last_step, row.agreement is not None)
    assert len(details) == 4 and {s[1] for s in seen} == set(details.index)


def test_external_timeout_stops_a_negotiation_as_timed_out_not_as_an_error() -> None:
    r = cartesian_tournament(
        [Sleeper, MiCRO], [small_scenario(0)], n_steps=20, njobs=-1, verbosity=0,
        external_timeout=1, rotate_ufuns=False,
    )  # fmt: skip
    details = r.details
    stopped = details[r.palaver.negotiations.result == "hung"]
    assert len(stopped) >= 2  # every negotiation in which the sleeper proposes a third time
    assert stopped.timedout.all() and not stopped.has_error.any()
    assert stopped.agreement.isna().all()
    with pytest.raises(ValueError, match="give external_timeout or hang_timeout, not both"):
        run([small_scenario(0)], external_timeout=5, hang_timeout=10)


def test_the_limit_keywords_win_over_mechanism_params_as_in_negmas() -> None:
    with pytest.warns(TournamentWarning, match=r"mechanism_params n_steps=7 \(used: 15\)"):
        r = run([small_scenario(0)], mechanism_params={"n_steps": 7, "one_offer_per_step": True})
    assert (r.details.n_steps == 15).all()
    assert r.config["mechanism_params"] == {"one_offer_per_step": True}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same value in both places: nothing to say
        run([small_scenario(0)], mechanism_params={"n_steps": 15})


def test_a_stats_aggregated_metric_can_be_the_final_score() -> None:
    r = run(
        [small_scenario(0), small_scenario(1)],
        stats_aggregated_metrics={"low": lambda s: -s[("utility", "mean")]},
        final_score=("low", "value"),
    )
    summary = r.scores_summary
    assert summary[("low", "value")].is_monotonic_decreasing
    assert r.final_scores.score.tolist() == summary[("low", "value")].tolist()
