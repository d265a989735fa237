"""NegMAS's checkpoint API on single agents, negotiators and mechanisms."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from world_helpers import LedgerWorld

from palaver.mechanisms import CheckpointError as BaseCheckpointError
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.world import Agent, CheckpointError


class Counting(Agent):
    def init(self) -> None:
        self.steps_seen = 0

    def step(self) -> None:
        self.steps_seen += 1


def _mechanism(n_steps: int = 30) -> SAOMechanism:
    issues = [make_issue(10, "price"), make_issue(5, "qty")]
    m = SAOMechanism(issues=issues, n_steps=n_steps)
    m.add(AspirationNegotiator(name="buyer"), ufun=LinearUtilityFunction([-1, 1], issues=issues))
    m.add(AspirationNegotiator(name="seller"), ufun=LinearUtilityFunction([1, -0.5], issues=issues))
    return m


def test_agent_outside_a_world_saves_loads_and_tells_its_info(tmp_path: Path) -> None:
    a = Counting(name="abcd", id="abcd")
    assert a.awi is None  # NegMAS's agents test `if self.awi is None`
    a.step_()
    path = a.checkpoint(tmp_path, info={"a": 3})
    assert path.parent == tmp_path and path.name == "counting.abcd"
    info = SAOMechanism.checkpoint_info(path)  # any class reads any sidecar, as in NegMAS
    assert info["step"] == 1 and info["a"] == 3
    assert info["id"] == info["name"] == "abcd"
    assert info["type"].endswith("Counting") and isinstance(info["time"], str)
    b, again = Counting.from_checkpoint(path, return_info=True)
    assert isinstance(b, Counting) and b.id == "abcd" and b.steps_seen == 1 and again == info
    b.step_()
    assert b.steps_seen == 2


def test_agent_in_a_world_is_saved_with_its_world(tmp_path: Path) -> None:
    world = LedgerWorld(n_steps=5)
    a = Counting(id="a1")
    world.join(a)
    world.step()
    world.step()
    path = a.checkpoint(tmp_path, single_checkpoint=False)
    assert path.name == "00002.counting.a1"  # the world's step when no step_() by hand
    b = Agent.from_checkpoint(path)
    assert isinstance(b, Counting) and b.steps_seen == 2
    assert b.awi.current_step == 2 and b.awi.agent is b


def test_existing_checkpoint_and_file_paths_are_refused(tmp_path: Path) -> None:
    a = Counting(id="x")
    a.checkpoint(tmp_path)
    with pytest.raises(ValueError, match=r"already exists.*exist_ok=True"):
        a.checkpoint(tmp_path)
    assert a.checkpoint(tmp_path, exist_ok=True).exists()
    blocker = tmp_path / "plain.txt"
    blocker.write_text("x")
    with pytest.raises(ValueError, match=r"plain\.txt.*is a file"):
        a.checkpoint(blocker)


def test_loose_flags_and_an_info_json_cannot_hold_are_refused_before_writing(
    tmp_path: Path,
) -> None:
    m = _mechanism()
    path = m.checkpoint(tmp_path, info={"note": "first"})
    before = path.read_bytes()
    m.step()
    # Read by truth value, exist_ok="no" overwrote the file it meant to keep.
    for flag in ("exist_ok", "single_checkpoint"):
        with pytest.raises(TypeError, match=f"{flag} must be True or False, got 'no'"):
            m.checkpoint(tmp_path, **{flag: "no"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"info must be a dict .*got \[1\] \(list\)"):
        m.checkpoint(tmp_path, info=[1], exist_ok=True)  # type: ignore[arg-type]
    loop: list[object] = []
    loop.append(loop)
    # The checkpoint was written before the sidecar failed with json's bare
    # "Circular reference detected", beside the older checkpoint's sidecar.
    with pytest.raises(ValueError, match=r"info=\{'loop': \[\[\.\.\.\]\]\} cannot be written"):
        m.checkpoint(tmp_path, info={"loop": loop}, exist_ok=True)
    assert path.read_bytes() == before
    assert SAOMechanism.checkpoint_info(path)["note"] == "first"


def test_damaged_or_foreign_checkpoints_raise_naming_the_file(tmp_path: Path) -> None:
    a = Counting(id="x")
    path = a.checkpoint(tmp_path, file_name="agent.ckpt")
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(CheckpointError, match=r"agent\.ckpt.*checksum"):
        Counting.from_checkpoint(path)
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match=r"agent\.ckpt.*truncated"):
        Counting.from_checkpoint(path)
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match=r"agent\.ckpt.*not a Palaver object checkpoint"):
        Counting.from_checkpoint(path)
    path.write_bytes(data)
    sidecar = tmp_path / "agent.ckpt.json"
    sidecar.write_text(sidecar.read_text().replace('"x"', '"y"'))
    with pytest.raises(CheckpointError, match=r"agent\.ckpt\.json.*checksum mismatch"):
        Counting.checkpoint_info(path)
    m_path = _mechanism().checkpoint(tmp_path, file_name="m.ckpt")
    with pytest.raises(CheckpointError, match=r"m\.ckpt holds a SAOMechanism, not a Counting"):
        Counting.from_checkpoint(m_path)
    with pytest.raises(BaseCheckpointError, match=r"agent\.ckpt holds a Counting"):
        SAOMechanism.from_checkpoint(path)
    with pytest.raises(FileNotFoundError, match="no checkpoint information"):
        Counting.checkpoint_info(tmp_path / "missing")


def test_an_unpicklable_agent_is_a_clear_type_error(tmp_path: Path) -> None:
    a = Counting(id="locked")
    a.lock = threading.Lock()  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="cannot checkpoint Counting 'locked'"):
        a.checkpoint(tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_mechanism_resumed_from_a_checkpoint_ends_as_the_uninterrupted_one(
    tmp_path: Path,
) -> None:
    m = _mechanism()
    for _ in range(4):
        m.step()
    path = m.checkpoint(tmp_path, info={"note": "mid-run"})
    info = SAOMechanism.checkpoint_info(path)
    assert info["step"] == 4 and info["note"] == "mid-run" and info["id"] == m.id
    resumed = SAOMechanism.from_checkpoint(path)
    assert resumed.state.step == 4
    final, expected = resumed.run(), m.run()
    assert final.agreement == expected.agreement and final.step == expected.step
    assert resumed.history == m.history


def test_a_negotiator_checkpoint_tells_its_negotiation_round(tmp_path: Path) -> None:
    m = _mechanism()
    m.step()
    m.step()
    negotiator = m.negotiators[0]
    path = negotiator.checkpoint(tmp_path)
    assert AspirationNegotiator.checkpoint_info(path)["step"] == 2
    loaded = AspirationNegotiator.from_checkpoint(path)
    assert loaded.id == negotiator.id and loaded.nmi is not None
    alone = AspirationNegotiator(name="alone")
    assert AspirationNegotiator.checkpoint_info(alone.checkpoint(tmp_path))["step"] is None
