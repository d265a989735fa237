"""Determinism with a seed, and checkpoints resumed in a fresh process."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from palaver.events import Event, EventType, ListSink
from palaver.examples.trips import TripsWorld, build_trips
from palaver.world import FORMAT_VERSION, CheckpointError, World, load_checkpoint, save_checkpoint
from palaver.world.checkpoint import MAGIC

SUMMARY = """
import json, sys
from palaver.events import Event, EventType, ListSink
from palaver.examples.trips import TripsWorld, build_trips

def summary(world):
    contracts = [
        [c.id, list(c.partners), c.agreement, c.signed_at, c.executed_at]
        for c in world.saved_contracts
    ]
    breaches = [[b.id, b.perpetrator, b.contract.id, b.victims] for b in world.saved_breaches]
    return {"contracts": contracts, "breaches": breaches, "stats": world.stats,
            "scores": world.scores(), "step": world.current_step}
"""

FULL = (
    SUMMARY
    + """
folder = sys.argv[1]
world = build_trips(6, 8, seed=11, checkpoint_every=3, checkpoint_folder=folder,
                    single_checkpoint=False, extra_checkpoint_info={"who": "test"})
world.run()
print(json.dumps(summary(world)))
"""
)

RESUME = (
    SUMMARY
    + """
world = TripsWorld.from_checkpoint(sys.argv[1])
assert world.current_step == int(sys.argv[2]), world.current_step
world.run()
print(json.dumps(summary(world)))
"""
)


def _python(code: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def _summary(world: World) -> dict:
    namespace: dict = {}
    exec(SUMMARY, namespace)
    return json.loads(json.dumps(namespace["summary"](world)))


def test_same_seed_same_run_and_different_seed_differs() -> None:
    first = build_trips(6, 6, seed=5)
    first.run()
    random.random()
    np.random.random()  # the world must not depend on the global state it finds
    second = build_trips(6, 6, seed=5)
    second.run()
    third = build_trips(6, 6, seed=6)
    third.run()
    assert _summary(first) == _summary(second)
    assert _summary(first)["contracts"] and _summary(first)["breaches"]
    assert _summary(first) != _summary(third)


def test_seed_is_recorded_when_not_given() -> None:
    world = build_trips(3, 2)
    assert isinstance(world.seed, int) and not world.seeds_global_generators
    state = random.getstate()
    world.run()
    assert random.getstate() == state  # the framework never touched the global generator
    again = build_trips(3, 2, seed=world.seed)
    again.run()
    assert _summary(again) == _summary(world)


def test_checkpoint_resumed_in_a_fresh_process_matches_the_full_run(tmp_path: Path) -> None:
    full = _python(FULL, str(tmp_path))
    files = sorted(p.name for p in tmp_path.glob("*.ckpt"))
    # the first one before step 0, as NegMAS does
    assert files == ["000000_world.ckpt", "000003_world.ckpt", "000006_world.ckpt"]
    info = json.loads((tmp_path / "000003_world.ckpt.json").read_text())
    assert info["step"] == 3 and info["extra"] == {"who": "test"}
    assert info["format_version"] == FORMAT_VERSION
    resumed = _python(RESUME, str(tmp_path / "000003_world.ckpt"), "3")
    assert resumed == full
    assert _python(RESUME, str(tmp_path / "000000_world.ckpt"), "0") == full
    assert full["step"] == 8 and full["contracts"]


def test_checkpoint_in_process_and_options(tmp_path: Path) -> None:
    world = build_trips(4, 6, seed=2, checkpoint_every=2, checkpoint_folder=str(tmp_path))
    world.run()
    assert sorted(p.name for p in tmp_path.glob("*.ckpt")) == ["world.ckpt"]  # single
    restored = TripsWorld.from_checkpoint(tmp_path / "world.ckpt")
    assert restored.current_step == 4
    restored.run()
    assert _summary(restored) == _summary(world)

    other = tmp_path / "other"
    other.mkdir()
    (other / "world.ckpt").write_bytes(b"old")
    # refused when the world is built, not at its first checkpoint mid-run
    with pytest.raises(FileExistsError, match="exist_ok"):
        build_trips(3, 4, seed=2, checkpoint_every=1, checkpoint_folder=str(other))
    ok = build_trips(
        3,
        4,
        seed=2,
        checkpoint_every=1,
        checkpoint_folder=str(other),
        exist_ok=True,
        checkpoint_filename="w",
    )
    (other / "w.ckpt").write_bytes(b"old")
    ok.run()
    assert load_checkpoint(other / "w.ckpt").current_step == 3


def test_damaged_or_foreign_checkpoints_are_rejected(tmp_path: Path) -> None:
    world = build_trips(3, 4, seed=1)
    world.step()
    path = world.checkpoint(tmp_path / "w.ckpt")
    data = path.read_bytes()
    version = f"CHECKPOINT\n{FORMAT_VERSION}\n".encode()
    cases = {
        "truncated": data[:-10],
        "checksum": data[:-5] + bytes(5),
        "not a Palaver checkpoint": b"\x80\x04hello" + data,
        "format version 99": data.replace(version, b"CHECKPOINT\n99\n", 1),
        "trailing": data + b"x",
        "truncated checkpoint header": data[: len(MAGIC) + 4],
        "corrupted checkpoint header": data.replace(version, b"CHECKPOINT\nv1\n", 1),
        "bad magic": b"",
    }
    for message, content in cases.items():
        bad = tmp_path / "bad.ckpt"
        bad.write_bytes(content)
        with pytest.raises(CheckpointError, match=message):
            load_checkpoint(bad)
    with pytest.raises(TypeError, match="not a"):
        from world_helpers import LedgerWorld

        LedgerWorld.from_checkpoint(path)
    # well-formed files whose content is not a Palaver world
    for payload, message in (
        (pickle.dumps({"world": [1, 2]}), "holds a list, not a Palaver world"),
        (pickle.dumps("just a string"), "cannot unpickle"),
        (b"not a pickle at all", "cannot unpickle"),
    ):
        digest = hashlib.sha256(payload).hexdigest()
        header = MAGIC + f"{FORMAT_VERSION}\n{digest}\n{len(payload)}\n".encode()
        bad.write_bytes(header + payload)
        with pytest.raises(CheckpointError, match=message):
            load_checkpoint(bad)
    assert issubclass(CheckpointError, ValueError)


@pytest.mark.parametrize("bad", [5, None, "", b"ckpt"])
def test_a_path_that_is_not_a_path_names_the_parameter(bad: object) -> None:
    """Python's own "expected str, bytes or os.PathLike object, not int" named no
    parameter; nothing is written or read."""
    from palaver.world import WorldParameterError

    world = build_trips(n_agents=2, n_steps=2, seed=1)
    calls = [
        ("path", lambda: TripsWorld.from_checkpoint(bad)),  # type: ignore[arg-type]
        ("file_name", lambda: TripsWorld.checkpoint_info(bad)),  # type: ignore[arg-type]
        ("path", lambda: world.checkpoint(bad)),  # type: ignore[arg-type]
        # The module functions are public too (palaver.world): Path() named nothing.
        ("path", lambda: load_checkpoint(bad)),  # type: ignore[arg-type]
        ("path", lambda: save_checkpoint(world, bad)),  # type: ignore[arg-type]
    ]
    for name, call in calls:
        with pytest.raises(WorldParameterError, match=rf"^{name} must be a path") as info:
            call()
        assert isinstance(info.value, TypeError) and repr(bad) in str(info.value)


def test_checkpoint_only_between_steps() -> None:
    world = build_trips(3, 2, seed=1)
    world._palaver.clock.in_step = True
    with pytest.raises(RuntimeError, match="between steps"):
        world.checkpoint("x.ckpt")


def _events(events: list[Event]) -> list[tuple]:
    """The event log without wall-clock, run-identity and sequence fields.

    Sequence numbers differ by the checkpoint events a run emits. Negotiator
    ids stay as they are: the world numbers the negotiators created in its
    steps with its own counter, so they must match across runs.
    """
    return [
        (e.step, e.type, e.agent_id, e.negotiation_id, e.contract_id, e.payload) for e in events
    ]


def test_same_seed_gives_the_same_event_log_also_after_resuming(tmp_path: Path) -> None:
    def run(**kwargs: object) -> tuple[TripsWorld, ListSink]:
        world = build_trips(5, 7, seed=13, **kwargs)
        sink = ListSink()
        world.bus.add_sink(sink)
        world.run()
        return world, sink

    _, first_sink = run(
        checkpoint_every=3, checkpoint_folder=str(tmp_path), single_checkpoint=False
    )
    _, second_sink = run()
    log = first_sink.events
    without_checkpoints = [e for e in log if e.type != EventType.CHECKPOINT]
    assert _events(without_checkpoints) == _events(second_sink.events)
    assert len(log) > 1000
    resumed = TripsWorld.from_checkpoint(tmp_path / "000003_world.ckpt")
    sink = ListSink()
    resumed.bus.add_sink(sink)
    resumed.run()
    cuts = [i for i, e in enumerate(log) if e.type == EventType.CHECKPOINT]
    cut = cuts[1] + 1  # the first checkpoint is the one before step 0
    assert _events(sink.events) == _events(log[cut:])
    # numbered as the uninterrupted run numbers them (its checkpoint event included)
    assert [e.seq for e in sink.events] == [e.seq for e in log[cut:]]


def test_checkpoint_filename_every_and_sidecar(tmp_path: Path) -> None:
    sink = ListSink()
    world = build_trips(
        3,
        7,
        seed=4,
        checkpoint_every=2,
        checkpoint_folder=str(tmp_path / "ck"),
        checkpoint_filename="trip",
        single_checkpoint=False,
    )
    world.bus.add_sink(sink)
    world.run()
    names = sorted(p.name for p in (tmp_path / "ck").iterdir())
    assert names == [
        "000000_trip.ckpt",
        "000000_trip.ckpt.json",
        "000002_trip.ckpt",
        "000002_trip.ckpt.json",
        "000004_trip.ckpt",
        "000004_trip.ckpt.json",
        "000006_trip.ckpt",
        "000006_trip.ckpt.json",
    ]
    info = json.loads((tmp_path / "ck" / "000004_trip.ckpt.json").read_text())
    checksum = info.pop("checksum")
    assert isinstance(checksum, str) and len(checksum) == 64
    time = info.pop("time")
    assert isinstance(time, str) and time[:4].isdigit()
    assert info == {
        "format_version": FORMAT_VERSION,
        "type": "palaver.examples.trips.world.TripsWorld",
        "id": "TripsWorld",
        "name": "TripsWorld",
        "seed": 4,
        "step": 4,
        "filename": str(tmp_path / "ck" / "000004_trip.ckpt"),
        "extra": {},
    }
    assert TripsWorld.checkpoint_info(tmp_path / "ck" / "000004_trip.ckpt")["step"] == 4
    assert [e.step for e in sink.of_type(EventType.CHECKPOINT)] == [0, 1, 3, 5]
    assert load_checkpoint(tmp_path / "ck" / "000004_trip.ckpt").current_step == 4


def _sidecar_world(tmp_path: Path) -> Path:
    world = build_trips(2, 2, seed=1)
    return world.checkpoint(tmp_path / "w.ckpt", info={"who": "me"})


def test_a_sidecar_carries_a_checksum_that_is_checked(tmp_path: Path) -> None:
    path = _sidecar_world(tmp_path)
    sidecar = path.with_name(path.name + ".json")
    info = TripsWorld.checkpoint_info(path)
    assert info["who"] == "me" and info["step"] == 0 and "checksum" not in info
    body = json.loads(sidecar.read_text())
    body["step"] = 7  # well-formed JSON, wrong content
    sidecar.write_text(json.dumps(body))
    with pytest.raises(CheckpointError, match=r"w\.ckpt\.json.*checksum mismatch"):
        TripsWorld.checkpoint_info(path)
    del body["checksum"]  # a current format version always has one
    sidecar.write_text(json.dumps(body))
    with pytest.raises(CheckpointError, match=r"w\.ckpt\.json.*no checksum"):
        TripsWorld.checkpoint_info(path)
    sidecar.write_text("[1, 2]")
    with pytest.raises(CheckpointError, match=r"w\.ckpt\.json.*not a JSON object"):
        TripsWorld.checkpoint_info(path)


def test_a_sidecar_is_strict_json_with_non_finite_numbers(tmp_path: Path) -> None:
    """NaN and the infinities in the information are written as text: JSON has
    no token for them, and a file holding Python's ``NaN`` is refused by other readers."""
    world = build_trips(2, 2, seed=1)
    info = {"score": float("nan"), "bounds": [float("-inf"), 1.5], "deep": {"x": np.inf}}
    path = world.checkpoint(tmp_path / "w.ckpt", info=info)

    def refuse(token: str) -> Any:
        raise ValueError(f"non-JSON token {token}")

    sidecar = path.with_name(path.name + ".json")
    body = json.loads(sidecar.read_text(), parse_constant=refuse)
    assert body["extra"] == {"score": "nan", "bounds": ["-inf", 1.5], "deep": {"x": "inf"}}
    read = TripsWorld.checkpoint_info(path)
    assert read["score"] == "nan" and read["bounds"] == ["-inf", 1.5]


