"""NegMAS's ``SimpleTournamentResults.load``: the raw aggregated metrics'
columns come back from the folder's ``all_scores`` file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from negotiation_helpers import small_scenario

from palaver.negmas import SimpleTournamentResults, cartesian_tournament
from palaver.negotiators import BoulwareNegotiator, MiCRO
from palaver.tournaments import TournamentWarning
from palaver.tournaments.negotiation.negmas_folder import find_dataframe_file


def combined(m: dict[str, float]) -> float:
    return 0.5 * m["advantage"] + 0.25 * m["utility"]


def run(path: Path, storage: str) -> SimpleTournamentResults:
    return cartesian_tournament(
        [BoulwareNegotiator, MiCRO],
        [small_scenario(0)],
        n_steps=15,
        n_repetitions=2,
        njobs=-1,
        verbosity=0,
        seed=3,
        path=path,
        storage_optimization=storage,
        raw_aggregated_metrics={"combined": combined},
    )


def test_load_reads_the_raw_aggregated_metrics_columns_the_folder_holds(tmp_path: Path) -> None:
    first = run(tmp_path / "t", "speed")
    loaded = SimpleTournamentResults.load(tmp_path / "t")
    assert np.allclose(loaded.scores.combined, first.scores.combined)
    assert np.allclose(loaded.scores.combined, 0.5 * loaded.scores.advantage
                       + 0.25 * loaded.scores.utility)  # fmt: skip
    assert ("combined", "mean") in loaded.scores_summary.columns


def test_without_the_all_scores_file_the_columns_are_absent(tmp_path: Path) -> None:
    run(tmp_path / "t", "space")  # NegMAS's default level writes no all_scores
    loaded = SimpleTournamentResults.load(tmp_path / "t")
    assert "combined" not in loaded.scores.columns
    assert "utility" in loaded.scores.columns


def test_a_file_whose_rows_do_not_match_is_not_read_and_says_so(tmp_path: Path) -> None:
    run(tmp_path / "t", "speed")
    file = find_dataframe_file(tmp_path / "t", "all_scores")
    assert file is not None
    lines = file.read_text().splitlines()
    file.write_text("\n".join(lines[:-1]) + "\n")  # one row short
    loaded = SimpleTournamentResults.load(tmp_path / "t")
    with pytest.warns(TournamentWarning, match="rows do not match"):
        scores = loaded.scores
    assert "combined" not in scores.columns


def test_only_failures_on_self_play_drops_agreed_self_play_negotiations(tmp_path: Path) -> None:
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, "seed": 3, "path": tmp_path / "t"}
    full = cartesian_tournament([BoulwareNegotiator, MiCRO], [small_scenario(0)], **kwargs)
    mirror = full.details.negotiator_names.map(lambda names: len(set(names)) == 1)
    agreed = full.details.agreement.notna()
    assert (mirror & agreed).any() and (~mirror).any()
    kept = cartesian_tournament(
        [BoulwareNegotiator, MiCRO], [small_scenario(0)],
        only_failures_on_self_play=True, **{**kwargs, "path": tmp_path / "u"},
    )  # fmt: skip
    expected = full.details[~(mirror & agreed)].negotiation_id.tolist()
    assert kept.details.negotiation_id.tolist() == expected
    assert len(kept.scores) == 2 * len(expected)
    assert len(kept.palaver.negotiations) == len(full.details)  # every one is still played
    loaded = SimpleTournamentResults.load(tmp_path / "u")
    assert loaded.details.negotiation_id.tolist() == expected
    with pytest.raises(ValueError, match="only_failures_on_self_play must be True or False"):
        cartesian_tournament([MiCRO], [small_scenario(0)], only_failures_on_self_play="yes")


def test_describe_by_is_pandas_describe_per_group() -> None:
    import pandas as pd

    from palaver.tournaments.negotiation.negmas_scores import describe_by

    frame = pd.DataFrame({
        "strategy": ["a", "a", "b", "a", "c", "b"],
        "utility": [0.1, 0.5, 0.3, np.nan, 0.7, 0.2],
        "rounds": [3, 4, 5, 6, 7, 8],
        "all_nan": [np.nan] * 6,
        "has_error": [False, True, False, False, True, False],
        "partners": ["x", "y", "z", "x", "y", "z"],
    })  # fmt: skip
    expected = frame.groupby("strategy").describe()
    pd.testing.assert_frame_equal(describe_by(frame, "strategy"), expected, check_dtype=False)
    scores = run_plain().scores
    cols = [c for c in scores.columns if c not in ("scenario", "partners")]
    pd.testing.assert_frame_equal(
        describe_by(scores.loc[:, cols], "strategy"),
        scores.loc[:, cols].groupby("strategy").describe(),
        check_dtype=False,
    )


def run_plain() -> SimpleTournamentResults:
    return cartesian_tournament(
        [BoulwareNegotiator, MiCRO], [small_scenario(1)], n_steps=15, njobs=-1, verbosity=0, seed=4
    )


def test_reserved_value_eps_corrects_reserved_values_that_are_not_finite() -> None:
    import math

    from palaver._util.warning_types import NegmasUnexpectedValueWarning

    scenario = small_scenario(0)
    scenario.ufuns[1].reserved_value = -math.inf
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, "seed": 3, "rotate_ufuns": False}
    plain = cartesian_tournament([BoulwareNegotiator, MiCRO], [scenario], **kwargs)
    assert (plain.details.reserved_values.map(lambda r: r[1]) == -math.inf).all()
    with pytest.warns(NegmasUnexpectedValueWarning, match="minus 0.25"):
        eps = cartesian_tournament(
            [BoulwareNegotiator, MiCRO], [scenario], reserved_value_eps=0.25, **kwargs
        )
    # Normalized to [0, 1]: the lowest utility is 0.
    assert eps.details.reserved_values.map(lambda r: r[1]).tolist() == pytest.approx(
        [-0.25] * len(eps.details)
    )
    first = eps.details.reserved_values.map(lambda r: r[0]).tolist()
    assert first == plain.details.reserved_values.map(lambda r: r[0]).tolist()
    assert scenario.ufuns[1].reserved_value == -math.inf  # the caller's scenario is unchanged
    with pytest.raises(ValueError, match="reserved_value_eps must be a finite number"):
        cartesian_tournament([MiCRO], [scenario], reserved_value_eps="x")
