"""Merging a closed recording's parts (recording/compaction.py): same events,
same answers to every query, a recording that verifies, leftovers ignored."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))

from fault_helpers import Ticker

import palaver.recording as recording
import palaver.recording.compaction as compaction
from palaver.recording import SimulationRecorder
from palaver.recording.verify import verify

STEPS = 40


def _recorder(
    folder: Path, merge: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[Ticker, SimulationRecorder]:
    """A model and its recorder, with parts small enough (and, when ``merge``,
    a threshold low enough) that closing merges them."""
    monkeypatch.setattr(compaction, "COMPACT_FROM", 600 if merge else 10**12)
    monkeypatch.setattr(compaction, "MERGED_EVENTS", 400)
    model = Ticker(STEPS)
    rec = SimulationRecorder(model, output_dir=folder, memory_window=100, flush_every=64)
    model.recorder = rec
    return model, rec


def _record(folder: Path, merge: bool, monkeypatch: pytest.MonkeyPatch) -> SimulationRecorder:
    model, rec = _recorder(folder, merge, monkeypatch)
    for _ in range(STEPS):
        model.step()
    rec.close()
    return rec


def _rows(events: Any) -> list[tuple[Any, ...]]:
    # Everything but the time and the recording's own id prefix.
    return [
        (e.event_id.split("_")[-1], e.step, e.agent_id, e.event_type, e.content, e.metadata)
        for e in events
    ]


@pytest.fixture
def pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[SimulationRecorder, SimulationRecorder]:
    return _record(tmp_path / "plain", False, monkeypatch), _record(
        tmp_path / "merged", True, monkeypatch
    )


def _parts(rec: SimulationRecorder) -> list[str]:
    assert rec.folder is not None
    return sorted(p.name for p in (rec.folder / "events").glob("*.parquet"))


def test_parts_are_merged_and_every_query_agrees(
    pair: tuple[SimulationRecorder, SimulationRecorder],
) -> None:
    plain, merged = pair
    # 1241 events in 11 parts of 100-120 (a part is rolled at the first
    # flush past 100 events), merged four by four (400 events and more), the
    # last three together.
    assert len(_parts(plain)) == 11
    assert _parts(merged) == ["part-00011.parquet", "part-00012.parquet", "part-00013.parquet"]
    a, b = recording.open(plain.folder), recording.open(merged.folder)
    assert b.status == "completed" and len(a) == len(b) == 1241
    assert _rows(a.events) == _rows(b.events)
    agents, types = a.counts()
    assert (agents, types) == b.counts()
    for agent in [*agents, None]:
        assert _rows(a.get_agent_events(agent)) == _rows(b.get_agent_events(agent))
    for etype in types:
        assert _rows(a.get_events_by_type(etype)) == _rows(b.get_events_by_type(etype))
    for step in range(STEPS + 2):
        assert _rows(a.get_events_by_step(step)) == _rows(b.get_events_by_step(step))
    query = "SELECT agent_id, event_type, count(*) FROM events GROUP BY ALL ORDER BY ALL"
    assert a.sql(query).fetchall() == b.sql(query).fetchall()
    # Two recordings of the same run: the same counts (their durations differ).
    stats_a, stats_b = a.get_stats(), b.get_stats()
    del stats_a["recording_duration_minutes"], stats_b["recording_duration_minutes"]
    assert stats_a == stats_b
    # The recorder itself answers from the merged parts after close().
    assert _rows(merged.get_agent_events(2)) == _rows(a.get_agent_events(2))
    report = verify(merged.folder)
    assert report.ok and not report.notes, report


def test_merged_parts_keep_agent_runs_long(
    pair: tuple[SimulationRecorder, SimulationRecorder],
) -> None:
    import pyarrow.parquet as pq

    _, merged = pair
    assert merged.folder is not None
    first = sorted((merged.folder / "events").glob("*.parquet"))[0]
    ids = pq.read_table(first, columns=["agent_id"])["agent_id"].to_pylist()
    # Grouped by agent over the whole merged range: one run per agent.
    runs = sum(1 for i in range(1, len(ids)) if ids[i] != ids[i - 1]) + 1
    assert runs == len(set(ids))


def test_leftovers_of_an_interrupted_merge_are_ignored(
    pair: tuple[SimulationRecorder, SimulationRecorder],
) -> None:
    plain, merged = pair
    assert plain.folder is not None and merged.folder is not None
    # A kill after the merged part was listed, before the parts it replaced
    # were deleted: put such a part back (the plain run's first part holds
    # the same rows but another recording's times).
    source = plain.folder / "events" / "part-00000.parquet"
    leftover = merged.folder / "events" / "part-00000.parquet"
    leftover.write_bytes(source.read_bytes())
    reader = recording.open(merged.folder)
    assert len(reader) == 1241 and not reader.warnings and not reader.missing
    report = verify(merged.folder)
    assert report.ok
    assert any("interrupted merge" in note for note in report.notes)


def test_merging_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compaction, "COMPACT_FROM", 600)
    monkeypatch.setattr(compaction, "MERGED_EVENTS", 400)
    model = Ticker(STEPS)
    rec = SimulationRecorder(
        model, output_dir=tmp_path, memory_window=100, flush_every=64, merge_parts=False
    )
    model.recorder = rec
    for _ in range(STEPS):
        model.step()
    rec.close()
    assert len(_parts(rec)) == 11
    assert recording.open(rec.folder).manifest["recorder"]["merge_parts"] is False
    with pytest.raises(TypeError, match="merge_parts"):
        SimulationRecorder(None, output_dir=None, merge_parts="no")  # type: ignore[arg-type]


def test_small_recordings_are_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compaction, "MERGED_EVENTS", 400)
    model = Ticker(STEPS)
    rec = SimulationRecorder(model, output_dir=tmp_path, memory_window=100, flush_every=64)
    model.recorder = rec
    for _ in range(STEPS):
        model.step()
    rec.close()  # 1241 events, under the default COMPACT_FROM
    assert len(_parts(rec)) == 11


def test_a_view_read_before_rows_move_reads_the_same_events_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows move when the window becomes a part (grouped by agent) and when
    parts are merged; a view whose events were located before still gives
    the same events."""
    monkeypatch.setattr(compaction, "COMPACT_FROM", 600)
    monkeypatch.setattr(compaction, "MERGED_EVENTS", 400)
    model = Ticker(STEPS)
    rec = SimulationRecorder(model, output_dir=tmp_path, memory_window=100, flush_every=64)
    model.recorder = rec
    model.step()
    views = [rec.get_agent_events(1), rec.get_events_by_type("action"), rec.events]
    before = [_rows(view) for view in views]
    for _ in range(STEPS - 1):
        model.step()
    assert [_rows(view) for view in views] == before  # the window rolled into parts
    rec.close()
    assert [_rows(view) for view in views] == before  # the parts merged


