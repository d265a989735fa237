"""Checksums, salvage and ``palaver verify`` (the fault suite in tests/faults
tries many more damages; these pin the documented behaviour)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from recording_helpers import BusWorld
from typer.testing import CliRunner

import palaver.recording as recording
from palaver._util.atomic import (
    TMP_MARK,
    atomic_file,
    clean_leftovers,
    held_by_live_writer,
    write_bytes,
)
from palaver.cli.app import app
from palaver.llm import ResponseCache
from palaver.recording import CorruptRecordingError, RecordingWarning, SimulationRecorder
from palaver.recording.frames import seal_initial
from palaver.recording.verify import verify


class Clock:
    """A model with nothing but a step counter."""

    def __init__(self) -> None:
        self.steps = 0


def _recording(tmp_path: Path, events: int = 45, close: bool = True) -> SimulationRecorder:
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path, memory_window=10, flush_every=5)
    for i in range(events):
        clock.steps = i // 5
        rec.record_event("e", {"i": i}, agent_id=i % 3)
    if close:
        rec.close()
    return rec


def test_manifest_lists_every_part_with_its_checksum(tmp_path: Path) -> None:
    rec = _recording(tmp_path)
    manifest = json.loads((rec.folder / "manifest.json").read_text())
    storage = manifest["storage"]
    parts = sorted((rec.folder / "events").glob("part-*.parquet"))
    assert [p["part"]["file"] for p in storage["parts"]] == [f"events/{p.name}" for p in parts]
    assert sum(p["rows"] for p in storage["parts"]) == storage["events"] == len(rec.events)
    assert storage["log"] is None and "stats.parquet" in storage["files"]
    assert manifest["checksum"].startswith("sha256:")


def test_an_edited_manifest_is_refused(tmp_path: Path) -> None:
    rec = _recording(tmp_path)
    path = rec.folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["status"] = "completed" if manifest["status"] != "completed" else "interrupted"
    path.write_text(json.dumps(manifest))
    with pytest.raises(CorruptRecordingError, match=r"manifest\.json does not match its checksum"):
        recording.open(rec.folder)


def test_salvage_reads_every_intact_part_and_the_log(tmp_path: Path) -> None:
    rec = _recording(tmp_path, close=False)
    rec.flush()
    assert rec.folder is not None
    (rec.folder / "events" / "part-00001.parquet").write_bytes(b"PAR1 damaged PAR1")
    with pytest.raises(CorruptRecordingError, match=r"part-00001\.parquet"):
        recording.open(rec.folder)
    with pytest.warns(RecordingWarning, match=r"events 10\.\.19"):
        reader = recording.open(rec.folder, strict=False)
    assert [e.content["i"] for e in reader.events] == [*range(10), *range(20, 45)]
    [gap] = reader.missing
    assert (gap.start, gap.stop, gap.steps) == (10, 20, (2, 3))
    assert "events 10..19, steps 2..3" in str(gap)


def test_seq_ranges_of_missing_world_events(tmp_path: Path) -> None:
    world = BusWorld(n_steps=6)
    rec = SimulationRecorder(world, output_dir=tmp_path, memory_window=4)
    world.start()
    for _ in range(6):
        world.step()
    world.finish()
    rec.close()
    manifest = json.loads((rec.folder / "manifest.json").read_text())
    second = manifest["storage"]["parts"][1]
    (rec.folder / second["part"]["file"]).unlink()
    with pytest.warns(RecordingWarning):
        reader = recording.open(rec.folder, strict=False)
    [gap] = reader.missing
    assert gap.seqs == tuple(second["seqs"]) and gap.files == (second["part"]["file"],)
    seqs = [e.metadata["seq"] for e in reader.events if e.metadata and "seq" in e.metadata]
    assert not [s for s in seqs if gap.seqs[0] <= s <= gap.seqs[1]]


def test_a_damaged_index_sidecar_is_rebuilt_from_its_part(tmp_path: Path) -> None:
    rec = _recording(tmp_path)
    # Part 2 holds steps 4 and 5. An agent's query does not need the index (its
    # rows are one run in a part laid out by agent); a step's or type's does.
    expected = [e.content["i"] for e in rec.get_events_by_step(4)]
    by_agent = [e.content["i"] for e in rec.get_agent_events(1)]
    sidecar = rec.folder / "events" / "part-00002.index.arrow"
    data = bytearray(sidecar.read_bytes())
    data[len(data) // 2] ^= 1
    sidecar.write_bytes(bytes(data))
    reader = recording.open(rec.folder)
    assert [e.content["i"] for e in reader.get_agent_events(1)] == by_agent
    with pytest.warns(RecordingWarning, match="rebuilt from the part"):
        assert (
            [e.content["i"] for e in reader.get_events_by_step(4)]
            == expected
            == [20, 21, 22, 23, 24]
        )


def test_verify_reports_and_the_cli_exits_non_zero(tmp_path: Path) -> None:
    rec = _recording(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["verify", str(rec.folder)])
    assert result.exit_code == 0 and result.output.startswith("OK")
    assert verify(rec.folder).ok
    (rec.folder / "events" / "part-00003.parquet").unlink()
    (rec.folder / "events" / "notes.txt").write_text("?")
    report = verify(rec.folder)
    assert not report.ok and report.missing[0].start == 30
    assert any("notes.txt does not belong" in p for p in report.problems)
    result = runner.invoke(app, ["verify", str(rec.folder), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["missing"][0]["files"] == ["events/part-00003.parquet"]
    assert runner.invoke(app, ["verify", str(tmp_path / "nothing")]).exit_code == 1


def test_verify_a_parquet_export(tmp_path: Path) -> None:
    """An export is one file without index sidecars: it was reported DAMAGED
    ("all.index.arrow cannot be read") and the command exited 1."""
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path)
    for i in range(20):
        clock.steps = i // 5
        rec.record_event("e", {"i": i}, agent_id=i % 3)
    export = rec.save("all.parquet", format="parquet")
    rec.close()
    report = verify(export)
    assert report.ok and report.problems == [] and report.events == 20, report.problems
    result = CliRunner().invoke(app, ["verify", str(export)])
    assert result.exit_code == 0 and result.output.startswith("OK"), result.output
    export.write_bytes(export.read_bytes()[:-10])  # damage is still found
    assert not verify(export).ok


def _exported(tmp_path: Path) -> Path:
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path)
    for i in range(20):
        clock.steps = i // 5
        rec.record_event("e", {"i": i}, agent_id=i % 3)
    export = rec.save("all.parquet", format="parquet")
    rec.close()
    return export


def _read_back(path: Path) -> tuple[object, ...]:
    reader = recording.open(path)
    events = [(e.event_id, e.step, e.agent_id, e.event_type, e.content) for e in reader.events]
    states = reader.agent_states().to_dict(), reader.model_values().to_dict()
    return events, reader.completion_status, states, reader.get_stats()


def test_a_parquet_exports_metadata_is_checked(tmp_path: Path) -> None:
    """Parquet's page checksums do not cover the footer, where an export keeps its
    row counts, manifest, agents and initial states: edited or lost, they were
    read as another status or agents of another type, without a word."""
    export = _exported(tmp_path)
    table = pq.read_table(export)
    meta = dict(table.schema.metadata)
    manifest = json.loads(meta[b"palaver.manifest"])
    assert manifest["checksum"].startswith("sha256:")
    edits = {
        "manifest": {b"palaver.manifest": json.dumps({**manifest, "status": "completed"})},
        "agents": {b"palaver.agents": b'["0", "1", "2"]'},
        "simulation id": {b"palaver.simulation_id": b"another"},
        "initial states": {b"palaver.initial_state": b"{}"},
    }
    for what, edit in edits.items():
        target = tmp_path / f"{what.replace(' ', '_')}.parquet"
        pq.write_table(table.replace_schema_metadata({**meta, **edit}), target)
        with pytest.raises(CorruptRecordingError, match=re.escape(str(target))):
            recording.open(target)
    bare = tmp_path / "bare.parquet"
    pq.write_table(table.replace_schema_metadata(None), bare)
    with pytest.raises(CorruptRecordingError, match=r"palaver\.recording metadata is gone"):
        recording.open(bare)


def test_no_flipped_bit_in_a_parquet_exports_footer_reads_as_other_data(
    tmp_path: Path,
) -> None:
    """A flipped row count read 12 of 20 events, a flipped manifest byte another
    status: now each flip is found or changes nothing that is read."""
    export = _exported(tmp_path)
    original = export.read_bytes()
    expected = _read_back(export)
    footer = int.from_bytes(original[-8:-4], "little")
    target = tmp_path / "flipped.parquet"
    for position in range(len(original) - 8 - footer, len(original) - 8, 7):
        data = bytearray(original)
        data[position] ^= 0x10
        target.write_bytes(bytes(data))
        try:
            got = _read_back(target)
        except CorruptRecordingError:
            continue
        assert got == expected, f"byte {position} flipped read as other data"


def test_verify_a_results_folder(tmp_path: Path) -> None:
    results = tmp_path / "results"
    for part in ("worlds", "scores", "stats"):
        (results / part).mkdir(parents=True)
    (results / "manifest.json").write_text("{}")
    pq.write_table(pa.table({"status": ["done"]}), results / "worlds" / "w1.parquet")
    pq.write_table(pa.table({"score": [1.0]}), results / "scores" / "w1.parquet")
    pq.write_table(pa.table({"status": ["done"]}), results / "worlds" / "w2.parquet")
    rec = _recording(results / "recordings")
    result = CliRunner().invoke(app, ["verify", str(results)])
    assert result.exit_code == 1
    assert "scores/w2.parquet is missing" in result.output.replace("\n", "")
    assert str(rec.folder) in result.output.replace("\n", "")


def test_atomic_file_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "x.bin"
    write_bytes(target, b"old", durable=True)
    with pytest.raises(RuntimeError), atomic_file(target) as out:
        out.write(b"half")
        raise RuntimeError("killed")
    assert target.read_bytes() == b"old"
    assert not [p for p in tmp_path.iterdir() if TMP_MARK in p.name]
    leftover = tmp_path / f".x.bin{TMP_MARK}dead"
    leftover.write_bytes(b"x" * 10)
    assert clean_leftovers(tmp_path) == [leftover] and target.read_bytes() == b"old"


def test_stats_are_never_written_in_place(tmp_path: Path) -> None:
    rec = _recording(tmp_path)
    names = sorted(p.name for p in rec.folder.iterdir())
    # Every file in its final place: no temporary name left behind.
    assert names == ["events", "initial_state.json", "manifest.json", "stats.parquet"]


def test_a_salvaged_recording_exports_and_reopens(tmp_path: Path) -> None:
    rec = _recording(tmp_path)
    (rec.folder / "events" / "part-00001.parquet").unlink()
    with pytest.warns(RecordingWarning):
        reader = recording.open(rec.folder, strict=False)
    kept = [e.event_id for e in reader.events]
    exported = tmp_path / "salvaged.parquet"
    from palaver.recording.export import write_parquet

    write_parquet(exported, reader._store, reader.simulation_id)
    again = recording.open(exported)
    assert [e.event_id for e in again.events] == kept
    data = json.loads(reader.export_json(tmp_path / "salvaged.json").read_text())
    ids = [e["event_id"] for e in data["events"]]
    assert len(ids) == len(set(ids))


def test_a_recorder_killed_while_starting_leaves_an_empty_recording(tmp_path: Path) -> None:
    folder = tmp_path / "simulation_0badf00d"
    (folder / "events").mkdir(parents=True)  # what exists before the first manifest
    with pytest.warns(RecordingWarning, match="killed while starting"):
        reader = recording.open(folder)
    assert len(reader) == 0 and reader.status == "recording" and not reader.missing
    assert verify(folder).ok


def test_a_log_batch_with_the_former_128_bit_sum_is_still_read() -> None:
    # Logs written before the CRC carried batch_sum under SUM_KEY: their batches
    # are checked with it, and damage is still found.
    import pyarrow as pa
    import pyarrow.ipc as ipc

    from palaver.recording.log import SUM_KEY, batch_sum
    from palaver.recording.logscan import _SCHEMA_MESSAGE, log_batch
    from palaver.recording.schema import EVENT_SCHEMA

    n = 3
    batch = pa.record_batch(
        [
            pa.array(range(n), pa.int64()),
            pa.array([0] * n, pa.int64()).cast(EVENT_SCHEMA.field("timestamp").type),
            pa.array([1] * n, pa.int64()),
            pa.array(["offer"] * n),
            pa.array(["a", None, "b"]),
            pa.array(['{"x":1}'] * n),
            pa.array([None] * n, pa.string()),
            pa.array(["r"] * n),
            pa.array([1, 2, 3], pa.int64()),
            pa.array(["n"] * n),
            pa.array([None] * n, pa.string()),
        ],
        schema=EVENT_SCHEMA,
    )
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, EVENT_SCHEMA) as writer:
        writer.write_batch(batch, custom_metadata={SUM_KEY: batch_sum(batch)})
    data = sink.getvalue().to_pybytes()
    assert data.startswith(_SCHEMA_MESSAGE)
    message = data[len(_SCHEMA_MESSAGE) : -8]  # without the end-of-stream marker
    assert log_batch(message).equals(batch)
    flipped = bytearray(message)
    flipped[message.index(b'{"x":1}') + 5] ^= 0x04  # the first content's value
    with pytest.raises(ValueError, match="checksum mismatch"):
        log_batch(bytes(flipped))


def _logged(tmp_path: Path, steps: int = 12) -> tuple[SimulationRecorder, Path]:
    """A run never closed: ``steps`` steps of 5 events, one log batch each."""
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path, record_state_changes=False)
    for step in range(steps):
        clock.steps = step
        for i in range(5):
            rec.record_event("e", {"step": step, "i": i}, agent_id=i)
        rec._store.flush()  # a step end: one batch, handed to the kernel
    [log] = (rec.folder / "events").glob("wal-*.arrows")
    return rec, log


def test_a_cut_log_of_a_killed_run_loses_events_to_an_unknown_end(tmp_path: Path) -> None:
    # A cut tail can hide any number of batches: reading half of the log must
    # not pass for "the step in progress was lost".
    rec, log = _logged(tmp_path)
    counted = json.loads((rec.folder / "manifest.json").read_text())["storage"]["events"]
    data = log.read_bytes()
    log.write_bytes(data[: len(data) // 2])
    for strict in (True, False):  # never closed, nothing the manifest counted lost: opens
        with pytest.warns(RecordingWarning, match=r"\(end unknown\).*ends inside a batch"):
            reader = recording.open(rec.folder, strict=strict)
        read = len(reader)
        assert counted <= read < 60 and read % 5 == 0
        [missing] = reader.missing
        assert (missing.start, missing.stop, missing.count) == (read, None, None)
        assert missing.files == ("events/wal-00000.arrows",)
        assert "that batch and any after it are lost" in missing.reason
        assert not any("step in progress" in w for w in reader.warnings)
    report = verify(rec.folder)
    assert not report.ok and report.missing == reader.missing and not report.problems
    assert report.torn_tail_only and report.state == "incomplete"
    result = CliRunner().invoke(app, ["verify", str(rec.folder)])
    # Events were lost (exit 1), but nothing is damaged beyond what a kill leaves.
    assert result.exit_code == 1 and result.output.startswith("INCOMPLETE")
    assert f"events {read}..(end unknown) missing" in result.output


def test_an_emptied_log_loses_events_to_an_unknown_end(tmp_path: Path) -> None:
    # It gave MissingEvents(0, 10): the manifest's count when last written is
    # only a lower bound for a run never closed, never the end.
    rec, log = _logged(tmp_path)
    rec.flush()  # the manifest counts all 60 events
    log.write_bytes(b"")
    with pytest.raises(CorruptRecordingError, match=r"wal-00000\.arrows is empty"):
        recording.open(rec.folder)
    with pytest.warns(RecordingWarning, match=r"events 0\.\.\(end unknown\)"):
        reader = recording.open(rec.folder, strict=False)
    [missing] = reader.missing
    assert (missing.start, missing.stop, missing.count) == (0, None, None)
    assert "at least 60 are lost" in missing.reason
    report = verify(rec.folder)
    assert not report.ok and not report.torn_tail_only and report.state == "damaged"
    result = CliRunner().invoke(app, ["verify", str(rec.folder)])
    assert result.exit_code == 1 and result.output.startswith("DAMAGED")


def test_a_log_cut_between_batches_below_the_manifest_count_is_damage(tmp_path: Path) -> None:
    rec, log = _logged(tmp_path)
    rec.flush()  # the manifest counts all 60 events
    assert rec._store._log is not None
    log.write_bytes(log.read_bytes()[: rec._store._log.ends[5]])  # 6 whole batches
    with pytest.raises(CorruptRecordingError, match=r"events 30\.\.\(end unknown\)"):
        recording.open(rec.folder)
    with pytest.warns(RecordingWarning):
        reader = recording.open(rec.folder, strict=False)
    [missing] = reader.missing
    assert (missing.start, missing.stop) == (30, None) and "at least 30 are lost" in missing.reason


def test_a_torn_log_in_a_closed_recording_is_damage(tmp_path: Path) -> None:
    # A closed recording has no log: a torn one there is damage, whatever the
    # status (it was read as a killed run's torn tail unless "completed").
    _, log = _logged(tmp_path / "killed", steps=1)
    head = log.read_bytes()[:40]  # a log cut inside its schema
    closed = _recording(tmp_path / "closed")
    manifest = json.loads((closed.folder / "manifest.json").read_text())
    assert manifest["status"] != "completed"
    total = manifest["storage"]["events"]
    planted = closed.folder / "events" / "wal-00005.arrows"
    planted.write_bytes(head)
    with pytest.raises(CorruptRecordingError, match=r"wal-00005\.arrows ends inside its schema"):
        recording.open(closed.folder)
    with pytest.warns(RecordingWarning):
        reader = recording.open(closed.folder, strict=False)
    assert len(reader) == total
    [missing] = reader.missing
    assert (missing.start, missing.stop) == (total, None)
    assert not verify(closed.folder).ok


def test_a_cut_inside_a_large_batch_is_a_torn_tail(tmp_path: Path) -> None:
    # The body of a large batch holds the bytes that start a message
    # (0xffffffff: here the validity bitmap of a column with one null); a cut
    # before them is still a torn tail, not damage in the middle of the log.
    from palaver.recording.logscan import _CONTINUATION

    rec, log = _logged(tmp_path, steps=2)
    for i in range(3000):
        rec.record_event("e", {"i": i}, agent_id=i % 7, metadata={"k": i} if i else None)
    rec._store.flush()
    assert rec._store._log is not None
    start = rec._store._log.ends[-2]
    data = log.read_bytes()
    marker = data.index(_CONTINUATION, start + 100)
    assert marker < len(data) - 100
    log.write_bytes(data[: marker - 1])
    with pytest.warns(RecordingWarning, match="ends inside a batch"):
        reader = recording.open(rec.folder)
    assert len(reader) == 10
    [missing] = reader.missing
    assert (missing.start, missing.stop) == (10, None)


def test_every_cut_of_a_log_but_between_messages_is_a_torn_tail(tmp_path: Path) -> None:
    from palaver.recording.logscan import _SCHEMA_MESSAGE, read_log

    rec, log = _logged(tmp_path, steps=3)
    assert rec._store._log is not None
    ends = rec._store._log.ends
    data = log.read_bytes()
    cut = tmp_path / "cut.arrows"
    for size in range(len(data)):
        cut.write_bytes(data[:size])
        runs, damages = read_log(cut)
        read = sum(run.rows for run in runs)
        assert read == 5 * sum(end <= size for end in ends), size
        if size in (len(_SCHEMA_MESSAGE), *ends):
            assert not damages, size
        else:
            [damage] = damages
            assert damage.tail and damage.stop is None, (size, damage)
            assert damage.start == (read if read else None)


@pytest.mark.parametrize(
    ("name", "damage", "found"),
    [
        ("initial_state.json", "delete", "missing"),
        ("initial_state.json", "append", "bytes where the manifest says"),
        ("stats.parquet", "delete", "missing"),
    ],
)
def test_verify_checks_every_file_the_manifest_lists(
    tmp_path: Path, name: str, damage: str, found: str
) -> None:
    # verify() said OK while agent_states() refused the damaged initial states.
    from palaver.examples.trips import build_trips

    world = build_trips(n_agents=4, n_steps=3, seed=1)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    rec.close()
    assert rec.folder is not None and verify(rec.folder).ok
    target = rec.folder / name
    if damage == "delete":
        target.unlink()
    else:
        target.write_bytes(target.read_bytes() + b" ")
    report = verify(rec.folder)
    assert not report.ok and report.state == "damaged"
    assert any(name in p and found in p for p in report.problems), report.problems
    assert CliRunner().invoke(app, ["verify", str(rec.folder)]).exit_code == 1
    if name == "stats.parquet":  # derived: computed again from the events, with a warning
        with pytest.warns(RecordingWarning, match="stats.parquet: missing"):
            assert recording.open(rec.folder).stats().num_rows > 0


def test_a_file_rewritten_after_the_last_manifest_of_a_killed_run_is_read(
    tmp_path: Path,
) -> None:
    # initial_state.json is rewritten when a world starts; a run killed between
    # that write and the manifest's made agent_states() refuse the recording.
    from palaver.examples.trips import build_trips

    world = build_trips(n_agents=4, n_steps=3, seed=1)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.step()
    rec.flush()  # never closed: as a killed run
    assert rec.folder is not None
    initial = rec.folder / "initial_state.json"
    data = json.loads(initial.read_text())
    data["step"] = 0
    del data["checksum"]
    # Whole, with its own checksum as the recorder writes it, but not what the
    # manifest lists.
    initial.write_text(seal_initial(json.dumps(data)))
    reader = recording.open(rec.folder)
    assert len(reader.agent_states()) > 0
    report = verify(rec.folder)
    assert report.ok and any("initial_state.json was rewritten" in n for n in report.notes)
    rec.close()
    initial.write_text(json.dumps(data) + " \n")  # a closed recording: damage
    assert not verify(rec.folder).ok


@pytest.mark.parametrize("where", ["value", "checksum", "seal"])
def test_a_flipped_bit_in_the_initial_states_of_a_killed_run_is_damage(
    tmp_path: Path, where: str
) -> None:
    """A recording never closed reads an initial_state.json that differs from
    its manifest's record (a run killed between rewriting it and the manifest),
    so a flipped bit that still parsed was read as other initial states, and
    verify() said OK. The file's own checksum tells the two apart."""
    from palaver.examples.trips import build_trips

    world = build_trips(n_agents=4, n_steps=3, seed=1)
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.step()
    rec.flush()  # never closed: as a killed run
    assert rec.folder is not None
    initial = rec.folder / "initial_state.json"
    data = bytearray(initial.read_bytes())
    spot = {
        "value": data.index(b'"step":') + len(b'"step":'),  # a digit: 0 -> 1 still parses
        "checksum": len(data) - 3,  # a hex digit of the checksum
        "seal": data.index(b'"checksum"') + 2,  # the key's name: the seal is unreadable
    }[where]
    data[spot] ^= 0x01
    initial.write_bytes(bytes(data))
    json.loads(data)  # still parses
    reader = recording.open(rec.folder)
    with pytest.raises(CorruptRecordingError, match=r"initial_state\.json"):
        reader.agent_states()
    report = verify(rec.folder)
    assert not report.ok and report.state == "damaged"
    assert any("initial_state.json" in p for p in report.problems), report.problems
    assert not any("initial_state.json was rewritten" in n for n in report.notes)
    result = CliRunner().invoke(app, ["verify", str(rec.folder)])
    assert result.exit_code == 1 and "initial_state.json" in result.output
    rec.close()


