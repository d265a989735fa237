"""CheckpointRunner.fork reads its on/off options as flags and names its own
parameters in its errors (review of session 21)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from palaver.examples.trips import build_trips
from palaver.world import CheckpointRunner, WorldParameterError


def _runner(folder: Path) -> CheckpointRunner:
    world = build_trips(4, 4, seed=5, checkpoint_every=1, checkpoint_folder=str(folder))
    world.run()
    runner = CheckpointRunner(folder)
    runner.step()
    return runner


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("copy_past_checkpoints", "no"),  # copied the checkpoints: "no" is true
        ("copy_past_checkpoints", 0),
        ("single", "no"),  # the error named single_checkpoint, not fork's single
        ("exist_ok", 1),
        ("every", "2"),  # the error named checkpoint_every, not fork's every
        ("every", True),
    ],
)
def test_fork_refuses_a_non_flag_naming_its_own_parameter(
    tmp_path: Path, option: str, value: Any
) -> None:
    runner = _runner(tmp_path / "run")
    with pytest.raises(WorldParameterError, match=rf"^fork: {option} must be .*{value!r}"):
        runner.fork(folder=tmp_path / "fork", **{option: value})
    assert not (tmp_path / "fork").exists()  # nothing copied or made