def test_a_merge_that_fails_leaves_the_recording_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(compaction, "COMPACT_FROM", 600)
    monkeypatch.setattr(compaction, "MERGED_EVENTS", 400)
    monkeypatch.setattr(compaction, "write_index", full)
    model = Ticker(STEPS)
    rec = SimulationRecorder(model, output_dir=tmp_path, memory_window=100, flush_every=64)
    model.recorder = rec
    for _ in range(STEPS):
        model.step()
    with pytest.warns(recording.RecordingWarning, match="parts not merged"):
        rec.close()
    assert len(_parts(rec)) == 11
    reader = recording.open(rec.folder)
    assert len(reader) == 1241 and reader.status == "completed"
    assert verify(rec.folder).ok


def test_every_event_in_order_from_merged_parts(
    pair: tuple[SimulationRecorder, SimulationRecorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export reads a merged part a stretch of events at a time (bounded
    memory) and gives the same rows, in order, as from the parts unmerged."""
    import palaver.recording.parts as parts

    monkeypatch.setattr(parts, "WHOLE_READ", 150)
    plain, merged = pair
    a, b = recording.open(plain.folder), recording.open(merged.folder)
    columns = ["index", "step", "event_type", "agent_id", "content", "metadata"]

    def every(reader: Any) -> Any:
        import pyarrow as pa

        return pa.Table.from_batches(list(reader._store.iter_batches(columns)))

    assert every(a).equals(every(b))
    assert every(b)["index"].to_pylist() == list(range(1241))
    out = b.export_json(merged.folder.parent / "merged.json")
    assert out.stat().st_size > 0


def test_the_recorder_counts_each_part_once_across_rolls_and_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The counts over parts are running totals (a roll adds its part, a merge
    # sums afresh): checked against a count of the events read back.
    model, rec = _recorder(tmp_path, True, monkeypatch)

    def agrees() -> None:
        events = list(rec.events)
        per_agent: dict[Any, int] = {}
        for e in events:
            if e.agent_id is not None:
                per_agent[e.agent_id] = per_agent.get(e.agent_id, 0) + 1
        stats = rec.get_stats()
        assert stats["events_per_agent"] == per_agent
        assert sorted(stats["event_types"]) == sorted({e.event_type for e in events})

    for step in range(STEPS):
        model.step()
        if step % 9 == 0:
            agrees()
    assert len(rec._store.parts) > 5
    rec.close()
    assert len(_parts(rec)) == 3  # merged
    agrees()


def test_a_reader_opened_before_the_merge_says_so_and_a_new_one_reads_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A notebook watching a long run: its reader lists the parts of the live
    # recording, then close() merges them and deletes the old ones.
    model, rec = _recorder(tmp_path, True, monkeypatch)
    for _ in range(STEPS):
        model.step()
    assert rec.folder is not None
    watching = recording.open(rec.folder)
    before = _parts(rec)
    rec.close()
    assert _parts(rec) != before
    for query in (
        lambda: list(watching.get_agent_events(1)),
        lambda: list(watching.events),
        lambda: watching.sql("SELECT count(*) FROM events").fetchall(),
    ):
        with pytest.raises(recording.RecordingChangedError, match="merged it into a larger part"):
            query()
    again = recording.open(rec.folder)
    assert len(again) == len(rec.events) and again.completion_status == "completed"


def test_a_listed_part_that_is_missing_is_damage_not_a_merge(
    pair: tuple[SimulationRecorder, SimulationRecorder],
) -> None:
    _, merged = pair
    assert merged.folder is not None
    reader = recording.open(merged.folder)
    first = sorted((merged.folder / "events").glob("part-*.parquet"))[0]
    first.unlink()
    with pytest.raises(recording.CorruptRecordingError, match="cannot be read") as caught:
        list(reader.events)
    assert not isinstance(caught.value, recording.RecordingChangedError)