def test_a_run_killed_as_it_began_a_log_loses_only_the_flush_in_progress(
    tmp_path: Path,
) -> None:
    # The new log was created, its first batch never written: it was reported
    # as events lost to an unknown end, though the manifest never counted any.
    import subprocess
    import sys

    child = f"""
import os
from palaver.recording import SimulationRecorder
from palaver.recording import log

class Model:
    steps = 0
    max_steps = 10

model = Model()
rec = SimulationRecorder(model, output_dir={str(tmp_path)!r}, memory_window=20)
for step in range(2):
    model.steps = step
    for i in range(10):
        rec.record_event("e", {{"i": i}}, agent_id=i)
    rec._store.flush()  # the second flush rolls the window into a part
rec.flush()
log.EventLog.append = lambda self, batch: os._exit(9)  # killed before the first write
model.steps = 2
for i in range(10):
    rec.record_event("e", {{"i": i}}, agent_id=i)
rec._store.flush()
"""
    assert subprocess.run([sys.executable, "-c", child], timeout=60).returncode == 9
    [folder] = tmp_path.glob("simulation_*")
    assert (folder / "events" / "wal-00001.arrows").stat().st_size == 0
    reader = recording.open(folder)  # strict: nothing counted is lost
    assert len(reader) == 20 and not reader.missing and not reader.warnings
    report = verify(folder)
    assert report.ok and any("killed as it began that log" in n for n in report.notes)


