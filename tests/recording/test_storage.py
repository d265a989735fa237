"""Streaming storage: flushes, parts, bounded memory, indexes and the reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recording_helpers import WalkModel

import palaver.recording as recording
from palaver.recording import CorruptRecordingError, RecordingWarning, SimulationRecorder


class Clock:
    """A model with nothing but a step counter."""

    def __init__(self) -> None:
        self.steps = 0


def wal_rows(folder: Path) -> int:
    import pyarrow.ipc as ipc

    total = 0
    for wal in (folder / "events").glob("wal-*.arrows"):
        with ipc.open_stream(str(wal)) as reader:
            total += sum(b.num_rows for b in reader)
    return total


def test_flushed_at_step_end_and_interval(tmp_path: Path) -> None:
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path, auto_save_interval=3)
    for i in range(2):
        rec.record_event("e", {"i": i})
    assert wal_rows(rec.folder) == 0  # mid-step, below the interval: still buffered
    rec.record_event("e", {"i": 2})
    assert wal_rows(rec.folder) == 3  # auto_save_interval reached
    rec.record_event("e", {"i": 3})
    clock.steps = 1
    rec.record_event("e", {"i": 4})
    assert wal_rows(rec.folder) == 4  # step 0 ended: all of it is on disk


def test_mesa_step_end_flushes(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path, record_state_changes=False)
    walk_model.recorder = rec
    walk_model.step()
    assert wal_rows(rec.folder) == 5


def test_parts_roll_and_memory_stays_bounded(tmp_path: Path) -> None:
    clock = Clock()
    rec = SimulationRecorder(
        clock, output_dir=tmp_path, memory_window=40, flush_every=8, record_state_changes=False
    )
    for i in range(300):
        clock.steps = i // 25
        rec.record_event("tick" if i % 3 else "tock", {"i": i}, agent_id=i % 7)
        in_memory = rec._store.count - rec._store.live.start  # the window plus the buffer
        assert in_memory <= 40 + 8
    events = list(rec.events)
    assert [e.content["i"] for e in events] == list(range(300))
    parts = sorted((rec.folder / "events").glob("part-*.parquet"))
    assert len(parts) >= 6
    assert len(list((rec.folder / "events").glob("part-*.index.arrow"))) == len(parts)
    assert [e.content["i"] for e in rec.get_agent_events(3)] == list(range(3, 300, 7))
    assert [e.content["i"] for e in rec.get_events_by_type("tock")] == list(range(0, 300, 3))
    assert [e.content["i"] for e in rec.get_events_by_step(5)] == list(range(125, 150))
    assert rec.events[137].content == {"i": 137}
    rec.record_model_event("tick", {"i": 300})
    model_events = rec.get_agent_events(None)
    assert [e.content["i"] for e in model_events] == [300]
    assert rec.get_agent_events(3)[-1].content == {"i": 297}


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 4), st.booleans()),
        max_size=120,
    ),
    st.integers(1, 30),
)
def test_indexes_match_a_scan(tmp_path_factory: pytest.TempPathFactory, ops, window) -> None:
    clock = Clock()
    out = tmp_path_factory.mktemp("rec")
    rec = SimulationRecorder(
        clock, output_dir=out, memory_window=window, flush_every=7, record_state_changes=False
    )
    expected = []
    for n, (etype, agent, step_up) in enumerate(ops):
        clock.steps += int(step_up)
        rec.record_event(etype, {"n": n}, agent_id=agent if agent else None)
        expected.append((etype, agent or None, clock.steps, n))
    for agent in (None, 1, 2, 3, 4):
        got = [e.content["n"] for e in rec.get_agent_events(agent)]
        assert got == [n for _, a, _, n in expected if a == agent]
    for etype in "abc":
        got = [e.content["n"] for e in rec.get_events_by_type(etype)]
        assert got == [n for t, _, _, n in expected if t == etype]
    for step in {s for _, _, s, _ in expected}:
        got = [e.content["n"] for e in rec.get_events_by_step(step)]
        assert got == [n for _, _, s, n in expected if s == step]
    rec.close()
    reader = recording.open(rec.folder)
    assert [e.content["n"] for e in reader.get_agent_events(1)] == [
        n for _, a, _, n in expected if a == 1
    ]
    assert len(reader) == len(expected) + 1  # + simulation_end


def test_reader_matches_recorder(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path, memory_window=7)
    walk_model.recorder = rec
    for _ in range(4):
        walk_model.step()
    live = list(rec.events)
    rec.close()
    reader = recording.open(rec.folder)
    assert reader.simulation_id == rec.simulation_id
    assert reader.status == "unknown" and reader.completion_status == "unknown"
    stored = list(reader.events)
    assert stored[:-1] == live
    assert stored[-1].event_type == "simulation_end"
    assert list(reader.get_agent_events(2)) == list(rec.get_agent_events(2))
    assert reader.get_agent_events(2)[0].agent_id == 2  # the int type is kept
    assert reader.manifest["counts"]["events"] == len(stored)
    assert reader.export_agent_memory(1)["summary"] == rec.export_agent_memory(1)["summary"]


def test_manifest(tmp_path: Path) -> None:
    model = WalkModel(seed=5, max_steps=2)
    rec = SimulationRecorder(model, output_dir=tmp_path)
    manifest = json.loads((rec.folder / "manifest.json").read_text())
    assert manifest["status"] == "recording" and manifest["seed"] == 5
    assert manifest["model_class"] == "WalkModel"
    model.recorder = rec
    model.step()
    model.step()
    rec.close()
    manifest = json.loads((rec.folder / "manifest.json").read_text())
    assert manifest["format"] == "palaver.recording/3"
    assert manifest["status"] == "completed"
    assert manifest["simulation_id"] == rec.simulation_id
    assert manifest["counts"]["events"] == 19  # 10 recorded + 8 state changes + end
    assert manifest["counts"]["by_type"]["state_change"] == 8
    assert manifest["agents"] == [1, 2, 3, 4]
    assert manifest["versions"]["pyarrow"]
    assert sorted(p.name for p in rec.folder.iterdir()) == [
        "events",
        "initial_state.json",
        "manifest.json",
        "stats.parquet",
    ]
    assert not list((rec.folder / "events").glob("wal-*"))


def test_torn_log_tail_of_a_killed_run_is_reported(tmp_path: Path) -> None:
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path)
    for step in range(3):
        clock.steps = step
        for i in range(5):
            rec.record_event("e", {"step": step, "i": i})
        if step == 0:
            rec.flush()  # the manifest counts 5 events
    rec._store.flush()  # the kernel holds 15, the manifest still says 5
    wal = next((rec.folder / "events").glob("wal-*.arrows"))
    data = wal.read_bytes()
    wal.write_bytes(data[:-40])  # the last batch is cut in the middle
    # Never closed, and nothing the manifest counted is lost: it opens strictly,
    # and the loss (of an unknown number of events) is reported, not skipped.
    for strict in (True, False):
        with pytest.warns(RecordingWarning, match=r"events 10\.\.\(end unknown\).*ends inside"):
            reader = recording.open(rec.folder, strict=strict)
        assert len(reader) == 10
        assert [e.content for e in reader.events][-1] == {"step": 1, "i": 4}
        assert reader.completion_status == "interrupted"
        [missing] = reader.missing
        assert (missing.start, missing.stop, missing.count) == (10, None, None)
        assert missing.files == ("events/wal-00000.arrows",)
        assert "that batch and any after it are lost" in missing.reason


def test_damaged_part(tmp_path: Path) -> None:
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path, memory_window=10, flush_every=5)
    for i in range(35):
        rec.record_event("e", {"i": i})
    rec.close()
    part = rec.folder / "events" / "part-00001.parquet"
    part.write_bytes(part.read_bytes()[:100])
    with pytest.raises(CorruptRecordingError, match=r"events 10\.\.19.*part-00001.*strict=False"):
        recording.open(rec.folder)
    with pytest.warns(RecordingWarning, match=r"events 10\.\.19"):
        reader = recording.open(rec.folder, strict=False)
    # Every intact part after the damaged one is read; the event ids are kept.
    kept = [*range(10), *range(20, 35)]
    assert [e.content.get("i") for e in reader.events][:-1] == kept
    assert [int(e.event_id.split("_")[1]) for e in reader.events][:-1] == kept
    [missing] = reader.missing
    assert (missing.start, missing.stop, missing.count) == (10, 20, 10)
    assert missing.files == ("events/part-00001.parquet",)
    assert reader.warnings


def test_opening_the_output_dir_names_the_recordings_in_it(tmp_path: Path) -> None:
    # open(output_dir) is what a newcomer tries first; it said only "no events/
    # folder", without saying that the recordings are the simulation_* folders in it.
    recorders = []
    for _ in range(2):
        rec = SimulationRecorder(None, output_dir=tmp_path)
        rec.record_event("tick", {})
        rec.close()
        recorders.append(rec)
    names = sorted(r.folder.name for r in recorders)
    with pytest.raises(CorruptRecordingError, match="no events/ folder") as caught:
        recording.open(tmp_path)
    message = str(caught.value)
    assert "a recorder's output_dir" in message and "holds 2" in message
    assert all(name in message for name in names)
    assert f"open({str(tmp_path / names[0])!r})" in message
    # A folder holding no recording keeps the plain message.
    with pytest.raises(CorruptRecordingError) as plain:
        recording.open(recorders[0].folder / "events")
    assert "a recorder's output_dir" not in str(plain.value)


def test_foreign_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(CorruptRecordingError, match="not a Palaver recording"):
        recording.open(text)
    with pytest.raises(CorruptRecordingError, match="no events/ folder"):
        recording.open(tmp_path)
    with pytest.raises(FileNotFoundError):
        recording.open(tmp_path / "missing")
    import pyarrow as pa
    import pyarrow.parquet as pq

    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), other)
    with pytest.raises(CorruptRecordingError, match="not a Palaver events table"):
        recording.open(other)


def test_missing_manifest(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    rec.record_event("x", {"a": 1})
    rec.close()
    (rec.folder / "manifest.json").write_text("{not json")
    with pytest.raises(CorruptRecordingError, match=r"manifest\.json"):
        recording.open(rec.folder)
    with pytest.warns(RecordingWarning, match=r"manifest\.json is damaged"):
        reader = recording.open(rec.folder, strict=False)
    assert len(reader) == 2 and reader.simulation_id == rec.simulation_id
    assert not reader.missing


def test_open_exported_parquet(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    walk_model.recorder = rec
    walk_model.step()
    path = rec.save("all.parquet", format="parquet")
    reader = recording.open(path)
    assert reader.simulation_id == rec.simulation_id
    assert list(reader.events) == list(rec.events)[:-1]
    assert reader.status == "exported"


def test_repeated_step_sequences(tmp_path: Path) -> None:
    # Steps that repeat the previous step's agents, types and metadata reuse its
    # coded columns (storage's Coder/Repeated); any difference must be coded again.
    clock = Clock()
    rec = SimulationRecorder(
        clock, output_dir=tmp_path, memory_window=25, record_state_changes=False
    )
    plan = [("obs", 1, None), ("act", 2, {"k": 1}), ("obs", 3, None)]
    expected = []
    for step in range(20):
        clock.steps = step
        turns = list(plan)
        if step == 7:
            turns[1] = ("act", 4, {"k": 1})  # a new agent, same length
        if step == 9:
            turns[2] = ("new", 3, {"k": 2})  # a new type and other metadata
        if step == 11:
            turns = turns[:2]  # a shorter step
        for etype, agent, meta in turns:
            rec.record_event(etype, {"s": step}, agent_id=agent, metadata=meta)
            expected.append((etype, agent, meta, step))
    rec.close()
    reader = recording.open(rec.folder)
    for source in (rec, reader):
        for agent in (1, 2, 3, 4):
            got = [(e.event_type, e.metadata, e.step) for e in source.get_agent_events(agent)]
            assert got == [(t, m, s) for t, a, m, s in expected if a == agent]
        for etype in ("obs", "act", "new"):
            got = [(e.agent_id, e.step) for e in source.get_events_by_type(etype)]
            assert got == [(a, s) for t, a, _, s in expected if t == etype]


def test_coder_reuses_and_recodes() -> None:
    import numpy as np

    from palaver.recording.arrow import Coder, Repeated, json_array

    coder = Coder()
    codes, fresh = coder.encode([1, 2, 1])
    assert fresh == [1, 2]
    first = coder.array(codes)
    again, fresh = coder.encode([1, 2, 1])
    assert again is codes and fresh == [] and coder.array(again) is first
    other, fresh = coder.encode([2, 3, 1])
    assert fresh == [3] and coder.array(other).to_pylist() == ["2", "3", "1"]
    # Ids whose comparison is ambiguous are coded again, not compared.
    with pytest.raises(TypeError):
        coder.encode([np.arange(2)])
    built = Repeated(json_array)
    column = built(["", '{"a":1}'])
    assert built(["", '{"a":1}']) is column
    assert built(['{"a":1}', ""]).to_pylist() == ['{"a":1}', None]


def test_failed_part_write_keeps_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from palaver.recording import storage

    clock = Clock()
    rec = SimulationRecorder(
        clock, output_dir=tmp_path, memory_window=10, flush_every=5, record_state_changes=False
    )
    write_part = storage.write_part

    def full_disk(*args: object) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr(storage, "write_part", full_disk)
    for i in range(9):
        rec.record_event("e", {"i": i})
    with pytest.raises(OSError, match="no space"):
        rec.record_event("e", {"i": 9})  # the tenth event fills the window
    assert wal_rows(rec.folder) == 10  # nothing lost: the log is still there
    monkeypatch.setattr(storage, "write_part", write_part)
    rec.record_event("e", {"i": 10})
    rec.close()
    reader = recording.open(rec.folder)
    assert [e.content["i"] for e in reader.events if e.event_type == "e"] == list(range(11))
    assert not list((rec.folder / "events").glob("wal-*.arrows"))
