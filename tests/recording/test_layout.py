"""Parts laid out by agent (format palaver.recording/3), and recordings of
format 2 (parts in event order) still read."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import palaver.recording as recording
from palaver.recording import CorruptRecordingError, SimulationRecorder
from palaver.recording.integrity import FileRecord, seal
from palaver.recording.log import AGENTS_KEY, LAYOUT_KEY
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.verify import verify


class Clock:
    """A model with nothing but a step counter."""

    def __init__(self) -> None:
        self.steps = 0


def _record(tmp_path: Path) -> SimulationRecorder:
    clock = Clock()
    rec = SimulationRecorder(clock, output_dir=tmp_path, memory_window=40, flush_every=7)
    for i in range(130):
        clock.steps = i // 10
        agent = None if i % 10 == 0 else ("b", "a", 7, "c")[i % 4]
        rec.record_event("t" if i % 3 else "u", {"i": i}, agent_id=agent)
    rec.close()
    return rec


def _parts(folder: Path) -> list[Path]:
    return sorted((folder / "events").glob("part-*.parquet"))


def _reads(reader: recording.RecordingReader | SimulationRecorder) -> dict[str, object]:
    out: dict[str, object] = {
        # close() adds simulation_end (no "i"), the last event, a model event.
        "all": [(e.event_id, e.content.get("i")) for e in reader.events],
        "a": [e.content["i"] for e in reader.get_agent_events("a")],
        "7": [(e.agent_id, e.content["i"]) for e in reader.get_agent_events(7)],
        "model": [e.content.get("i") for e in reader.get_agent_events(None)],
        "type": [e.content["i"] for e in reader.get_events_by_type("u")],
        "step": [e.content["i"] for e in reader.get_events_by_step(5)],
        "one": reader.events[57].content["i"],
    }
    if isinstance(reader, recording.RecordingReader):
        out["arrow"] = reader.to_arrow()["index"].to_pylist()
    return out


def test_parts_are_grouped_by_agent_and_read_in_event_order(tmp_path: Path) -> None:
    rec = _record(tmp_path)
    first = pq.read_table(_parts(rec.folder)[0])
    agents = first["agent_id"].to_pylist()
    assert agents[:4] == [None] * 4  # model events first, then agents by id as text
    assert [a for a in dict.fromkeys(agents) if a is not None] == ["7", "a", "b", "c"]
    assert first.schema.metadata[LAYOUT_KEY] == b"by-agent"
    reader = recording.open(rec.folder)
    got = _reads(reader)
    ids = [f"{rec.simulation_id}_{i:06d}" for i in range(131)]
    assert got["all"] == list(zip(ids, [*range(130), None], strict=True))
    assert got["a"] == [i for i in range(130) if i % 10 and i % 4 == 1]
    assert got["7"] == [(7, i) for i in range(130) if i % 10 and i % 4 == 2]
    assert got["model"] == [*range(0, 130, 10), None]
    assert got["type"] == [i for i in range(130) if i % 3 == 0]
    assert got["step"] == list(range(50, 60))
    assert got["one"] == 57 and got["arrow"] == list(range(131))
    assert _reads(rec) == {k: v for k, v in got.items() if k != "arrow"}  # the recorder too
    assert verify(rec.folder).ok
    rows = reader.sql("SELECT count(*) FROM events WHERE agent_id = 'a'").fetchall()
    assert rows == [(len(got["a"]),)]


def _downgrade(folder: Path) -> None:
    """Rewrite a recording as format 2 wrote it: parts in event order, no layout key."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest.pop("checksum")
    for record in manifest["storage"]["parts"]:
        path = folder / record["part"]["file"]
        table = pq.read_table(path)
        order = np.argsort(np.asarray(table["index"].to_pylist()))
        meta = {AGENTS_KEY: table.schema.metadata[AGENTS_KEY], **EVENT_SCHEMA.metadata}
        table = table.take(order).replace_schema_metadata(meta)
        pq.write_table(table, path, compression="zstd", write_page_checksum=True)
        record["part"] = FileRecord.of(folder, path).to_json()
    manifest["format"] = "palaver.recording/2"
    (folder / "manifest.json").write_text(json.dumps(seal(manifest)))


def test_a_recording_of_format_2_still_reads(tmp_path: Path) -> None:
    rec = _record(tmp_path)
    expected = _reads(recording.open(rec.folder))
    _downgrade(rec.folder)
    assert LAYOUT_KEY not in pq.read_schema(_parts(rec.folder)[0]).metadata
    reader = recording.open(rec.folder)
    assert _reads(reader) == expected
    assert verify(rec.folder).ok


def test_a_part_not_grouped_as_it_says_is_refused(tmp_path: Path) -> None:
    rec = _record(tmp_path)
    path = _parts(rec.folder)[1]
    table = pq.read_table(path)
    # Two agents' runs swapped: every row intact, the layout broken.
    agents = table["agent_id"].to_pylist()
    order = [i for i, a in enumerate(agents) if a == "b"] + [
        i for i, a in enumerate(agents) if a != "b"
    ]
    pq.write_table(table.take(order), path, write_page_checksum=True)
    # The manifest forged to match: only the layout check can tell.
    manifest = json.loads((rec.folder / "manifest.json").read_text())
    manifest.pop("checksum")
    manifest["storage"]["parts"][1]["part"] = FileRecord.of(rec.folder, path).to_json()
    (rec.folder / "manifest.json").write_text(json.dumps(seal(manifest)))
    with pytest.raises(CorruptRecordingError, match="grouped by agent"):
        recording.open(rec.folder)
    with pytest.warns(recording.RecordingWarning):
        salvaged = recording.open(rec.folder, strict=False)
    assert [(m.start, m.stop) for m in salvaged.missing] == [(40, 80)]
    report = verify(rec.folder)
    assert not report.ok and report.missing