def test_verify_accepts_the_llm_cache_kept_beside_the_events(tmp_path: Path) -> None:
    """ResponseCache.beside(recorder) writes llm_cache.jsonl into the recording
    folder (docs/llm.md): verify called every LLM recording damaged."""
    rec = _recording(tmp_path)
    cache = ResponseCache.beside(rec)
    assert cache.path == rec.folder / "llm_cache.jsonl"
    cache.path.write_text("")
    report = verify(rec.folder)
    assert report.ok, report.problems


def test_a_stray_part_does_not_hide_the_log_of_a_run_never_closed(tmp_path: Path) -> None:
    """A higher-numbered part the manifest does not list made every older log
    count as rolled into it: a stray copy of part 0 lost the log's events."""
    rec = _recording(tmp_path, close=False)
    rec.flush()
    events = rec.folder / "events"
    assert list(events.glob("wal-*.arrows"))
    shutil.copy(events / "part-00000.parquet", events / "part-00099.parquet")
    for strict in (True, False):
        with pytest.warns(RecordingWarning, match="stored twice"):
            reader = recording.open(rec.folder, strict=strict)
        assert [e.content["i"] for e in reader.events] == list(range(45))
        assert reader.missing == []


def test_verify_of_a_recording_being_written_takes_its_temporary_files_for_what_they_are(
    tmp_path: Path,
) -> None:
    # palaver verify of a recording another process was still writing said
    # DAMAGED: ".manifest.json.palaver-tmp-... does not belong to a recording".
    rec = SimulationRecorder(None, output_dir=tmp_path)
    rec.record_event("tick", {})
    rec.flush()
    with atomic_file(rec.folder / "manifest.json") as out:  # a writer at work, its lock held
        report = verify(rec.folder)
        out.write((rec.folder / "manifest.json").read_bytes())
    assert report.ok, report.problems
    assert any("being written by a live process" in note for note in report.notes)
    # A dead writer's file is removed when the recording is opened: one that is
    # not locked and stays is no writer's, and still does not belong.
    stray = rec.folder / f".notes{TMP_MARK}x"
    stray.symlink_to(rec.folder / "manifest.json")
    report = verify(rec.folder)
    assert any(f"{stray.name} does not belong" in p for p in report.problems)
    stray.unlink()
    rec.close()


def test_held_by_live_writer(tmp_path: Path) -> None:
    target = tmp_path / "x.bin"
    with atomic_file(target) as out:
        [tmp] = [p for p in tmp_path.iterdir() if TMP_MARK in p.name]
        assert held_by_live_writer(tmp)
        out.write(b"x")
    assert held_by_live_writer(tmp)  # renamed into place a moment ago
    dead = tmp_path / f".x.bin{TMP_MARK}dead"
    dead.write_bytes(b"x")
    assert not held_by_live_writer(dead, grace=0.0)
    assert not held_by_live_writer(target)  # not a temporary file
