"""Checksums, salvage and ``palaver verify`` (the fault suite in tests/faults
tries many more damages; these pin the documented behaviour)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from recording_helpers import BusWorld
from typer.testing import CliRunner

import palaver.recording as recording
from palaver._util.atomic import TMP_MARK, atomic_file, clean_leftovers, write_bytes
from palaver.cli.app import app
from palaver.recording import CorruptRecordingError, RecordingWarning, SimulationRecorder
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
    assert runner.invoke(app, ["verify", str(tmp_path / "nothing")]).exit_code == 2


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
