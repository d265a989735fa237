"""Negotiation callbacks of a tournament: where they run, what they get, what they may not be."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from negotiation_helpers import note_end, small_scenario

from palaver.tournaments.negotiation import cartesian_tournament


def test_callbacks_run_in_the_workers_of_the_process_executor(tmp_path: Path) -> None:
    r = cartesian_tournament(
        ["boulware", "micro"],
        [small_scenario(0), small_scenario(1)],
        n_steps=12,
        seed=1,
        executor="process",
        workers=2,
        neg_end_callback=functools.partial(note_end, str(tmp_path)),
    )
    negs = r.negotiations.set_index("negotiation_id")
    written = {p.stem: p.read_text().split(",") for p in tmp_path.glob("*.txt")}
    assert set(written) == set(negs.index)
    for run_id, (step, pid) in written.items():
        assert int(step) == negs.loc[run_id, "rounds"]
        assert int(pid) != os.getpid()


def test_a_callback_workers_cannot_receive_is_refused_before_anything_runs(
    tmp_path: Path,
) -> None:
    def nested(run_id: str, state: object) -> None:
        pass

    with pytest.raises(ValueError, match=r"neg_start_callback=.*cannot be sent to the 'process'"):
        cartesian_tournament(
            ["boulware"], [small_scenario(0)], executor="process", neg_start_callback=nested,
            path=tmp_path / "t",
        )  # fmt: skip
    assert not (tmp_path / "t").exists()
    with pytest.raises(ValueError, match="neg_end_callback must be a function"):
        cartesian_tournament(["boulware"], [small_scenario(0)], neg_end_callback="print")


def test_a_callback_that_raises_ends_its_negotiation_as_an_error_row() -> None:
    def fails(run_id: str, state: object) -> None:
        if run_id == "n0000001":
            raise RuntimeError("callback broke")

    r = cartesian_tournament(
        ["boulware", "micro"], [small_scenario(0)], n_steps=10, seed=1, neg_progress_callback=fails
    )
    negs = r.negotiations.set_index("negotiation_id")
    assert negs.loc["n0000001", "result"] == "error"
    assert "callback broke" in negs.loc["n0000001", "error"]
    assert (negs.drop(index="n0000001").result != "error").all()
