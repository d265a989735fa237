"""CheckpointRunner: browsing the checkpoints of a run, and forking a run from one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from palaver.examples.trips import TripsWorld, build_trips
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.preferences import MappingUtilityFunction
from palaver.world import CheckpointError, CheckpointRunner, World


def summary(world: World[Any, Any]) -> dict[str, Any]:
    contracts = [(c.id, c.agreement, c.signed_at) for c in world.saved_contracts]
    return {"contracts": contracts, "stats": world.stats, "step": world.current_step}


def saved_run(folder: Path, **kw: Any) -> TripsWorld:
    world = build_trips(
        4, 6, seed=5, checkpoint_every=2, checkpoint_folder=str(folder),
        single_checkpoint=False, **kw,
    )  # fmt: skip
    world.run()
    return world


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_lists_the_stored_steps_and_walks_them_in_order(tmp_path: Path) -> None:
    saved_run(tmp_path)
    seen: list[tuple[int, int]] = []
    runner = CheckpointRunner(tmp_path, callback=lambda w, s: seen.append((s, w.current_step)))
    assert runner.steps == [0, 2, 4]
    assert (runner.first_step, runner.last_step) == (0, 4)
    assert (runner.current_step, runner.loaded_object) == (-1, None)
    assert (runner.previous_step, runner.next_step) == (-1, 0)
    assert runner.step() == 0
    assert isinstance(runner.loaded_object, TripsWorld)
    assert runner.loaded_object.current_step == 0
    assert (runner.previous_step, runner.next_step) == (None, 2)
    runner.run()
    assert runner.current_step == 4 and runner.next_step is None
    assert runner.step() is None
    assert seen == [(0, 0), (2, 2), (4, 4)]
    runner.reset()
    assert (runner.current_step, runner.loaded_object) == (-1, None)


def test_goto_exact_or_the_first_stored_step_from_there(tmp_path: Path) -> None:
    saved_run(tmp_path)
    runner = CheckpointRunner(tmp_path)
    assert runner.goto(4, exact=True) == 4
    assert runner.loaded_object.current_step == 4
    assert runner.goto(4, exact=True) is None  # already there
    with pytest.raises(ValueError, match="step 3 has no checkpoint"):
        runner.goto(3, exact=True)
    assert runner.current_step == 4
    assert runner.goto(3) is None  # the first stored step from 3 on: 4, loaded
    assert runner.goto(1) == 2
    assert runner.goto(100) == 4  # past the last stored step: the last
    assert runner.goto(-7) == 0
    assert runner.goto(None) is None
    with pytest.raises(TypeError, match="step must be an int"):
        runner.goto("2")  # type: ignore[arg-type]


def test_a_fork_continues_exactly_as_the_original_run(tmp_path: Path) -> None:
    original = saved_run(tmp_path / "run")
    before = contents(tmp_path / "run")
    runner = CheckpointRunner(tmp_path / "run")
    runner.goto(2, exact=True)
    fork = runner.fork(folder=tmp_path / "fork", filename="again", every=1, single=False)
    assert isinstance(fork, TripsWorld) and fork is not runner.loaded_object
    fork.run()
    assert summary(fork) == summary(original)
    assert runner.loaded_object.current_step == 2  # the runner's copy did not run
    assert contents(tmp_path / "run") == before  # the original run's files untouched
    assert sorted(p.name for p in (tmp_path / "fork").glob("*.ckpt")) == [
        f"00000{s}_again.ckpt" for s in (3, 4, 5)
    ]


def test_a_fork_without_a_folder_writes_nothing(tmp_path: Path) -> None:
    saved_run(tmp_path)
    before = contents(tmp_path)
    runner = CheckpointRunner(tmp_path)
    assert runner.fork() is None  # nothing loaded yet
    runner.goto(4)
    fork = runner.fork()
    fork.run()
    assert fork.current_step == 6
    assert contents(tmp_path) == before


def test_a_fork_copies_the_past_checkpoints(tmp_path: Path) -> None:
    saved_run(tmp_path / "run")
    runner = CheckpointRunner(tmp_path / "run")
    runner.goto(2, exact=True)
    with pytest.raises(ValueError, match="needs a folder"):
        runner.fork(copy_past_checkpoints=True)
    fork = runner.fork(copy_past_checkpoints=True, folder=tmp_path / "new", exist_ok=False)
    copied = sorted(p.name for p in (tmp_path / "new").iterdir())
    assert copied == [f"00000{s}_world.ckpt{x}" for s in (0, 2) for x in ("", ".json")]
    fork.run()  # one checkpoint, world.ckpt (the latest, step 5), besides the copies
    assert CheckpointRunner(tmp_path / "new").steps == [0, 2, 5]


def test_only_sidecars_count_and_id_picks_one_object(tmp_path: Path) -> None:
    first = saved_run(tmp_path)
    second = saved_run(tmp_path, checkpoint_filename="other", name="second")
    (tmp_path / "stats.json").write_text(json.dumps({"not": "a sidecar"}))
    with pytest.raises(CheckpointError, match="two checkpoints of step 0"):
        CheckpointRunner(tmp_path)
    runner = CheckpointRunner(tmp_path, id=second.id)
    assert runner.steps == [0, 2, 4]
    runner.step()
    assert runner.loaded_object.id == second.id != first.id


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(NotImplementedError):
        CheckpointRunner(tmp_path, watch=True)
    (tmp_path / "f").write_text("")
    with pytest.raises(NotADirectoryError):
        CheckpointRunner(tmp_path / "f")
    empty = CheckpointRunner(tmp_path)
    assert empty.steps == [] and empty.step() is None
    with pytest.raises(ValueError, match="holds no checkpoints"):
        _ = empty.last_step
    with pytest.raises(TypeError, match="callable"):
        empty.register_callback(3)  # type: ignore[arg-type]


def test_runs_the_checkpoints_of_a_mechanism(tmp_path: Path) -> None:
    mechanism = SAOMechanism(
        outcomes=5, n_steps=20, checkpoint_every=2, checkpoint_folder=tmp_path,
        single_checkpoint=False, checkpoint_filename="m",
    )  # fmt: skip
    for i, ufun in enumerate(MappingUtilityFunction.generate_random(2, outcomes=5)):
        mechanism.add(AspirationNegotiator(name=f"a{i}"), preferences=ufun)
    mechanism.run()
    runner = CheckpointRunner(tmp_path)
    assert runner.steps[0] == 0 and len(runner.steps) > 1
    runner.step()
    assert isinstance(runner.loaded_object, SAOMechanism)
    assert runner.loaded_object.state.step == 0
    with pytest.raises(ValueError, match="only a world can"):
        runner.fork(folder=tmp_path / "other")
    assert isinstance(runner.fork(), SAOMechanism)


def test_negmas_name() -> None:
    from palaver.negmas.checkpoints import CheckpointRunner as Negmas

    assert Negmas is CheckpointRunner
