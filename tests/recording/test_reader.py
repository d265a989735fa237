"""The reader's frames, SQL tables and JSON export."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from recording_helpers import BusWorld, WalkModel

import palaver.recording as recording
from palaver._util.atomic import write_bytes
from palaver.recording import EVENT_SCHEMA, SimulationRecorder, recovery


@pytest.fixture
def reader(tmp_path: Path) -> recording.RecordingReader:
    model = WalkModel()
    rec = SimulationRecorder(
        model, output_dir=tmp_path, memory_window=6, record_state_changes=False
    )
    model.recorder = rec
    for _ in range(3):
        model.step()
    rec.flush()  # not closed: some events are in parts, the rest in the log
    return recording.open(rec.folder)


def test_frames(reader: recording.RecordingReader) -> None:
    table = reader.to_arrow()
    assert table.column_names == [*EVENT_SCHEMA.names, "event_id"]
    assert table.num_rows == 15
    assert table["event_id"][3].as_py() == f"{reader.simulation_id}_000003"
    df = reader.to_pandas()
    assert list(df["index"]) == list(range(15))
    assert (df["event_type"] == "message").sum() == 3
    frame = reader.to_polars()
    assert isinstance(frame, pl.DataFrame) and frame.height == 15
    assert json.loads(frame["content"][0]) == {"energy": 1, "seen": [1, 2]}


def test_sql(reader: recording.RecordingReader) -> None:
    rows = reader.sql(
        "SELECT agent_id, count(*) AS n FROM events WHERE agent_id IS NOT NULL "
        "GROUP BY agent_id ORDER BY agent_id"
    ).fetchall()
    assert rows == [("1", 6), ("2", 3), ("3", 3), ("4", 3)]
    assert reader.sql("SELECT step, events FROM steps ORDER BY step").fetchall() == [
        (1, 5),
        (2, 5),
        (3, 5),
    ]
    assert reader.sql(
        "SELECT events, first_step, last_step FROM agents WHERE agent_id = '1'"
    ).fetchall() == [(6, 1, 3)]
    energy = reader.sql(
        "SELECT json_extract(content, '$.energy')::INT FROM events "
        "WHERE event_type = 'observation' AND agent_id = '2' ORDER BY index"
    ).fetchall()
    assert energy == [(1,), (2,), (3,)]
    # fetchall(): DuckDB 2 relations have no fetchone() (they keep no result).
    last = reader.sql("SELECT event_id FROM events ORDER BY index DESC LIMIT 1").fetchall()
    assert last == [(f"{reader.simulation_id}_000014",)]
    assert reader.sql("SELECT count(*) FROM stats").fetchall() == [(0,)]


def test_export_json_from_reader(reader: recording.RecordingReader, tmp_path: Path) -> None:
    path = reader.export_json(tmp_path / "out.json")
    data = json.loads(path.read_text())
    assert list(data) == ["metadata", "events", "agent_summaries"]
    assert len(data["events"]) == 16
    assert data["events"][-1]["event_type"] == "simulation_end"
    assert data["events"][-1]["content"]["status"] == "interrupted"
    assert data["metadata"]["completion_status"] == "interrupted"
    assert data["agent_summaries"]["1"]["total_events"] == 6


def test_world_stats_table(tmp_path: Path) -> None:
    world = BusWorld()
    rec = SimulationRecorder(world, output_dir=tmp_path)
    world.start()
    for _ in range(3):
        world.step()
    world.finish()
    rec.close()
    reader = recording.open(rec.folder)
    assert reader.sql("SELECT step, value FROM stats ORDER BY step").fetchall() == [
        (0, 0.0),
        (1, 1.0),
        (2, 2.0),
    ]
    assert (rec.folder / "stats.parquet").exists()
    reader.close()


def test_the_reader_gives_the_recorders_stats(tmp_path: Path) -> None:
    from palaver import recording
    from palaver.examples.trips import build_trips
    from palaver.recording import SimulationRecorder

    world = build_trips(n_agents=3, n_steps=4, seed=2)
    recorder = SimulationRecorder(world, output_dir=tmp_path)
    world.run()
    recorder.close()
    live = recorder.get_stats()
    with recording.open(recorder.folder) as reader:
        stored = reader.get_stats()
    assert set(stored) == set(live)
    assert stored["simulation_steps"] == live["simulation_steps"] == 4
    for key in ("total_events", "unique_agents", "events_per_agent"):
        assert stored[key] == live[key], key
    assert sorted(stored["event_types"]) == sorted(live["event_types"])
    assert 0 < stored["recording_duration_minutes"] <= live["recording_duration_minutes"]


def _live(tmp_path: Path) -> SimulationRecorder:
    """A recorder still writing, its last events in a log (no part yet)."""
    rec = SimulationRecorder(None, output_dir=tmp_path, memory_window=10)
    for i in range(4):
        rec.record_event("tick", {"i": i})
    rec.flush()
    assert not list((rec.folder / "events").glob("part-*.parquet"))
    return rec


def _roll(rec: SimulationRecorder) -> None:
    for i in range(10):
        rec.record_event("tick", {"i": 100 + i})
    rec.flush()
    assert list((rec.folder / "events").glob("part-*.parquet"))


def test_open_while_another_process_rolls_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A reader in another process read the manifest, then the recorder rolled
    # the log it lists into a part: open() raised "wal-00000.arrows cannot be
    # read (No such file or directory)" on a recording that was never damaged.
    rec = _live(tmp_path)
    real = recovery.read_log
    calls = []

    def racing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            _roll(rec)  # between listing the folder and reading the log
        return real(*args, **kwargs)

    monkeypatch.setattr(recovery, "read_log", racing)
    reader = recording.open(rec.folder)
    assert len(calls) == 1 and len(reader) == 14  # read again: part, no log
    assert [e.content["i"] for e in reader.events][-2:] == [108, 109]
    rec.close()


def test_open_waits_for_the_manifest_of_a_roll_under_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The recorder deletes the log, then lists its part: a reader between the
    # two sees the old manifest, whose log is gone and whose part is there.
    rec = _live(tmp_path)
    manifest = rec.folder / "manifest.json"
    real = recovery.read_log
    calls = []

    def racing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            old = manifest.read_bytes()
            _roll(rec)
            new = manifest.read_bytes()
            manifest.write_bytes(old)  # the new manifest is not written yet ...
            # ... until now, replaced whole as the recorder replaces it (a plain
            # write would let the reader see it empty, half written).
            threading.Timer(0.05, write_bytes, [manifest, new]).start()
        return real(*args, **kwargs)

    monkeypatch.setattr(recovery, "read_log", racing)
    reader = recording.open(rec.folder)
    assert len(calls) == 1 and len(reader) == 14  # read again: part, no log
    rec.close()


def test_a_missing_log_is_still_damage_when_nothing_moved(tmp_path: Path) -> None:
    rec = _live(tmp_path)
    log = next((rec.folder / "events").glob("wal-*.arrows"))
    saved = log.read_bytes()
    log.unlink()
    with pytest.raises(recording.CorruptRecordingError, match=r"wal-00000\.arrows is missing"):
        recording.open(rec.folder)
    log.write_bytes(saved)
    rec.close()
