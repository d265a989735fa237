"""NegMAS's continue_cartesian_tournament: finishing a tournament from its
folder alone, and the folders it cannot continue (tour21)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from negotiation_helpers import small_scenario

from palaver.negmas import cartesian_tournament, continue_cartesian_tournament
from palaver.negotiators import BoulwareNegotiator, MiCRO
from palaver.tournaments.runner import TournamentWarning


def run(path: Path, **kwargs: Any) -> Any:
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, "seed": 5, **kwargs}
    scenarios = [small_scenario(0), small_scenario(1)]
    return cartesian_tournament([BoulwareNegotiator, MiCRO], scenarios, path=path, **kwargs)


def test_an_interrupted_tournament_ends_as_the_uninterrupted_one(tmp_path: Path) -> None:
    full = run(tmp_path / "full", n_repetitions=2)
    cut = tmp_path / "cut"
    shutil.copytree(tmp_path / "full", cut)
    # As if the process died after the first batch: the second is not recorded.
    manifest = cut / "manifest.jsonl"
    first = manifest.read_text(encoding="utf-8").splitlines()[0]
    manifest.write_text(first + "\n", encoding="utf-8")
    for table in ("negotiations", "parties"):
        (cut / table / "b000001.parquet").unlink()
    ran = []
    resumed = continue_cartesian_tournament(cut, neg_end_callback=lambda i, s: ran.append(i))
    assert len(ran) == len(full.details) // 2  # the missing batch only
    pd.testing.assert_frame_equal(resumed.final_scores, full.final_scores)
    keep = ["run_id", "agreement", "utilities", "last_step"]
    pd.testing.assert_frame_equal(resumed.details[keep], full.details[keep])
    # A finished folder is just loaded.
    again = continue_cartesian_tournament(cut, neg_end_callback=lambda i, s: ran.append(i))
    assert len(ran) == len(full.details) // 2
    pd.testing.assert_frame_equal(again.scores, resumed.scores)


def _damaged(root: Path, how: str) -> None:
    config = yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))
    if how == "class":
        config["competitor_type_map"]["MiCRONegotiator"] = "palaver.negotiators:NoSuchNegotiator"
    elif how == "metrics":
        config["raw_aggregated_metrics"] = ["twice"]
    elif how == "scenario":
        shutil.rmtree(root / "scenarios" / "t1")
    (root / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")


@pytest.mark.parametrize(
    ("how", "why"),
    [
        ("class", "does not import"),
        ("metrics", "raw_aggregated_metrics"),
        ("scenario", "scenario 't1' cannot be loaded"),
    ],
)
def test_a_folder_it_cannot_continue_gives_none_and_says_why(
    tmp_path: Path, how: str, why: str
) -> None:
    run(tmp_path / "t")
    _damaged(tmp_path / "t", how)
    with pytest.warns(TournamentWarning, match=why):
        assert continue_cartesian_tournament(tmp_path / "t") is None
    with pytest.warns(TournamentWarning, match="no such folder"):
        assert continue_cartesian_tournament(tmp_path / "none") is None


def test_retry_options_reach_the_tournament(tmp_path: Path) -> None:
    first = run(tmp_path / "t")
    lines = (tmp_path / "t" / "manifest.jsonl").read_text().splitlines()
    # Nothing failed: retrying reruns no batch, and the results are the folder's.
    again = continue_cartesian_tournament(tmp_path / "t", retry_failed_on_resume=True)
    assert (tmp_path / "t" / "manifest.jsonl").read_text().splitlines() == lines
    pd.testing.assert_frame_equal(again.final_scores, first.final_scores)
    with pytest.raises(ValueError, match="retry_failed_on_resume must be True or False"):
        continue_cartesian_tournament(tmp_path / "t", retry_failed_on_resume="yes")
