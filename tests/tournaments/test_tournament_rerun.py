"""Resuming a folder with ``rerun``: batches holding a failed negotiation run again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flaky_helpers import Flaky
from negotiation_helpers import small_scenario

from palaver.negmas import cartesian_tournament as negmas_tournament
from palaver.negotiators import BoulwareNegotiator
from palaver.tournaments.negotiation import cartesian_tournament


def scenarios() -> list:
    return [small_scenario(0, n_values=6), small_scenario(1, n_values=5)]  # 36 and 25 outcomes


def manifest_batches(root: Path) -> list[str]:
    lines = (root / "manifest.jsonl").read_text().splitlines()
    return [json.loads(line)["batch"] for line in lines if line.strip()]


def test_rerun_runs_again_only_the_batches_with_such_results(tmp_path: Path) -> None:
    root = tmp_path / "t"
    kwargs = {"n_steps": 15, "seed": 4, "path": root, "n_repetitions": 2}
    Flaky.fail = True
    try:
        first = cartesian_tournament([Flaky, BoulwareNegotiator], scenarios(), **kwargs)
    finally:
        Flaky.fail = False
    errors = first.negotiations[first.negotiations.result == "error"]
    assert set(errors.scenario) == {"t1"}
    assert manifest_batches(root) == ["b000000", "b000001"]
    kept = cartesian_tournament([Flaky, BoulwareNegotiator], scenarios(), **kwargs)
    assert (kept.negotiations.result == "error").sum() == len(errors)  # a result: kept
    again = cartesian_tournament(
        [Flaky, BoulwareNegotiator], scenarios(), rerun=["error"], **kwargs
    )
    assert manifest_batches(root) == ["b000000", "b000001", "b000001"]
    assert not (again.negotiations.result == "error").any()
    assert len(again.negotiations) == len(first.negotiations)
    # The batch without errors is as it was; the rerun one played its seeds again.
    ids = ["negotiation_id", "seed", "scenario"]
    assert again.negotiations[ids].equals(first.negotiations[ids])
    same = again.negotiations.scenario == "t0"
    assert again.negotiations[same].agreement.equals(first.negotiations[same].agreement)


def test_rerun_is_checked() -> None:
    with pytest.raises(ValueError, match="rerun must be a list of results among"):
        cartesian_tournament([BoulwareNegotiator], scenarios(), rerun=["agreement"], path="x")
    # not a list at all: the parameter and what it allows named (was "'NoneType'
    # object is not iterable")
    for wrong in (None, 5, {"error": 1}):
        with pytest.raises(ValueError, match=r"rerun must be a list of results among .*got") as e:
            cartesian_tournament([BoulwareNegotiator], scenarios(), rerun=wrong, path="x")  # type: ignore[arg-type]
        assert "not iterable" not in str(e.value)
    with pytest.raises(ValueError, match="rerun must be a list"):
        cartesian_tournament([BoulwareNegotiator], scenarios(), rerun=[["error"]], path="x")
    with pytest.raises(ValueError, match="give path"):
        cartesian_tournament([BoulwareNegotiator], scenarios(), rerun=["error"])


def test_negmas_retry_flags_rerun_errors_and_timeouts(tmp_path: Path) -> None:
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, "seed": 4, "path": tmp_path / "t"}
    Flaky.fail = True
    try:
        negmas_tournament([Flaky, BoulwareNegotiator], scenarios(), **kwargs)
    finally:
        Flaky.fail = False
    resumed = negmas_tournament([Flaky, BoulwareNegotiator], scenarios(), **kwargs)
    assert resumed.details.has_error.any()
    timedout = negmas_tournament(
        [Flaky, BoulwareNegotiator], scenarios(), retry_timedout_on_resume=True, **kwargs
    )
    assert timedout.details.has_error.any()  # errors are not timeouts
    retried = negmas_tournament(
        [Flaky, BoulwareNegotiator], scenarios(), retry_failed_on_resume=True, **kwargs
    )
    assert not retried.details.has_error.any()
    assert len(retried.details) == len(resumed.details)
