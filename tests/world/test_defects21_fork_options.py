"""CheckpointRunner.fork ignores no option (review of session 20): an option that
would have no effect is a ValueError naming it and its value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from palaver.examples.trips import build_trips
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.preferences import MappingUtilityFunction
from palaver.world import CheckpointRunner, World


def _mechanism_runner(folder: Path) -> CheckpointRunner:
    mechanism = SAOMechanism(
        outcomes=5, n_steps=20, checkpoint_every=2, checkpoint_folder=folder,
        single_checkpoint=False, checkpoint_filename="m",
    )  # fmt: skip
    for i, ufun in enumerate(MappingUtilityFunction.generate_random(2, outcomes=5, seed=3)):
        mechanism.add(AspirationNegotiator(name=f"a{i}"), preferences=ufun)
    mechanism.run()
    runner = CheckpointRunner(folder)
    runner.step()
    return runner


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("filename", "again"),
        ("info", {"why": "test"}),
        ("exist_ok", False),
        ("single", False),
        ("every", 3),
        ("folder", "other"),
        ("copy_past_checkpoints", True),
    ],
)
def test_a_mechanism_fork_refuses_every_option_it_cannot_honour(
    tmp_path: Path, option: str, value: Any
) -> None:
    # filename, info, exist_ok, single and every were dropped without a word.
    runner = _mechanism_runner(tmp_path / "run")
    if option == "folder":
        value = tmp_path / value
    with pytest.raises(ValueError, match=rf"fork: {option}=.* is refused for a SAOMechanism"):
        runner.fork(**{option: value})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # nothing written


def test_a_mechanism_fork_with_the_defaults_or_no_checkpoints_works(tmp_path: Path) -> None:
    runner = _mechanism_runner(tmp_path / "run")
    assert isinstance(runner.fork(), SAOMechanism)
    assert isinstance(runner.fork(every=0), SAOMechanism)  # "no checkpoints": what it does


@pytest.mark.parametrize(
    ("option", "value"),
    [("filename", "again"), ("info", {"why": "test"}), ("single", False), ("every", 2)],
)
def test_a_world_fork_without_a_folder_refuses_checkpoint_options(
    tmp_path: Path, option: str, value: Any
) -> None:
    world = build_trips(4, 4, seed=5, checkpoint_every=2, checkpoint_folder=str(tmp_path))
    world.run()
    runner = CheckpointRunner(tmp_path)
    runner.step()
    with pytest.raises(ValueError, match=rf"fork: {option}=.* needs a folder \(folder=\)"):
        runner.fork(**{option: value})
    fork = runner.fork(**{option: value}, folder=tmp_path / "fork")
    assert isinstance(fork, World)