def test_a_sidecar_of_format_version_4_reads_without_a_checksum(tmp_path: Path) -> None:
    path = _sidecar_world(tmp_path)
    sidecar = path.with_name(path.name + ".json")
    body = json.loads(sidecar.read_text())
    del body["checksum"]
    body["format_version"] = 4
    sidecar.write_text(json.dumps(body))
    info = TripsWorld.checkpoint_info(path)
    assert info["format_version"] == 4 and info["who"] == "me"


def test_a_checkpoint_of_format_version_4_still_loads(tmp_path: Path) -> None:
    # version 5 changed only the sidecar: a version-4 payload is the same pickle
    path = _sidecar_world(tmp_path)
    data = path.read_bytes()
    header = MAGIC + f"{FORMAT_VERSION}\n".encode()
    assert FORMAT_VERSION == 5 and data.startswith(header)
    path.write_bytes(MAGIC + b"4\n" + data[len(header) :])
    assert load_checkpoint(path).current_step == 0


@pytest.mark.parametrize("kind", ["checkpoint", "sidecar"])
def test_a_folder_in_place_of_a_checkpoint_file_is_refused(kind: str, tmp_path: Path) -> None:
    path = _sidecar_world(tmp_path)
    target = path if kind == "checkpoint" else path.with_name(path.name + ".json")
    target.unlink()
    target.mkdir()
    read = load_checkpoint if kind == "checkpoint" else TripsWorld.checkpoint_info
    with pytest.raises(CheckpointError, match=target.name.replace(".", r"\.") + ".*a folder"):
        read(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and Unix sockets")
@pytest.mark.parametrize("kind", ["FIFO", "socket"])
def test_a_checkpoint_is_never_written_over_a_fifo_or_a_socket(kind: str, tmp_path: Path) -> None:
    # The atomic rename replaced such a node with the file (as root, a path
    # such as /dev/null became a regular file); only temporary paths here.
    target = tmp_path / "world.ckpt"
    if kind == "FIFO":
        os.mkfifo(target)
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    world = build_trips(n_agents=2, n_steps=2, seed=1)
    with pytest.raises(OSError, match=f"world.ckpt.* is a {kind}, not a regular file"):
        world.checkpoint(target)
    mode = os.lstat(target).st_mode
    assert (stat.S_ISFIFO if kind == "FIFO" else stat.S_ISSOCK)(mode)
    assert list(tmp_path.iterdir()) == [target]


def test_a_checkpoint_from_before_partial_steps_and_annotations_resumes(tmp_path: Path) -> None:
    """A world saved by a Palaver whose scheduler, roster and agents lacked
    ``progress``, ``annotations`` and ``_palaver_private_info`` steps on."""
    world = build_trips(n_agents=3, n_steps=4, seed=2)
    world.step()
    engine = world._palaver
    del engine.scheduler.progress, engine.roster.annotations
    for agent in world.agents.values():
        del agent._palaver_private_info
    resumed = TripsWorld.from_checkpoint(world.checkpoint(tmp_path))
    agent = next(iter(resumed.agents.values()))
    assert agent.private_info == {} and agent.awi.annotation == {}
    while resumed.step(n_neg_steps=1):
        pass
    assert resumed.status == "completed" and resumed.current_step == 4


@pytest.mark.parametrize("damage", ["truncated", "deleted"])
def test_resuming_into_record_files_damaged_since_the_checkpoint_is_refused(
    tmp_path: Path, damage: str
) -> None:
    logs, ck = tmp_path / "logs", tmp_path / "ck"
    build_trips(
        4, 6, seed=3, log_folder=str(logs), checkpoint_every=3,
        checkpoint_folder=str(ck), single_checkpoint=False,
    ).run()  # fmt: skip
    contracts = logs / "contracts.jsonl"
    if damage == "truncated":
        contracts.write_text("".join(contracts.read_text().splitlines(keepends=True)[:1]))
    else:
        contracts.unlink()
    with pytest.raises(CheckpointError, match=r"record file .*contracts\.jsonl.* held \d+ bytes"):
        TripsWorld.from_checkpoint(ck / "000003_world.ckpt")


def test_resuming_after_the_log_folder_was_moved_away_warns_and_runs(tmp_path: Path) -> None:
    logs, ck = tmp_path / "logs", tmp_path / "ck"
    world = build_trips(
        4, 6, seed=3, log_folder=str(logs), checkpoint_every=3,
        checkpoint_folder=str(ck), single_checkpoint=False,
    )  # fmt: skip
    world.run()
    logs.rename(tmp_path / "moved")
    with pytest.warns(RuntimeWarning, match="is gone"):
        resumed = TripsWorld.from_checkpoint(ck / "000003_world.ckpt")
    resumed.run()
    assert resumed.stats == world.stats
    # the new folder holds the negotiations that ended after the checkpoint only
    ended = [json.loads(line) for line in (logs / "negotiations.jsonl").open()]
    before = [json.loads(line) for line in (tmp_path / "moved" / "negotiations.jsonl").open()]
    assert ended and ended == before[len(before) - len(ended) :]


def test_a_class_of_the_saving_scripts_main_is_named_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A script defining its own agent class saves it as __main__.<Class>; loading
    # from another script said only "Can't get attribute 'X' on <module '__main__'>".
    from palaver.examples.trips import RandomPerson

    main = sys.modules["__main__"]
    scripted = type("ScriptedPerson", (RandomPerson,), {"__module__": "__main__"})
    monkeypatch.setattr(main, "ScriptedPerson", scripted, raising=False)
    world = TripsWorld(n_steps=2, seed=1)
    for _ in range(2):
        world.join(scripted())
    saved = world.checkpoint(tmp_path / "w.ckpt")
    monkeypatch.delattr(main, "ScriptedPerson")  # another script's __main__
    with pytest.raises(
        CheckpointError,
        match=r"Can't get attribute 'ScriptedPerson'.*"
        r"define them in a module both scripts import",
    ):
        TripsWorld.from_checkpoint(saved)


def test_an_object_that_cannot_be_pickled_is_named_with_its_owner(tmp_path: Path) -> None:
    """A lock kept by one agent: the error names the file, the agent and the
    attribute (every agent reaches every other through its AWI, so pickle's own
    message alone points nowhere)."""
    import threading

    world = build_trips(3, 3, seed=1, checkpoint_every=1, checkpoint_folder=str(tmp_path))
    holder = list(world.agents.values())[1]
    holder.lock = threading.Lock()  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="cannot checkpoint world") as info:
        world.run()
    message = str(info.value)
    assert f"agent {holder.id!r} ({type(holder).__name__}), attribute 'lock'" in message
    assert "_thread.lock" in message and str(tmp_path) in message
    assert not list(tmp_path.glob("*.ckpt"))
    assert world.status == "error"

    by_hand = build_trips(2, 2, seed=1)
    by_hand.weather = threading.Lock()  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match=r"world 'TripsWorld' \(TripsWorld\), attribute 'weather'"):
        by_hand.checkpoint(tmp_path / "w.ckpt")
    assert not (tmp_path / "w.ckpt").exists()


def test_from_checkpoint_returns_the_information_when_asked_as_negmas_does(
    tmp_path: Path,
) -> None:
    """NegMAS's ``World.from_checkpoint(file, return_info=True)`` (agents, negotiators
    and mechanisms took it already; a world refused the keyword)."""
    world = build_trips(2, 3, seed=1)
    world.step()
    path = world.checkpoint(tmp_path / "w.ckpt", info={"note": "after one step"})
    resumed, info = TripsWorld.from_checkpoint(path, return_info=True)
    assert isinstance(resumed, TripsWorld) and resumed.current_step == 1
    assert info == TripsWorld.checkpoint_info(path) and info["note"] == "after one step"
    assert isinstance(TripsWorld.from_checkpoint(path), TripsWorld)
    with pytest.raises(TypeError, match="return_info must be True or False; got 'yes'"):
        TripsWorld.from_checkpoint(path, return_info="yes")  # type: ignore[call-overload]


def test_checkpoint_refuses_loose_flags_and_an_extra_json_cannot_hold(tmp_path: Path) -> None:
    world = build_trips(n_agents=3, n_steps=4, seed=3)
    world.step()
    path = tmp_path / "w.ckpt"
    world.checkpoint(path, extra={"note": "step 1"})
    before = path.read_bytes()
    world.step()
    loop: list[Any] = []
    loop.append(loop)
    # The new checkpoint was written before the sidecar failed ("Circular
    # reference detected"), leaving it beside the older checkpoint's sidecar.
    with pytest.raises(TypeError, match=r"checkpoint extra=\{'loop': \[\[\.\.\.\]\]\} cannot be"):
        world.checkpoint(path, extra={"loop": loop})
    assert path.read_bytes() == before
    info = TripsWorld.checkpoint_info(path)
    assert info["note"] == "step 1" and info["step"] == 1
    # Read by truth value, exist_ok="no" overwrote the file it meant to keep.
    for flag in ("exist_ok", "single_checkpoint"):
        with pytest.raises(TypeError, match=f"{flag} must be True or False, got 'no'"):
            world.checkpoint(path, **{flag: "no"})  # type: ignore[arg-type]
    assert path.read_bytes() == before
